import { describe, expect, it } from "vitest";

import { describeUserAgent } from "@/features/account/components/userAgent";

describe("describeUserAgent", () => {
  it("names the browser and system", () => {
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
      ),
    ).toEqual({ browser: "Edge", system: "Windows", mobile: false });
    expect(
      describeUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      ),
    ).toEqual({ browser: "Safari", system: "iOS", mobile: true });
    expect(
      describeUserAgent("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"),
    ).toEqual({ browser: "Chrome", system: "Android", mobile: true });
  });

  it("knows nothing about an empty or odd agent", () => {
    expect(describeUserAgent(null)).toEqual({ browser: null, system: null, mobile: false });
    expect(describeUserAgent("python-httpx/0.28.1").browser).toBe("Python");
  });
});
