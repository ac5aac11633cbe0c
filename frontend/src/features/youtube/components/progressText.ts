// How a download's speed and time left read: "1.2 MB/s", "5m 30s".
import { formatBytes } from "@/lib/format";

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

/** Only http(s) URLs are worth asking the server about. */
export function probeableUrl(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length < 8 || trimmed.length > 2000) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" ? trimmed : null;
  } catch {
    return null;
  }
}
