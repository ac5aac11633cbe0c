import { Progress, Text, type TextProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

import {
  PROGRESS_COLOR,
  progressParts,
  type DownloadProgressFields,
} from "@/components/downloadProgress";

/** A download's bar: green once done, striped and moving while it runs. */
export function DownloadProgressBar({
  download,
  label,
  size = "lg",
}: {
  download: DownloadProgressFields;
  label: string;
  size?: "sm" | "md" | "lg";
}) {
  const { t } = useTranslation();
  const running = download.status === "running";
  return (
    <Progress.Root size={size} radius="xl">
      <Progress.Section
        value={download.status === "completed" ? 100 : download.progress}
        color={PROGRESS_COLOR[download.status]}
        striped={running}
        animated={running}
        aria-label={label}
        aria-valuetext={t("download.percent", { percent: Math.round(download.progress) })}
      />
    </Progress.Root>
  );
}

/** "42% · 1.2 MB/s · 5m 30s left", "Waiting for a free slot…", "2 files · 80 MB". */
export function DownloadProgressText({
  download,
  ...props
}: { download: DownloadProgressFields } & TextProps) {
  const { t, i18n } = useTranslation();
  return (
    <Text size="sm" c="dimmed" data-testid="download-progress-text" {...props}>
      {progressParts(download, t, i18n.language).join(" · ")}
    </Text>
  );
}
