import { Box, Group, Pagination, Stack, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { useDownloads } from "@/features/youtube/api/downloads";
import { DownloadRow } from "@/features/youtube/components/DownloadRow";
import { useDownloadEvents } from "@/features/youtube/components/useDownloadEvents";

export function DownloadQueue() {
  const { t } = useTranslation("youtube");
  const [page, setPage] = useState(1);
  const downloads = useDownloads(page);
  useDownloadEvents();
  return (
    <Box component="section" aria-labelledby="youtube-queue">
      <Title order={2} size="h4" id="youtube-queue" mb="sm">
        {t("queue.title")}
      </Title>
      {downloads.isPending ? (
        <LoadingState label={t("queue.loading")} />
      ) : downloads.isError ? (
        <ApiErrorAlert error={downloads.error} onRetry={() => void downloads.refetch()} />
      ) : downloads.data.items.length === 0 ? (
        <EmptyState
          icon={<IconDownload size={30} stroke={1.5} />}
          title={t("queue.empty")}
          description={t("queue.emptyBody")}
        />
      ) : (
        <>
          <Stack
            gap="sm"
            component="ul"
            aria-label={t("queue.list")}
            p={0}
            m={0}
            style={{ listStyle: "none" }}
          >
            {downloads.data.items.map((download) => (
              <DownloadRow key={download.id} download={download} />
            ))}
          </Stack>
          {downloads.data.pagination.totalPages > 1 && (
            <Group justify="center" mt="md" component="nav" aria-label={t("queue.pages")}>
              <Pagination
                total={downloads.data.pagination.totalPages}
                value={page}
                onChange={setPage}
                size="sm"
                getControlProps={(control) => ({ "aria-label": t(`queue.${control}`) })}
              />
            </Group>
          )}
        </>
      )}
    </Box>
  );
}
