import { Anchor, Button, Checkbox, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { usePasswordSignIn } from "@/features/auth/api/signIn";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

export function PasswordSignInForm() {
  const { t } = useTranslation("auth");
  const signIn = usePasswordSignIn();
  const form = useForm({
    initialValues: { email: "", password: "", rememberMe: false },
    validate: {
      email: (value) => (/^\S+@\S+$/.test(value) ? null : t("signIn.emailInvalid")),
      password: (value) => (value ? null : t("signIn.passwordRequired")),
    },
  });
  return (
    <form onSubmit={form.onSubmit((values) => signIn.mutate(values))} noValidate>
      <Stack gap="sm">
        {signIn.isError && <ApiErrorAlert error={signIn.error} title={t("signIn.failed")} />}
        <TextInput
          label={t("signIn.email")}
          type="email"
          autoComplete="username"
          required
          {...form.getInputProps("email")}
        />
        <PasswordInput
          label={t("signIn.password")}
          autoComplete="current-password"
          required
          {...form.getInputProps("password")}
        />
        <Group justify="space-between">
          <Checkbox
            label={t("signIn.rememberMe")}
            {...form.getInputProps("rememberMe", { type: "checkbox" })}
          />
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("signIn.forgotPassword")}
          </Anchor>
        </Group>
        <Button type="submit" loading={signIn.isPending} fullWidth>
          {t("signIn.submit")}
        </Button>
      </Stack>
    </form>
  );
}
