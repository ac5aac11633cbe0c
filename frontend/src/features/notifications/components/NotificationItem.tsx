import { ActionIcon, Anchor, Box, Group, Stack, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconCheck, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import type { Notification } from "@/features/notifications/api/notifications";
import { SEVERITY_COLOR, SEVERITY_ICON } from "@/features/notifications/components/severity";
import { formatDateTime, formatRelative } from "@/lib/format";

/** One notification: severity icon, title, message, when; mark read and remove. */
export function NotificationItem({
  notification,
  onMarkRead,
  onDelete,
  onNavigate,
  busy,
}: {
  notification: Notification;
  onMarkRead: () => void;
  onDelete: () => void;
  onNavigate?: () => void;
  busy?: boolean;
}) {
  const { t } = useTranslation("notifications");
  const Icon = SEVERITY_ICON[notification.severity];
  const unread = !notification.isRead;
  return (
    <Group
      component="li"
      align="flex-start"
      wrap="nowrap"
      gap="sm"
      p="sm"
      bg={unread ? "var(--mantine-color-default-hover)" : undefined}
      style={{ borderRadius: "var(--mantine-radius-md)" }}
      aria-label={unread ? t("item.unreadLabel", { title: notification.title }) : notification.title}
    >
      <ThemeIcon
        variant="light"
        color={SEVERITY_COLOR[notification.severity]}
        radius="xl"
        size="lg"
        aria-hidden
      >
        <Icon size={18} />
      </ThemeIcon>
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          {unread && (
            <Box
              w={8}
              h={8}
              bg="var(--mantine-primary-color-filled)"
              style={{ borderRadius: "50%", flexShrink: 0 }}
              aria-hidden
            />
          )}
          <Text fw={unread ? 700 : 500} size="sm" lineClamp={2}>
            {notification.link ? (
              <Anchor component={Link} to={notification.link} onClick={onNavigate} inherit>
                {notification.title}
              </Anchor>
            ) : (
              notification.title
            )}
          </Text>
        </Group>
        <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {notification.message}
        </Text>
        <Text size="xs" c="dimmed" title={formatDateTime(notification.createdAt)}>
          {formatRelative(notification.createdAt)}
        </Text>
      </Stack>
      <Group gap={4} wrap="nowrap">
        {unread && (
          <Tooltip label={t("item.markRead")} withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t("item.markReadLabel", { title: notification.title })}
              onClick={onMarkRead}
              disabled={busy}
            >
              <IconCheck size={18} />
            </ActionIcon>
          </Tooltip>
        )}
        <Tooltip label={t("item.delete")} withArrow>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t("item.deleteLabel", { title: notification.title })}
            onClick={onDelete}
            disabled={busy}
          >
            <IconTrash size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  );
}
