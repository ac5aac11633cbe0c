import { Text, Timeline } from "@mantine/core";
import { IconCheck, IconClock, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { toStatus } from "@/components";
import type { StatusChange } from "@/features/requests/api/requests";
import { formatDateTime } from "@/lib/format";

function icon(status: StatusChange["toStatus"]) {
  if (status === "available") return <IconCheck size={12} aria-hidden />;
  if (status === "declined" || status === "failed") return <IconX size={12} aria-hidden />;
  return <IconClock size={12} aria-hidden />;
}

/** The request's status history, oldest first: what changed, who or what changed it, when. */
export function StatusTimeline({ history }: { history: StatusChange[] }) {
  const { t, i18n } = useTranslation("requests");
  return (
    <Timeline active={history.length - 1} bulletSize={22} lineWidth={2}>
      {history.map((change) => (
        <Timeline.Item
          key={`${change.createdAt}-${change.toStatus}`}
          bullet={icon(change.toStatus)}
          title={t(`common:status.${toStatus(change.toStatus)}`)}
          color={change.toStatus === "declined" || change.toStatus === "failed" ? "red" : undefined}
        >
          <Text size="sm" c="dimmed">
            {t(`history.source.${change.source}`)} · {formatDateTime(change.createdAt, i18n.language)}
          </Text>
          {change.reason && (
            <Text size="sm" mt={4}>
              {change.reason}
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
