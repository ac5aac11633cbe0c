import { Button, Group, Pagination, SegmentedControl, Stack } from "@mantine/core";
import { IconChecks } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { PageHeader } from "@/components/PageHeader";
import { useMarkAllRead, useNotifications } from "@/features/notifications/api/notifications";
import { NotificationList } from "@/features/notifications/components/NotificationList";
import { useSearchParams } from "@/lib/routing";

const PAGE_SIZE = 20;

/** Every notification of the user, paged, all or only the unread ones. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const unread = params.get("filter") === "unread";
  const query = useNotifications({ page, limit: PAGE_SIZE, unread });
  const markAll = useMarkAllRead();
  const totalPages = query.data?.pagination.totalPages ?? 1;
  const unreadCount = query.data?.unreadCount ?? 0;
  const update = (next: { page?: number; filter?: string }) => {
    const search = new URLSearchParams(params);
    if (next.page !== undefined) search.set("page", String(next.page));
    if (next.filter !== undefined) {
      search.set("filter", next.filter);
      search.delete("page");
    }
    setParams(search);
  };
  return (
    <>
      <PageHeader
        title={t("page.title")}
        description={t("page.description")}
        actions={
          <Button
            variant="light"
            leftSection={<IconChecks size={16} />}
            onClick={() => markAll.mutate()}
            loading={markAll.isPending}
            disabled={unreadCount === 0}
          >
            {t("actions.markAllRead")}
          </Button>
        }
      />
      <Stack gap="md" maw={760}>
        <SegmentedControl
          w="fit-content"
          value={unread ? "unread" : "all"}
          onChange={(value) => update({ filter: value })}
          aria-label={t("page.filterLabel")}
          data={[
            { value: "all", label: t("page.filterAll") },
            { value: "unread", label: t("page.filterUnread", { count: unreadCount }) },
          ]}
        />
        {markAll.isError && <ApiErrorAlert error={markAll.error} />}
        <NotificationList
          query={query}
          emptyDescription={unread ? t("empty.unreadBody") : undefined}
        />
        {totalPages > 1 && (
          <Group justify="center">
            <Pagination
              total={totalPages}
              value={page}
              onChange={(value) => update({ page: value })}
              getControlProps={(control) => ({ "aria-label": t(`page.${control}`) })}
            />
          </Group>
        )}
      </Stack>
    </>
  );
}
