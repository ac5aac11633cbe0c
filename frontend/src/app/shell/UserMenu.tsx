import { Avatar, Menu, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { IconLogout } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "@/lib/api/client";
import { basePath } from "@/lib/base";
import { useCurrentUser } from "@/lib/session";
import { useRealtimeClient } from "@/lib/socket/react";

export function UserMenu() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const realtime = useRealtimeClient();
  const signOut = useMutation({
    // The server closes this session's live connection as it signs out; a reconnect would
    // refetch everything with a session that is gone. Close it and stop fetching first.
    onMutate: async () => {
      realtime?.close();
      await queryClient.cancelQueries();
    },
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    // A fresh page, not a client-side move: nothing of the session stays in memory (cached
    // answers, the live connection), and the sign-in page is not told to lead back here.
    onSettled: () => window.location.replace(`${basePath()}/sign-in`),
  });
  const name = user?.name ?? user?.username ?? "";
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {/* The initials are visible text, so they belong in the name (WCAG 2.5.3). */}
        <UnstyledButton>
          <Avatar radius="xl" size={34} color="violet" name={name} />
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
