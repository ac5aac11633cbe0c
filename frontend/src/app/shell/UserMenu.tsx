import { Avatar, Menu, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { IconLogout } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { api, unwrap } from "@/lib/api/client";
import { resetForNewSession, sessionKeys, useCurrentUser } from "@/lib/session";

export function UserMenu() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    onSettled: async () => {
      queryClient.setQueryData(sessionKeys.current(), null);
      await resetForNewSession(queryClient);
      await navigate("/sign-in");
    },
  });
  const name = user?.name ?? user?.username ?? "";
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton>
          {/* Named by hidden text, not aria-label: axe wants the initials inside the label. */}
          <Avatar radius="xl" size={34} color="violet" name={name} aria-hidden />
          <VisuallyHidden>{t("shell.account")}</VisuallyHidden>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{name}</Menu.Label>
        <Menu.Item
          leftSection={<IconLogout size={16} />}
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          {t("shell.signOut")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
