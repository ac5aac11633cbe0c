import { describe, expect, it } from "vitest";

import { retryDelay } from "@/lib/socket/client";

describe("retryDelay", () => {
  it("doubles from one second and stops growing at ten", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, none))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it("adds up to half of the delay at random", () => {
    expect(retryDelay(2, () => 1)).toBe(3_000);
    expect(retryDelay(9, () => 0.5)).toBe(12_500);
  });
});
