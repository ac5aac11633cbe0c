import { Button, Checkbox, Group, Modal, Paper, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { IconPlayerStop, IconRefresh, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { DownloadProgressBar, DownloadProgressText } from "@/components/DownloadProgress";
import { StatusBadge } from "@/components/StatusBadge";
import {
  downloadKeys,
  useCancelDownload,
  useDeleteDownload,
  useRetryDownload,
  type Download,
  type Metadata,
} from "@/features/youtube/api/downloads";
import { formatRelative } from "@/lib/format";

/** One download of the queue: title, status, a live progress bar, speed, time left and
 * what can be done with it. */
export function DownloadRow({ download }: { download: Download }) {
  const { t, i18n } = useTranslation("youtube");
  const cancel = useCancelDownload();
  const retry = useRetryDownload();
  const remove = useDeleteDownload();
  const [confirming, confirm] = useDisclosure(false);
  const [deleteFiles, setDeleteFiles] = useState(false);
  const title = useDownloadTitle(download);
  const active = download.status === "queued" || download.status === "running";
  const retryable = download.status === "failed" || download.status === "cancelled";
  const error = cancel.error ?? retry.error ?? remove.error;
  return (
    <Paper withBorder radius="md" p="md" component="li" aria-label={title}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
          <Stack gap={2} miw={0} flex={1}>
            <Text fw={600} lineClamp={1} title={title}>
              {title}
            </Text>
            {/* Wraps on a phone rather than cutting "Added 2 minutes ago" short. */}
            <Text size="xs" c="dimmed" data-testid="download-info">
              {[
                download.audioOnly ? t("quality.audio") : t(`quality.${download.quality}`, { defaultValue: download.quality }),
                t(`format.${download.format}`),
                t("queue.added", { time: formatRelative(download.createdAt, new Date(), i18n.language) }),
              ].join(" · ")}
            </Text>
          </Stack>
          <StatusBadge
            status={download.status === "running" ? "downloading" : download.status}
            label={t(`queue.status.${download.status}`)}
          />
        </Group>
        <DownloadProgressBar download={download} label={t("queue.progress", { title })} />
        <Group justify="space-between" gap="xs" wrap="wrap">
          <DownloadProgressText download={download} />
          <Group gap="xs">
            {active && (
              <Button
                size="xs"
                variant="light"
                color="gray"
                leftSection={<IconPlayerStop size={14} aria-hidden />}
                aria-label={t("queue.cancelLabel", { title })}
                loading={cancel.isPending}
                onClick={() => cancel.mutate(download.id)}
              >
                {t("queue.cancel")}
              </Button>
            )}
            {retryable && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconRefresh size={14} aria-hidden />}
                aria-label={t("queue.retryLabel", { title })}
                loading={retry.isPending}
                onClick={() => retry.mutate(download.id)}
              >
                {t("queue.retry")}
              </Button>
            )}
            {!active && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={14} aria-hidden />}
                aria-label={t("queue.removeLabel", { title })}
                onClick={confirm.open}
              >
                {t("queue.remove")}
              </Button>
            )}
          </Group>
        </Group>
        {download.status === "failed" && download.error && (
          <Text size="sm" c="red" role="status">
            {download.error}
          </Text>
        )}
        {error && <ApiErrorAlert error={error} />}
      </Stack>
      <Modal opened={confirming} onClose={confirm.close} title={t("queue.removeTitle")} centered>
        <Stack>
          <Text>{t("queue.removeBody", { title })}</Text>
          {download.files.length > 0 && (
            <Checkbox
              label={t("queue.removeFiles")}
              checked={deleteFiles}
              onChange={(event) => setDeleteFiles(event.currentTarget.checked)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t("common:actions.cancel")}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate({ id: download.id, deleteFiles }, { onSuccess: confirm.close })
              }
            >
              {t("queue.removeConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/** The job fills the title in once it starts; until then the looked-up one, else the URL. */
function useDownloadTitle(download: Download): string {
  const queryClient = useQueryClient();
  const looked = queryClient.getQueryData<Metadata>(downloadKeys.metadata(download.url));
  return download.title ?? download.playlistTitle ?? looked?.title ?? download.url;
}
