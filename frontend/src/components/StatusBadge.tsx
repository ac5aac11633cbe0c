import { Badge, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Every status the API reports, mapped to one label key and colour app-wide. */
const STATUSES = {
  available: "green",
  partiallyAvailable: "teal",
  processing: "blue",
  pending: "yellow",
  approved: "cyan",
  declined: "red",
  failed: "red",
  completed: "green",
  queued: "gray",
  downloading: "blue",
  cancelled: "gray",
  up: "green",
  down: "red",
  degraded: "orange",
  unknown: "gray",
} as const satisfies Record<string, MantineColor>;

export type Status = keyof typeof STATUSES;

/** Maps the API's spellings (`partially_available`, `PENDING`) onto a Status. */
export function toStatus(value: string): Status {
  const key = value
    .toLowerCase()
    .replace(/[_-](\w)/g, (_, letter: string) => letter.toUpperCase()) as Status;
  return key in STATUSES ? key : "unknown";
}

/** `status` as the API spells it; unknown values show as "Unknown". */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const { t } = useTranslation();
  const key = toStatus(status);
  return (
    <Badge color={STATUSES[key]} variant="light" radius="sm">
      {label ?? t(`status.${key}`)}
    </Badge>
  );
}
