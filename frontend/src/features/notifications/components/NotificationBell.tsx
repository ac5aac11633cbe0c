import { ActionIcon, Button, Drawer, Group, Indicator, ScrollArea, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications as toasts } from "@mantine/notifications";
import { IconBell, IconChecks } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import {
  useLiveNotifications,
  useMarkAllRead,
  useNotifications,
} from "@/features/notifications/api/notifications";
import { NotificationList } from "@/features/notifications/components/NotificationList";
import { SEVERITY_COLOR, toSeverity } from "@/features/notifications/components/severity";

const DRAWER_PAGE = { page: 1, limit: 20 } as const;

/** The header's bell: the unread count, a drawer with the latest notifications, live. */
export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const [opened, { open, close }] = useDisclosure(false);
  const query = useNotifications(DRAWER_PAGE);
  const markAll = useMarkAllRead();
  useLiveNotifications((event) =>
    toasts.show({
      title: event.title,
      message: event.message,
      color: SEVERITY_COLOR[toSeverity(event.type)],
      closeButtonProps: { "aria-label": t("common:actions.close") },
    }),
  );
  const unread = query.data?.unreadCount ?? 0;
  const label = unread > 0 ? t("bell.labelUnread", { count: unread }) : t("bell.label");
  return (
    <>
      <Indicator
        label={unread > 99 ? "99+" : unread}
        disabled={unread === 0}
        size={18}
        offset={6}
        color="red"
        aria-hidden={false}
      >
        <ActionIcon variant="default" size="lg" aria-label={label} onClick={open}>
          <IconBell size={18} />
        </ActionIcon>
      </Indicator>
      <Drawer
        opened={opened}
        onClose={close}
        position="right"
        size="md"
        title={<Text fw={700} size="lg" component="h2">{t("drawer.title")}</Text>}
        closeButtonProps={{ "aria-label": t("drawer.close") }}
        scrollAreaComponent={ScrollArea.Autosize}
      >
        <Stack gap="sm">
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              {unread > 0 ? t("drawer.unread", { count: unread }) : t("drawer.allRead")}
            </Text>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconChecks size={16} />}
              onClick={() => markAll.mutate()}
              loading={markAll.isPending}
              disabled={unread === 0}
            >
              {t("actions.markAllRead")}
            </Button>
          </Group>
          {markAll.isError && <ApiErrorAlert error={markAll.error} />}
          <NotificationList query={query} onNavigate={close} />
          <Button component={Link} to="/notifications" variant="subtle" onClick={close}>
            {t("drawer.seeAll")}
          </Button>
        </Stack>
      </Drawer>
    </>
  );
}
