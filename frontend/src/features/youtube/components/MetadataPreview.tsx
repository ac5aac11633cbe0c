import { Badge, Group, Paper, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconBrandYoutube, IconPlaylist } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { useMetadata } from "@/features/youtube/api/downloads";
import { formatDuration } from "@/lib/format";

/** What the link is, before it is downloaded: title, uploader, length, playlist size. The
 * thumbnail is not shown: it lives on the video site and the CSP admits only MediaNest. */
export function MetadataPreview({ url }: { url: string }) {
  const { t } = useTranslation("youtube");
  const metadata = useMetadata(url);
  if (metadata.isPending) return <LoadingState label={t("preview.looking")} minHeight={80} />;
  if (metadata.isError) return <ApiErrorAlert error={metadata.error} />;
  const info = metadata.data;
  const Icon = info.isPlaylist ? IconPlaylist : IconBrandYoutube;
  return (
    <Paper withBorder radius="md" p="sm" aria-label={t("preview.label")} component="section">
      <Group wrap="nowrap" align="flex-start">
        <ThemeIcon size={48} radius="md" variant="light" color="red" aria-hidden>
          <Icon size={28} stroke={1.5} />
        </ThemeIcon>
        <Stack gap={4} miw={0}>
          <Text fw={600} lineClamp={2}>
            {info.title ?? t("preview.untitled")}
          </Text>
          {info.uploader && (
            <Text size="sm" c="dimmed">
              {t("preview.by", { uploader: info.uploader })}
            </Text>
          )}
          <Group gap="xs">
            {info.isPlaylist && (
              <Badge variant="light" color="grape" radius="sm">
                {info.entryCount !== null
                  ? t("preview.playlist", { count: info.entryCount })
                  : t("preview.playlistUnknown")}
              </Badge>
            )}
            {info.durationSeconds !== null && (
              <Badge variant="light" color="gray" radius="sm">
                {t("preview.duration", { duration: formatDuration(info.durationSeconds) })}
              </Badge>
            )}
          </Group>
          {info.formats.length > 0 && (
            <Text size="xs" c="dimmed">
              {t("preview.formats", { formats: info.formats.slice(0, 6).join(", ") })}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
