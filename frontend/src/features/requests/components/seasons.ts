// How a request's seasons read: "All seasons", "Season 2", "Seasons 1, 2 and 4".
import type { TFunction } from "i18next";

export function seasonsLabel(seasons: readonly number[] | null, t: TFunction): string {
  if (!seasons || seasons.length === 0) return t("requests:seasons.all");
  const sorted = [...seasons].sort((a, b) => a - b);
  if (sorted.length === 1) return t("requests:seasons.one", { number: sorted[0] });
  const list = new Intl.ListFormat("en", { style: "long", type: "conjunction" }).format(
    sorted.map(String),
  );
  return t("requests:seasons.many", { list });
}
