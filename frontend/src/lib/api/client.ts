// The typed API client: openapi-fetch over the types generated from openapi.json, sending
// everything through the fetch wrapper in http.ts. Feature query hooks call `api` + `unwrap`.
import createClient from "openapi-fetch";

import { ApiError } from "@/lib/api/errors";
import { createFetcher, type HttpOptions } from "@/lib/api/http";
import type { paths } from "@/lib/api/schema";
import { serverBaseUrl } from "@/lib/base";

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: HttpOptions) {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    credentials: "same-origin",
    fetch: createFetcher(options),
  });
}

let sessionExpiredListener: (() => void) | null = null;

/** The app's client (the session-expired listener is set by the app's providers). */
export const api: ApiClient = createApiClient({
  baseUrl: typeof window === "undefined" ? "http://localhost" : serverBaseUrl(),
  onSessionExpired: () => sessionExpiredListener?.(),
});

export function onSessionExpired(listener: (() => void) | null): void {
  sessionExpiredListener = listener;
}

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * The `data` of a successful envelope, or a thrown ApiError (so TanStack Query sees errors).
 *
 *     const user = await unwrap(api.GET("/api/v1/auth/me"));
 */
export type Unwrapped<D> = D extends { data: infer T } ? T : undefined;

export async function unwrap<D>(call: Promise<Answer<D>>): Promise<Unwrapped<D>> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok || data === undefined) {
    throw ApiError.fromEnvelope(error, response);
  }
  return (data as { data?: unknown }).data as Unwrapped<D>;
}
