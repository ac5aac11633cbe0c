// Signing in with Plex: a PIN from MediaNest, approved on app.plex.tv in a pop-up, polled
// with back-off until approved, denied or expired.
import { api, unwrap, type ApiClient } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";

import type { SignIn } from "@/features/auth/api/signIn";

export type PlexPin = components["schemas"]["PlexPinRead"];

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5_000;

/** 1 s, 1.5 s, 2.25 s … at most 5 s between checks. */
export function pollDelay(attempt: number): number {
  return Math.min(FIRST_DELAY_MS * 1.5 ** attempt, MAX_DELAY_MS);
}

export function createPlexPin(): Promise<PlexPin> {
  return unwrap(api.POST("/api/v1/auth/plex/pin"));
}

/** The sign-in once approved; null while plex.tv still waits for the user. */
export async function verifyPlexPin(
  pinId: number,
  rememberMe: boolean,
  client: ApiClient = api,
): Promise<SignIn | null> {
  const { data, error, response } = await client.POST("/api/v1/auth/plex/verify", {
    body: { pinId, rememberMe },
  });
  if (error !== undefined || !response.ok || data === undefined) {
    throw ApiError.fromEnvelope(error, response);
  }
  if (response.status === 202) return null;
  return data.data as SignIn;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/** Polls until the PIN is approved; throws PLEX_PIN_EXPIRED once it has run out. */
export async function waitForPlexApproval(
  pin: PlexPin,
  {
    rememberMe,
    signal,
    client = api,
    delay = pollDelay,
  }: {
    rememberMe: boolean;
    signal: AbortSignal;
    client?: ApiClient;
    /** Milliseconds before check `attempt` (tests pass 0). */
    delay?: (attempt: number) => number;
  },
): Promise<SignIn> {
  const deadline = Date.now() + pin.expiresIn * 1000;
  for (let attempt = 0; ; attempt += 1) {
    await sleep(delay(attempt), signal);
    const signIn = await verifyPlexPin(pin.id, rememberMe, client);
    if (signIn) return signIn;
    if (Date.now() >= deadline) {
      throw new ApiError(400, "PLEX_PIN_EXPIRED", "The Plex sign-in expired.", null);
    }
  }
}
