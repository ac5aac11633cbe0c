import { Alert, Button, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { useUpdateProfile, type ProfileUpdate } from "@/features/account/api/account";
import { messagesFor } from "@/lib/passwordPolicy";
import type { CurrentUser } from "@/lib/session";

/** Name and email; a new email also takes the current password (resets go there). */
export function ProfileForm({ user }: { user: CurrentUser }) {
  const { t } = useTranslation("account");
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { name: user.name ?? "", email: user.email ?? "", currentPassword: "" },
    validate: {
      name: (value) => (value.trim() ? null : t("profile.nameRequired")),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t("profile.emailInvalid")),
    },
  });
  const emailChanged = form.values.email.trim().toLowerCase() !== (user.email ?? "").toLowerCase();
  const submit = form.onSubmit((values) => {
    const body: ProfileUpdate = { name: values.name.trim() };
    if (emailChanged) {
      body.email = values.email.trim();
      body.currentPassword = values.currentPassword;
    }
    update.mutate(body, {
      onSuccess: () => form.setFieldValue("currentPassword", ""),
    });
  });
  const passwordErrors = messagesFor(update.error, "currentPassword");
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={480}>
        {update.isSuccess && (
          <Alert color="green" variant="light" icon={<IconCheck aria-hidden />} role="status">
            {t("profile.saved")}
          </Alert>
        )}
        {update.isError && <ApiErrorAlert error={update.error} title={t("profile.failed")} />}
        <TextInput label={t("profile.username")} value={user.username} readOnly variant="filled" />
        <TextInput label={t("profile.name")} autoComplete="name" required {...form.getInputProps("name")} />
        <TextInput
          label={t("profile.email")}
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps("email")}
        />
        {emailChanged && (
          <PasswordInput
            label={t("profile.currentPassword")}
            description={t("profile.currentPasswordHint")}
            autoComplete="current-password"
            required
            {...form.getInputProps("currentPassword")}
            error={passwordErrors.length ? t("profile.currentPasswordError", { problem: passwordErrors.join("; ") }) : undefined}
          />
        )}
        <Group>
          <Button type="submit" loading={update.isPending}>
            {t("profile.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
