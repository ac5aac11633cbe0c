import { describe, expect, it } from "vitest";

import type { Availability, SeasonAvailability } from "@/features/discover/api/discover";
import { quotaFromHeaders } from "@/features/discover/api/discover";
import {
  availabilityBadge,
  canRequest,
  isPartlyCovered,
  seasonChoices,
  toggleAll,
} from "@/features/discover/components/availability";

function availability(overrides: Partial<Availability> = {}): Availability {
  return { plex: "unknown", requested: false, requestedByMe: false, myRequest: null, ...overrides };
}

function season(seasonNumber: number, state: SeasonAvailability["availability"]): SeasonAvailability {
  return { seasonNumber, availability: state, episodeCount: 8, name: null, airDate: null };
}

describe("availabilityBadge", () => {
  it("shows what Plex has before who asked for it", () => {
    expect(availabilityBadge(availability({ plex: "available", requestedByMe: true }))).toBe(
      "available",
    );
    expect(availabilityBadge(availability({ plex: "partially_available", requested: true }))).toBe(
      "partiallyAvailable",
    );
    expect(availabilityBadge(availability({ plex: "processing" }))).toBe("processing");
  });

  it("tells the user's own request from someone else's", () => {
    expect(availabilityBadge(availability({ requested: true, requestedByMe: true }))).toBe(
      "requestedByMe",
    );
    expect(availabilityBadge(availability({ requested: true }))).toBe("requestedByOthers");
    expect(availabilityBadge(availability({ plex: "pending" }))).toBe("requestedByOthers");
  });

  it("shows no badge for a title nobody has or wants", () => {
    expect(availabilityBadge(availability())).toBeNull();
  });
});

describe("seasonChoices", () => {
  const seasons = [season(0, "unknown"), season(1, "available"), season(2, "unknown"), season(3, "pending")];

  it("leaves specials out and offers only seasons Plex lacks and nobody asked for", () => {
    const choices = seasonChoices(seasons, null, false);
    expect(choices.map((c) => [c.seasonNumber, c.requestable])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it("does not offer seasons in the user's open request", () => {
    expect(seasonChoices([season(1, "unknown"), season(2, "unknown")], [1], true).map((c) => c.requestable))
      .toEqual([false, true]);
    // A request without seasons asked for all of them.
    expect(seasonChoices([season(1, "unknown")], null, true)[0]?.requestable).toBe(false);
  });

  it("toggles every requestable season on, then all off", () => {
    const choices = seasonChoices(seasons, null, false);
    expect(toggleAll([], choices)).toEqual([2]);
    expect(toggleAll([2], choices)).toEqual([]);
  });
});

describe("canRequest", () => {
  it("refuses titles Plex has and films the user asked for already", () => {
    expect(canRequest("movie", availability({ plex: "available" }), [])).toBe(false);
    expect(canRequest("movie", availability({ requestedByMe: true }), [])).toBe(false);
    expect(canRequest("movie", availability({ requested: true }), [])).toBe(true);
  });

  it("offers a show while a season is left to ask for", () => {
    const partly = availability({ plex: "partially_available" });
    expect(canRequest("tv", partly, seasonChoices([season(1, "available"), season(2, "unknown")], null, false))).toBe(true);
    expect(canRequest("tv", partly, seasonChoices([season(1, "available")], null, false))).toBe(false);
  });
});

describe("isPartlyCovered", () => {
  it("says a show is partly covered when some seasons are had or asked for", () => {
    const fresh = seasonChoices([season(1, "unknown"), season(2, "unknown")], null, false);
    expect(isPartlyCovered("tv", availability(), fresh)).toBe(false);
    const mine = seasonChoices([season(1, "unknown"), season(2, "unknown")], [1], true);
    expect(isPartlyCovered("tv", availability({ requestedByMe: true }), mine)).toBe(true);
    const othersAsked = seasonChoices([season(1, "pending"), season(2, "unknown")], null, false);
    expect(isPartlyCovered("tv", availability({ requested: true }), othersAsked)).toBe(true);
    expect(isPartlyCovered("tv", availability({ plex: "partially_available" }), [])).toBe(true);
    expect(isPartlyCovered("movie", availability({ requested: true }), [])).toBe(false);
  });
});

describe("quotaFromHeaders", () => {
  it("reads the request quota the API reports", () => {
    const headers = new Headers({
      "X-RateLimit-Limit": "20",
      "X-RateLimit-Remaining": "19",
      "X-RateLimit-Reset": "1767225600",
    });
    expect(quotaFromHeaders(headers)).toEqual({ limit: 20, remaining: 19, resetAt: 1767225600 });
    expect(quotaFromHeaders(new Headers())).toBeNull();
  });
});
