import { ActionIcon, Button, Group, Menu, Modal, Text } from "@mantine/core";
import { IconDots, IconLogout, IconShield, IconShieldOff, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import {
  type UserRead,
  useChangeRole,
  useDeleteUser,
  useRevokeSessions,
} from "@/features/admin/api/admin";
import type { FeedbackState } from "@/features/admin/components/Feedback";
import { useCurrentUser } from "@/lib/session";

/** The menu of what an admin can do to one account. */
export function UserActions({
  user,
  onResult,
  onDeleted,
}: {
  user: UserRead;
  onResult: (state: FeedbackState) => void;
  onDeleted?: () => void;
}) {
  const { t } = useTranslation("admin");
  const changeRole = useChangeRole();
  const revoke = useRevokeSessions();
  const remove = useDeleteUser();
  const me = useCurrentUser();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmDemotion, setConfirmDemotion] = useState(false);
  const who = user.name ?? user.username;
  const nextRole = user.role === "admin" ? "user" : "admin";
  // The API asks for a confirmation before an admin gives up their own admin role.
  const demotesSelf = nextRole === "user" && user.id === me?.id;

  const fail = (error: unknown) => onResult({ kind: "error", error });
  const setRole = () =>
    changeRole.mutate(
      { id: user.id, role: nextRole, confirmSelfDemotion: demotesSelf },
      {
        onSuccess: () => {
          setConfirmDemotion(false);
          onResult({ kind: "success", message: t(`users.roleChanged.${nextRole}`, { who }) });
        },
        onError: (error) => {
          setConfirmDemotion(false);
          fail(error);
        },
      },
    );
  const revokeSessions = () =>
    revoke.mutate(user.id, {
      onSuccess: (data) =>
        onResult({ kind: "success", message: t("users.sessionsRevoked", { who, count: data.sessionsEnded }) }),
      onError: fail,
    });
  const deleteUser = () =>
    remove.mutate(user.id, {
      onSuccess: () => {
        setConfirmDelete(false);
        onResult({ kind: "success", message: t("users.deleted", { who }) });
        onDeleted?.();
      },
      onError: (error) => {
        setConfirmDelete(false);
        fail(error);
      },
    });

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={t("users.actionsFor", { who })}>
            <IconDots size={18} aria-hidden />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={
              nextRole === "admin" ? <IconShield size={16} aria-hidden /> : <IconShieldOff size={16} aria-hidden />
            }
            onClick={demotesSelf ? () => setConfirmDemotion(true) : setRole}
          >
            {t(`users.makeRole.${nextRole}`)}
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={revokeSessions}>
            {t("users.revokeSessions")}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() => setConfirmDelete(true)}
          >
            {t("users.delete")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        closeButtonProps={{ "aria-label": t("close") }}
        opened={confirmDemotion}
        onClose={() => setConfirmDemotion(false)}
        title={t("users.demoteSelfTitle")}
      >
        <Text mb="md">{t("users.demoteSelfBody")}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirmDemotion(false)}>
            {t("cancel")}
          </Button>
          {/* red.9: white on Mantine's default red is below WCAG AA contrast */}
          <Button color="red.9" loading={changeRole.isPending} onClick={setRole}>
            {t("users.demoteSelfConfirm")}
          </Button>
        </Group>
      </Modal>
      <Modal closeButtonProps={{ "aria-label": t("close") }} opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t("users.deleteTitle", { who })}>
        <Text mb="md">{t("users.deleteBody")}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirmDelete(false)}>
            {t("cancel")}
          </Button>
          <Button color="red.9" loading={remove.isPending} onClick={deleteUser}>
            {t("users.deleteConfirm")}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
