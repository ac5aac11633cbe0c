import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { usePasswordLink, useSetPassword } from "@/features/auth/api/passwords";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { AuthLayout } from "@/components/AuthLayout";
import { LoadingState } from "@/components/LoadingState";
import { PasswordStrength } from "@/components/PasswordStrength";
import { useSearchParams } from "@/lib/routing";

/** `/reset-password?token=` (forgotten password) and `/set-password?token=` (invitation). */
export function SetPasswordPage({ mode }: { mode: "reset" | "invite" }) {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const link = usePasswordLink(token);
  const save = useSetPassword(token);
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: {
      password: (v) => (v ? null : t("setPassword.passwordRequired")),
      confirm: (v, values) => (v === values.password ? null : t("setPassword.mismatch")),
    },
  });
  const title = mode === "invite" ? t("setPassword.inviteTitle") : t("setPassword.resetTitle");

  let body;
  if (token.length < 10) {
    body = <Alert color="red" role="alert">{t("setPassword.missingToken")}</Alert>;
  } else if (link.isPending) {
    body = <LoadingState minHeight={120} />;
  } else if (link.isError) {
    body = (
      <Stack gap="sm">
        <ApiErrorAlert error={link.error} title={t("setPassword.invalidTitle")} />
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t("setPassword.requestNew")}
        </Anchor>
      </Stack>
    );
  } else if (save.isSuccess) {
    body = (
      <Stack gap="sm">
        <Alert color="green" variant="light" role="status">
          {t("setPassword.done")}
        </Alert>
        <Button component={Link} to="/sign-in" fullWidth>
          {t("setPassword.signIn")}
        </Button>
      </Stack>
    );
  } else {
    body = (
      <form onSubmit={form.onSubmit((v) => save.mutate(v.password))} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t("setPassword.forEmail", { email: link.data.email })}
          </Text>
          {save.isError && <ApiErrorAlert error={save.error} />}
          <input type="email" value={link.data.email} autoComplete="username" hidden readOnly />
          <PasswordInput
            label={t("setPassword.password")}
            autoComplete="new-password"
            required
            {...form.getInputProps("password")}
          />
          <PasswordStrength password={form.values.password} />
          <PasswordInput
            label={t("setPassword.confirm")}
            autoComplete="new-password"
            required
            {...form.getInputProps("confirm")}
          />
          <Button type="submit" loading={save.isPending} fullWidth>
            {t("setPassword.submit")}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <AuthLayout>
      <Stack gap="md">
        <Title order={1} size="h3">
          {title}
        </Title>
        {body}
      </Stack>
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  return <SetPasswordPage mode="reset" />;
}

export function InvitationPage() {
  return <SetPasswordPage mode="invite" />;
}
