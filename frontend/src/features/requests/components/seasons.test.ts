import { describe, expect, it } from "vitest";

import en from "@/features/requests/i18n/en.json";
import { seasonsLabel } from "@/features/requests/components/seasons";
import { createI18n } from "@/lib/i18n";

describe("seasonsLabel", () => {
  const t = createI18n({ requests: { en } }).t;

  it("names the seasons a request asked for", () => {
    expect(seasonsLabel(null, t)).toBe("All seasons");
    expect(seasonsLabel([2], t)).toBe("Season 2");
    expect(seasonsLabel([4, 1, 2], t)).toBe("Seasons 1, 2, and 4");
  });
});
