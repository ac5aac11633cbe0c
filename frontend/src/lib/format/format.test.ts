import { describe, expect, it } from "vitest";

import { formatBytes, formatDate, formatDuration, formatRelative } from "@/lib/format";

describe("format", () => {
  it("shows sizes in binary units", () => {
    expect(formatBytes(512)).toBe("512 byte");
    expect(formatBytes(1536)).toBe("1.5 kB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5 GB");
  });

  it("shows durations as clock time", () => {
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("says how long ago in words", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:58:00Z", now)).toBe("2 minutes ago");
    expect(formatRelative("2025-12-31T12:00:00Z", now)).toBe("yesterday");
  });

  it("shows a bare date as that day wherever the reader is", () => {
    expect(formatDate("2024-02-27")).toBe("Feb 27, 2024");
  });
});
