// Which pasted text is worth asking the server about.

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
