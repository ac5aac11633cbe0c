import { Stack } from "@mantine/core";
import { IconBellOff } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import {
  useDeleteNotification,
  useMarkRead,
  type useNotifications,
} from "@/features/notifications/api/notifications";
import { NotificationItem } from "@/features/notifications/components/NotificationItem";

/** The notifications of one query, with its loading, empty and error states. */
export function NotificationList({
  query,
  onNavigate,
  emptyDescription,
}: {
  query: ReturnType<typeof useNotifications>;
  onNavigate?: () => void;
  emptyDescription?: string;
}) {
  const { t } = useTranslation("notifications");
  const markRead = useMarkRead();
  const remove = useDeleteNotification();
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data.items;
  if (items.length === 0) {
    return (
      <EmptyState
        title={t("empty.title")}
        description={emptyDescription ?? t("empty.body")}
        icon={<IconBellOff size={30} stroke={1.5} />}
      />
    );
  }
  const failed = markRead.error ?? remove.error;
  return (
    <Stack gap="xs">
      {failed && <ApiErrorAlert error={failed} />}
      <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: "none" }} aria-label={t("list.label")}>
        {items.map((notification) => (
          <NotificationItem
            key={notification.id}
            notification={notification}
            onMarkRead={() => markRead.mutate(notification.id)}
            onDelete={() => remove.mutate(notification.id)}
            onNavigate={onNavigate}
            busy={
              (markRead.isPending && markRead.variables === notification.id) ||
              (remove.isPending && remove.variables === notification.id)
            }
          />
        ))}
      </Stack>
    </Stack>
  );
}
