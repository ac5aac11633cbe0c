// Number formatting of the console's figures (Intl, like @/lib/format).
export function formatNumber(value: number, digits = 1, locale = "en"): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

export function formatPercent(value: number | null | undefined, locale = "en"): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value) + " %";
}
