// The one fetch every API call goes through: CSRF header on changes, transparent refresh of
// the access token, one retry. See README "API calls" for why each step exists.
import { ApiError } from "@/lib/api/errors";

export const CSRF_COOKIE = "medianest_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Calls that must never trigger a refresh (they are how a session starts or renews). */
const NO_REFRESH_PATHS = ["/api/v1/auth/refresh", "/api/v1/auth/login", "/api/v1/auth/plex/"];

export interface HttpOptions {
  /** Origin + base path, e.g. `https://host/medianest`. */
  baseUrl: string;
  fetch?: Fetcher;
  /** Reads `document.cookie`; a seam for tests. */
  cookies?: () => string;
  /** Told when the session could not be renewed (the user must sign in again). */
  onSessionExpired?: () => void;
}

export type Fetcher = (input: Request) => Promise<Response>;

export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** A fetch for openapi-fetch's `fetch` option (it always passes a Request). */
export function createFetcher(options: HttpOptions): Fetcher {
  const doFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const cookies = options.cookies ?? (() => document.cookie);
  let refreshing: Promise<boolean> | null = null;

  async function csrfToken(forceNew: boolean): Promise<string | null> {
    const existing = readCookie(cookies(), CSRF_COOKIE);
    if (existing && !forceNew) return existing;
    const path = forceNew ? "/api/v1/csrf/refresh" : "/api/v1/csrf/token";
    const response = await doFetch(
      new Request(`${options.baseUrl}${path}`, {
        method: forceNew ? "POST" : "GET",
        credentials: "same-origin",
      }),
    );
    if (!response.ok) return null;
    const body = (await response.json()) as { data?: { token?: string } };
    return body.data?.token ?? null;
  }

  /** One refresh at a time: parallel 401s share it. */
  function refresh(): Promise<boolean> {
    refreshing ??= doFetch(
      new Request(`${options.baseUrl}/api/v1/auth/refresh`, {
        method: "POST",
        credentials: "same-origin",
      }),
    )
      .then((response) => response.ok)
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  async function send(request: Request, forceNewCsrf = false): Promise<Response> {
    const prepared = request.clone();
    if (!SAFE_METHODS.has(prepared.method.toUpperCase())) {
      const token = await csrfToken(forceNewCsrf);
      if (token) prepared.headers.set(CSRF_HEADER, token);
    }
    try {
      return await doFetch(prepared);
    } catch (cause) {
      throw ApiError.network(cause);
    }
  }

  return async (request: Request) => {
    const response = await send(request);
    const base = new URL(options.baseUrl).pathname.replace(/\/$/, "");
    const path = new URL(request.url).pathname.slice(base.length);
    if (response.status === 401 && !NO_REFRESH_PATHS.some((p) => path.startsWith(p))) {
      const error = await ApiError.fromResponse(response);
      if (error.code !== "JWT_INVALID") return response;
      if (!(await refresh())) {
        options.onSessionExpired?.();
        return response;
      }
      return send(request);
    }
    if (response.status === 403) {
      const error = await ApiError.fromResponse(response);
      if (error.code === "CSRF_TOKEN_MISMATCH") return send(request, true);
    }
    return response;
  };
}
