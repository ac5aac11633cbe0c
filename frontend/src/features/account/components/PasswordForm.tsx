import { Alert, Button, Group, List, PasswordInput, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { useChangePassword } from "@/features/account/api/account";
import { messagesFor } from "@/lib/passwordPolicy";
import { PasswordStrength } from "@/components/PasswordStrength";

/** Change the password; the API ends every other session, and says which rules it broke. */
export function PasswordForm() {
  const { t } = useTranslation("account");
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: "", newPassword: "", confirm: "" },
    validate: {
      currentPassword: (value) => (value ? null : t("password.currentRequired")),
      newPassword: (value) => (value ? null : t("password.newRequired")),
      confirm: (value, values) => (value === values.newPassword ? null : t("password.mismatch")),
    },
  });
  const submit = form.onSubmit(({ currentPassword, newPassword }) =>
    change.mutate({ currentPassword, newPassword }, { onSuccess: () => form.reset() }),
  );
  const broken = messagesFor(change.error, "newPassword");
  const wrongCurrent = messagesFor(change.error, "currentPassword");
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={480}>
        {change.isSuccess && (
          <Alert color="green" variant="light" icon={<IconCheck aria-hidden />} role="status">
            {t("password.changed")}
          </Alert>
        )}
        {change.isError && (
          <ApiErrorAlert error={change.error} title={t("password.failed")} />
        )}
        {broken.length > 0 && (
          <Alert color="red" variant="outline" title={t("password.serverRules")}>
            <List size="sm">
              {broken.map((problem) => (
                <List.Item key={problem}>{t("password.serverRule", { problem })}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <PasswordInput
          label={t("password.current")}
          autoComplete="current-password"
          required
          {...form.getInputProps("currentPassword")}
          error={
            form.errors.currentPassword ??
            (wrongCurrent.length ? t("password.currentWrong", { problem: wrongCurrent.join("; ") }) : undefined)
          }
        />
        <PasswordInput
          label={t("password.new")}
          autoComplete="new-password"
          required
          {...form.getInputProps("newPassword")}
        />
        <PasswordStrength password={form.values.newPassword} />
        <PasswordInput
          label={t("password.confirm")}
          autoComplete="new-password"
          required
          {...form.getInputProps("confirm")}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t("password.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
