import type { MantineColor } from "@mantine/core";
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconInfoCircle,
} from "@tabler/icons-react";

import type { Notification } from "@/features/notifications/api/notifications";

type Severity = Notification["severity"];

export const SEVERITY_COLOR: Record<Severity, MantineColor> = {
  info: "blue",
  success: "green",
  warning: "yellow",
  error: "red",
};

export const SEVERITY_ICON = {
  info: IconInfoCircle,
  success: IconCircleCheck,
  warning: IconAlertTriangle,
  error: IconCircleX,
} as const satisfies Record<Severity, unknown>;

/** Events spell severity as `type`; unknown values are shown as information. */
export function toSeverity(value: string): Severity {
  return value in SEVERITY_COLOR ? (value as Severity) : "info";
}
