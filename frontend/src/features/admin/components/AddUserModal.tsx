import {
  Button,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { type Role, useCreateUser } from "@/features/admin/api/admin";
import { usePublicInfo } from "@/lib/public-info";

type Mode = "invite" | "password";

/** Invite someone by email (they choose their password) or create the account with one.
 * Without mail set up, invitations cannot be sent: the dialog offers only a password. */
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
  const mailReady = usePublicInfo().data?.services.mail ?? false;
  const [chosenMode, setMode] = useState<Mode>("invite");
  const mode: Mode = mailReady ? chosenMode : "password";
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
              { value: "invite", label: t("users.form.invite"), disabled: !mailReady },
              { value: "password", label: t("users.form.withPassword") },
            ]}
          />
          {!mailReady && (
            <Text size="sm" c="dimmed">
              {t("users.form.inviteNeedsMail")}
            </Text>
          )}
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
