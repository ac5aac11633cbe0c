// How a download's progress reads, in the user's queue and in the admin's list alike:
// "42% · 1.2 MB/s · 5m 30s left" while running; what it left behind once it is over.
import type { TFunction } from "i18next";

import type { components } from "@/lib/api/schema";
import { formatBytes } from "@/lib/format";

export type DownloadProgressFields = Pick<
  components["schemas"]["DownloadRead"],
  "status" | "progress" | "speedBytesPerSecond" | "etaSeconds" | "files"
>;

export const PROGRESS_COLOR = {
  queued: "gray",
  running: "blue",
  completed: "green",
  failed: "red",
  cancelled: "gray",
} as const;

/** The line under the bar; speed and time left only while it runs (a finished download's
 * last estimate, "0s", means nothing). */
export function progressParts(
  download: DownloadProgressFields,
  t: TFunction,
  locale = "en",
): string[] {
  const percent = t("download.percent", { percent: Math.round(download.progress) });
  if (download.status === "running") {
    const parts = [percent];
    if (download.speedBytesPerSecond) parts.push(formatSpeed(download.speedBytesPerSecond, locale));
    if (download.etaSeconds != null) {
      parts.push(t("download.eta", { eta: formatEta(download.etaSeconds, locale) }));
    }
    return parts;
  }
  if (download.status === "queued") return [t("download.waiting")];
  if (download.files.length > 0) {
    const size = download.files.reduce((sum, file) => sum + file.sizeBytes, 0);
    return [t("download.files", { count: download.files.length, size: formatBytes(size, locale) })];
  }
  return [download.status === "completed" ? t("download.noFiles") : percent];
}

export function formatSpeed(bytesPerSecond: number, locale = "en"): string {
  return `${formatBytes(bytesPerSecond, locale)}/s`;
}

/** Seconds left as the two largest units: "1h 5m", "5m 30s", "45s". */
export function formatEta(seconds: number, locale = "en"): string {
  const total = Math.max(0, Math.round(seconds));
  const parts: [number, "hour" | "minute" | "second"][] = [
    [Math.floor(total / 3600), "hour"],
    [Math.floor((total % 3600) / 60), "minute"],
    [total % 60, "second"],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return unit(0, "second", locale);
  return parts
    .slice(first, first + 2)
    .filter(([value], index) => index === 0 || value > 0)
    .map(([value, name]) => unit(value, name, locale))
    .join(" ");
}

function unit(value: number, name: "hour" | "minute" | "second", locale: string): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(
    value,
  );
}
