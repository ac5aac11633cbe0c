// How an item's facts read in a card or the detail dialog.
import type { TFunction } from "i18next";

import type { PlexItem } from "@/features/library/api/plex";

/** "2014 · Film", "2008 · Series", or just the type when the year is unknown. */
export function itemSubtitle(item: PlexItem, t: TFunction<"library">): string {
  const type = t(`item.type.${item.type}`, { defaultValue: item.type });
  return item.year ? `${String(item.year)} · ${type}` : type;
}

/** Minutes to "2 h 5 min" or "45 min" (Plex durations are in milliseconds). */
export function formatRuntime(durationMs: number, locale = "en"): string {
  const minutes = Math.round(durationMs / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const unit = (value: number, name: "hour" | "minute") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(
      value,
    );
  if (hours === 0) return unit(rest, "minute");
  return rest === 0 ? unit(hours, "hour") : `${unit(hours, "hour")} ${unit(rest, "minute")}`;
}
