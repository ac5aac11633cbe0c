import { Button, Group, Select, Stack, Table, Text } from "@mantine/core";
import { IconPlayerStop, IconRotateClockwise } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { DownloadProgressBar, DownloadProgressText } from "@/components/DownloadProgress";
import { PageHeader } from "@/components/PageHeader";
import { StatusBadge } from "@/components/StatusBadge";
import {
  adminKeys,
  type DownloadRead,
  type DownloadStatus,
  useAllDownloads,
  useCancelDownload,
  useRetryDownload,
  useUsers,
} from "@/features/admin/api/admin";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";
import { PagedTable } from "@/features/admin/components/PagedTable";
import { formatDateTime } from "@/lib/format";
import { useInvalidateOnEvent, useRealtimeEvent } from "@/lib/socket/react";

const STATUSES: DownloadStatus[] = ["queued", "running", "completed", "failed", "cancelled"];
const PAGE_SIZE = 20;
const STATUS_COLOURS: Record<DownloadStatus, string> = {
  queued: "queued",
  running: "downloading",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

interface ProgressEvent {
  id: string;
  progress: number;
  status: DownloadStatus;
  speed: number | null;
  eta: number | null;
}

type DownloadPage = NonNullable<ReturnType<typeof useAllDownloads>["data"]>;

export function DownloadsPage() {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DownloadStatus | null>(null);
  const [page, setPage] = useState(1);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const downloads = useAllDownloads({ status: status ?? undefined, page, limit: PAGE_SIZE });
  const people = useUsers({ page: 1, limit: 100, sort: "username:asc" });
  const names = new Map((people.data?.items ?? []).map((user) => [user.id, user.name ?? user.username]));
  const cancel = useCancelDownload();
  const retry = useRetryDownload();

  useRealtimeEvent<ProgressEvent>(
    "download:progress",
    (event) =>
      queryClient.setQueriesData<DownloadPage>({ queryKey: adminKeys.downloads() }, (old) =>
        old
          ? {
              ...old,
              items: old.items.map((item) =>
                item.id === event.id
                  ? {
                      ...item,
                      progress: event.progress,
                      status: event.status,
                      speedBytesPerSecond: event.speed,
                      etaSeconds: event.eta,
                    }
                  : item,
              ),
            }
          : old,
      ),
    "/admin",
  );
  useInvalidateOnEvent("download:completed", adminKeys.downloads(), "/admin");
  useInvalidateOnEvent("download:failed", adminKeys.downloads(), "/admin");

  const act = (download: DownloadRead, action: "cancel" | "retry") =>
    (action === "cancel" ? cancel : retry).mutate(download.id, {
      onSuccess: () =>
        setFeedback({
          kind: "success",
          message: t(action === "cancel" ? "downloads.cancelled" : "downloads.retried", {
            title: download.title ?? download.url,
          }),
        }),
      onError: (error) => setFeedback({ kind: "error", error }),
    });

  return (
    <>
      <PageHeader title={t("downloads.title")} description={t("downloads.description")} />
      <Stack>
        <Feedback state={feedback} onClose={() => setFeedback(null)} />
        <Select
          label={t("downloads.status")}
          placeholder={t("downloads.anyStatus")}
          data={STATUSES.map((value) => ({ value, label: t(`downloadStatus.${value}`) }))}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setPage(1);
          }}
          clearable
          w={200}
        />
        <PagedTable
          query={downloads}
          columns={[
            { label: t("downloads.columns.video") },
            { label: t("downloads.columns.user") },
            { label: t("downloads.columns.status") },
            { label: t("downloads.columns.progress") },
            { label: t("downloads.columns.actions"), hidden: true },
          ]}
          minWidth={760}
          highlightOnHover={false}
          empty={{ title: t("downloads.empty"), description: t("downloads.emptyHint") }}
          rowKey={(download) => download.id}
          renderRow={(download) => {
            const title = download.title ?? download.url;
            const active = download.status === "queued" || download.status === "running";
            return (
              <>
                <Table.Td maw={320}>
                  <Text fw={600} truncate>
                    {title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(download.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>{names.get(download.userId) ?? t("downloads.unknownUser")}</Table.Td>
                <Table.Td>
                  <StatusBadge
                    status={STATUS_COLOURS[download.status]}
                    label={t(`downloadStatus.${download.status}`)}
                  />
                  {download.error && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {download.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={160}>
                  <DownloadProgressBar
                    download={download}
                    label={t("downloads.progressOf", { title })}
                    size="sm"
                  />
                  <DownloadProgressText download={download} size="xs" mt={4} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {active && (
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        leftSection={<IconPlayerStop size={14} aria-hidden />}
                        onClick={() => act(download, "cancel")}
                        aria-label={t("downloads.cancelLabel", { title })}
                      >
                        {t("downloads.cancel")}
                      </Button>
                    )}
                    {(download.status === "failed" || download.status === "cancelled") && (
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconRotateClockwise size={14} aria-hidden />}
                        onClick={() => act(download, "retry")}
                        aria-label={t("downloads.retryLabel", { title })}
                      >
                        {t("downloads.retry")}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </>
            );
          }}
          page={page}
          onPageChange={setPage}
        />
      </Stack>
    </>
  );
}
