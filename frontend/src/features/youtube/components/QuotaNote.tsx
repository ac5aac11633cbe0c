import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useQuota } from "@/features/youtube/api/downloads";
import { formatDateTime } from "@/lib/format";

/** "3 of 5 left": read on opening the page, then from each download's rate-limit headers. */
export function QuotaNote() {
  const { t, i18n } = useTranslation("youtube");
  const quota = useQuota().data;
  if (!quota) {
    return (
      <Text size="sm" c="dimmed">
        {t("quota.unknown")}
      </Text>
    );
  }
  return (
    <Text size="sm" c={quota.remaining === 0 ? "orange" : "dimmed"} aria-live="polite">
      <Text span fw={600} c="var(--mantine-color-text)">
        {t("quota.label")}:
      </Text>{" "}
      {t("quota.value", { remaining: quota.remaining, limit: quota.limit })}
      {quota.remaining === 0 && quota.resetAt > 0
        ? ` · ${t("quota.resets", { time: formatDateTime(new Date(quota.resetAt * 1000).toISOString(), i18n.language) })}`
        : null}
    </Text>
  );
}
