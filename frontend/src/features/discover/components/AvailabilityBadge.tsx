import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { Availability } from "@/features/discover/api/discover";
import { BADGE_COLORS, availabilityBadge } from "@/features/discover/components/availability";

/** Available / partly / processing / requested (by you or by someone else); nothing otherwise. */
export function AvailabilityBadge({
  availability,
  size = "sm",
}: {
  availability: Availability;
  size?: "sm" | "md" | "lg";
}) {
  const { t } = useTranslation("discover");
  const kind = availabilityBadge(availability);
  if (!kind) return null;
  const label = t(`badge.${kind}`);
  // Narrow posters (phones) cut a long label with "…": the full text stays in the DOM (what
  // screen readers read) and in the tooltip.
  return (
    <Badge
      color={BADGE_COLORS[kind]}
      variant="filled"
      size={size}
      radius="sm"
      autoContrast
      maw="100%"
      title={label}
    >
      {label}
    </Badge>
  );
}
