import { describe, expect, it } from "vitest";

import { formatEta, formatSpeed } from "@/components/downloadProgress";
import { probeableUrl } from "@/features/youtube/components/progressText";

describe("formatEta", () => {
  it("shows the two largest units", () => {
    expect(formatEta(330)).toBe("5m 30s");
    expect(formatEta(3_900)).toBe("1h 5m");
    expect(formatEta(45)).toBe("45s");
  });

  it("drops a zero second unit and never goes negative", () => {
    expect(formatEta(7_200)).toBe("2h");
    expect(formatEta(3_605)).toBe("1h");
    expect(formatEta(-3)).toBe("0s");
  });
});

describe("formatSpeed", () => {
  it("is a size per second", () => {
    expect(formatSpeed(1_258_291.2)).toBe("1.2 MB/s");
    expect(formatSpeed(512)).toBe("512 byte/s");
  });
});

describe("probeableUrl", () => {
  it("accepts http(s) links only", () => {
    expect(probeableUrl(" https://www.youtube.com/watch?v=x ")).toBe(
      "https://www.youtube.com/watch?v=x",
    );
    expect(probeableUrl("ftp://example.com/video")).toBeNull();
    expect(probeableUrl("not a url at all")).toBeNull();
    expect(probeableUrl("http://")).toBeNull();
  });
});
