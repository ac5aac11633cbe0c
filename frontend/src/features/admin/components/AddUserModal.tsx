import { Button, Group, Modal, PasswordInput, SegmentedControl, Select, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { type Role, useCreateUser } from "@/features/admin/api/admin";

type Mode = "invite" | "password";

/** Invite someone by email (they choose their password) or create the account with one. */
export function AddUserModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (message: string) => void;
}) {
  const { t } = useTranslation("admin");
  const create = useCreateUser();
  const [mode, setMode] = useState<Mode>("invite");
  const form = useForm({
    initialValues: { email: "", name: "", role: "user" as Role, password: "" },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t("users.form.emailInvalid")),
      name: (value) => (value.trim() ? null : t("users.form.nameRequired")),
      password: (value) => (mode === "password" && !value ? t("users.form.passwordRequired") : null),
    },
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    create.mutate(
      {
        email: values.email,
        name: values.name.trim(),
        role: values.role,
        password: mode === "password" ? values.password : null,
      },
      {
        onSuccess: (user) => {
          onCreated(
            t(mode === "invite" ? "users.invited" : "users.created", { email: user.email ?? values.email }),
          );
          close();
        },
      },
    );
  });
  return (
    <Modal closeButtonProps={{ "aria-label": t("close") }} opened={opened} onClose={close} title={t("users.add")}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SegmentedControl
            value={mode}
            onChange={(value) => setMode(value)}
            aria-label={t("users.form.mode")}
            data={[
              { value: "invite", label: t("users.form.invite") },
              { value: "password", label: t("users.form.withPassword") },
            ]}
          />
          <TextInput label={t("users.form.email")} type="email" required {...form.getInputProps("email")} />
          <TextInput label={t("users.form.name")} required {...form.getInputProps("name")} />
          <Select
            label={t("users.form.role")}
            data={[
              { value: "user", label: t("role.user") },
              { value: "admin", label: t("role.admin") },
            ]}
            allowDeselect={false}
            {...form.getInputProps("role")}
          />
          {mode === "password" && (
            <PasswordInput label={t("users.form.password")} required {...form.getInputProps("password")} />
          )}
          {create.isError && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {mode === "invite" ? t("users.form.sendInvite") : t("users.form.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
