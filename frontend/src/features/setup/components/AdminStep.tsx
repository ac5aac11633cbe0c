import { Alert, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { useCreateAdmin } from "@/features/setup/api/setup";
import { StepActions } from "@/features/setup/components/StepActions";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { PasswordStrength } from "@/components/PasswordStrength";
import { isApiError } from "@/lib/api/errors";

export function AdminStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation("setup");
  const create = useCreateAdmin();
  const form = useForm({
    initialValues: { name: "", email: "", password: "" },
    validate: {
      name: (v) => (v.trim() ? null : t("admin.nameRequired")),
      email: (v) => (/^\S+@\S+$/.test(v) ? null : t("admin.emailInvalid")),
      password: (v) => (v ? null : t("admin.passwordRequired")),
    },
  });
  const alreadySetUp = isApiError(create.error) && create.error.status === 409;
  if (alreadySetUp) {
    return (
      <Stack gap="sm">
        <Alert color="yellow" variant="light" role="alert" title={t("admin.existsTitle")}>
          {t("admin.existsBody")}
        </Alert>
        <Button component={Link} to="/sign-in">
          {t("admin.signIn")}
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={form.onSubmit((values) => create.mutate(values, { onSuccess: onDone }))} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("admin.intro")}
        </Text>
        {create.isError && <ApiErrorAlert error={create.error} />}
        <TextInput label={t("admin.name")} autoComplete="name" required {...form.getInputProps("name")} />
        <TextInput
          label={t("admin.email")}
          type="email"
          autoComplete="username"
          required
          {...form.getInputProps("email")}
        />
        <PasswordInput
          label={t("admin.password")}
          description={t("admin.passwordHint")}
          autoComplete="new-password"
          required
          {...form.getInputProps("password")}
        />
        <PasswordStrength password={form.values.password} />
        <StepActions submitLabel={t("admin.submit")} loading={create.isPending} />
      </Stack>
    </form>
  );
}
