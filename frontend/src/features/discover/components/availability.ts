// What a title's availability badge says: Plex's state first, then who asked for it.
import type { MantineColor } from "@mantine/core";

import type { Availability, SeasonAvailability } from "@/features/discover/api/discover";

export type BadgeKind =
  | "available"
  | "partiallyAvailable"
  | "processing"
  | "requestedByMe"
  | "requestedByOthers";

export const BADGE_COLORS: Record<BadgeKind, MantineColor> = {
  // Light shades with dark text (the badge's autoContrast): WCAG AA over any poster.
  available: "green.5",
  partiallyAvailable: "teal.4",
  processing: "blue.4",
  requestedByMe: "violet.3",
  requestedByOthers: "yellow.4",
};

/** The one badge a poster shows, or null when nobody has or wants the title yet. */
export function availabilityBadge(availability: Availability): BadgeKind | null {
  switch (availability.plex) {
    case "available":
      return "available";
    case "partially_available":
      return "partiallyAvailable";
    case "processing":
      return "processing";
    default:
      break;
  }
  if (availability.requestedByMe) return "requestedByMe";
  // Overseerr's PENDING media status means someone asked for it there.
  if (availability.requested || availability.plex === "pending") return "requestedByOthers";
  return null;
}

export interface SeasonChoice {
  seasonNumber: number;
  name: string | null;
  episodeCount: number | null;
  availability: SeasonAvailability["availability"];
  /** Already in Plex, on its way, or in the user's open request. */
  requestable: boolean;
}

const NOT_REQUESTABLE = new Set<SeasonAvailability["availability"]>([
  "available",
  "processing",
  "pending",
]);

/** The seasons a request can ask for: specials (season 0) left out, as Overseerr does. */
export function seasonChoices(
  seasons: readonly SeasonAvailability[],
  myRequestSeasons: readonly number[] | null | undefined,
  hasMyRequest: boolean,
): SeasonChoice[] {
  const mine = new Set(myRequestSeasons ?? []);
  return seasons
    .filter((season) => season.seasonNumber > 0)
    .map((season) => ({
      seasonNumber: season.seasonNumber,
      name: season.name ?? null,
      episodeCount: season.episodeCount ?? null,
      availability: season.availability,
      requestable:
        !NOT_REQUESTABLE.has(season.availability) &&
        !(hasMyRequest && (myRequestSeasons == null || mine.has(season.seasonNumber))),
    }));
}

/** Whether anything of the title can still be requested by this user. */
export function canRequest(
  mediaType: "movie" | "tv",
  availability: Availability,
  choices: readonly SeasonChoice[],
): boolean {
  if (availability.plex === "available" || availability.plex === "processing") return false;
  if (mediaType === "movie") return !availability.requestedByMe;
  return choices.some((choice) => choice.requestable);
}

/** A show some of whose seasons are had or asked for already, with others still to ask
 * for: its button says "Request more", its dialog "All remaining seasons". */
export function isPartlyCovered(
  mediaType: "movie" | "tv",
  availability: Availability,
  choices: readonly SeasonChoice[],
): boolean {
  if (mediaType !== "tv") return false;
  if (availability.plex === "partially_available") return true;
  return choices.some((c) => !c.requestable) && choices.some((c) => c.requestable);
}

/** Toggling "all seasons": every requestable one, or none when all are picked already. */
export function toggleAll(selected: readonly number[], choices: readonly SeasonChoice[]): number[] {
  const requestable = choices.filter((c) => c.requestable).map((c) => c.seasonNumber);
  const allPicked = requestable.every((number) => selected.includes(number));
  return allPicked ? [] : requestable;
}
