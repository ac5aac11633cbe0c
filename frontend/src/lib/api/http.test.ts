import { describe, expect, it } from "vitest";

import { createApiClient, unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import { envelope, errorEnvelope, FakeServer } from "@/testing/fakeServer";

const USER = { id: "u1", username: "ada", role: "user" };

function clientFor(server: FakeServer, onSessionExpired?: () => void) {
  return createApiClient({
    baseUrl: server.origin,
    fetch: server.fetch,
    cookies: server.cookieHeader,
    ...(onSessionExpired ? { onSessionExpired } : {}),
  });
}

describe("CSRF", () => {
  it("sends the CSRF cookie as X-CSRF-Token on changes, not on reads", async () => {
    const server = new FakeServer()
      .route("PATCH", "/api/v1/auth/me", () => envelope(USER))
      .route("GET", "/api/v1/auth/me", () => envelope(USER));
    server.cookies.set("medianest_csrf", "token-from-cookie");
    const api = clientFor(server);

    await unwrap(api.PATCH("/api/v1/auth/me", { body: { name: "Ada" } }));
    await unwrap(api.GET("/api/v1/auth/me"));

    expect(server.calls("PATCH", "/api/v1/auth/me")[0]?.headers.get("X-CSRF-Token")).toBe(
      "token-from-cookie",
    );
    expect(server.calls("GET", "/api/v1/auth/me")[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });

  it("asks for a token when there is no CSRF cookie yet", async () => {
    const server = new FakeServer()
      .route("GET", "/api/v1/csrf/token", (_r, s) => {
        s.cookies.set("medianest_csrf", "fresh");
        return envelope({ token: "fresh" });
      })
      .route("POST", "/api/v1/auth/logout", () => envelope(null));
    await unwrap(clientFor(server).POST("/api/v1/auth/logout"));
    expect(server.calls("POST", "/api/v1/auth/logout")[0]?.headers.get("X-CSRF-Token")).toBe(
      "fresh",
    );
  });

  it("renews a rejected CSRF token and retries once", async () => {
    let attempts = 0;
    const server = new FakeServer()
      .route("POST", "/api/v1/csrf/refresh", (_r, s) => {
        s.cookies.set("medianest_csrf", "renewed");
        return envelope({ token: "renewed" });
      })
      .route("POST", "/api/v1/auth/logout", (request) => {
        attempts += 1;
        return request.headers.get("X-CSRF-Token") === "renewed"
          ? envelope(null)
          : errorEnvelope(403, "CSRF_TOKEN_MISMATCH", "Bad CSRF token");
      });
    server.cookies.set("medianest_csrf", "stale");
    await unwrap(clientFor(server).POST("/api/v1/auth/logout"));
    expect(attempts).toBe(2);
  });
});

describe("transparent refresh", () => {
  it("refreshes on 401 JWT_INVALID and retries the request once, body included", async () => {
    let refreshed = false;
    const server = new FakeServer()
      .route("POST", "/api/v1/auth/refresh", (_r, s) => {
        refreshed = true;
        s.cookies.set("medianest_csrf", "after-refresh");
        return envelope({ user: USER });
      })
      .route("PATCH", "/api/v1/auth/me", () =>
        refreshed ? envelope({ ...USER, name: "Ada" }) : errorEnvelope(401, "JWT_INVALID", "Expired"),
      );
    server.cookies.set("medianest_csrf", "before");

    const user = await unwrap(clientFor(server).PATCH("/api/v1/auth/me", { body: { name: "Ada" } }));

    expect(user.name).toBe("Ada");
    const attempts = server.calls("PATCH", "/api/v1/auth/me");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.body).toBe(JSON.stringify({ name: "Ada" }));
    expect(attempts[1]?.headers.get("X-CSRF-Token")).toBe("after-refresh");
  });

  it("shares one refresh between parallel calls", async () => {
    let refreshed = false;
    const server = new FakeServer()
      .route("POST", "/api/v1/auth/refresh", () => {
        refreshed = true;
        return envelope({ user: USER });
      })
      .route("GET", "/api/v1/auth/me", () =>
        refreshed ? envelope(USER) : errorEnvelope(401, "JWT_INVALID", "Expired"),
      );
    const api = clientFor(server);
    await Promise.all([unwrap(api.GET("/api/v1/auth/me")), unwrap(api.GET("/api/v1/auth/me"))]);
    expect(server.calls("POST", "/api/v1/auth/refresh")).toHaveLength(1);
  });

  it("gives up after one retry and says the session is over", async () => {
    let expired = 0;
    const server = new FakeServer()
      .route("POST", "/api/v1/auth/refresh", () => errorEnvelope(401, "JWT_INVALID", "Revoked"))
      .route("GET", "/api/v1/auth/me", () => errorEnvelope(401, "JWT_INVALID", "Expired"));
    const call = unwrap(clientFor(server, () => (expired += 1)).GET("/api/v1/auth/me"));
    await expect(call).rejects.toMatchObject({ status: 401, code: "JWT_INVALID" });
    expect(server.calls("GET", "/api/v1/auth/me")).toHaveLength(1);
    expect(expired).toBe(1);
  });

  it("does not refresh on 401 UNAUTHORIZED (never signed in) or for the login call", async () => {
    const server = new FakeServer()
      .route("GET", "/api/v1/auth/me", () => errorEnvelope(401, "UNAUTHORIZED", "Sign in"))
      .route("POST", "/api/v1/auth/login", () => errorEnvelope(401, "JWT_INVALID", "x"));
    server.cookies.set("medianest_csrf", "t");
    const api = clientFor(server);
    await expect(unwrap(api.GET("/api/v1/auth/me"))).rejects.toBeInstanceOf(ApiError);
    await expect(
      unwrap(api.POST("/api/v1/auth/login", { body: { email: "a@b.c", password: "x" } })),
    ).rejects.toBeInstanceOf(ApiError);
    expect(server.calls("POST", "/api/v1/auth/refresh")).toHaveLength(0);
  });
});

describe("errors", () => {
  it("turns the error envelope into an ApiError with message and correlation id", async () => {
    const server = new FakeServer().route("GET", "/api/v1/auth/me", () =>
      errorEnvelope(429, "RATE_LIMIT_EXCEEDED", "Too many requests.", "abc-789"),
    );
    const error = await unwrap(clientFor(server).GET("/api/v1/auth/me")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: "RATE_LIMIT_EXCEEDED",
      message: "Too many requests.",
      correlationId: "abc-789",
    });
  });

  it("reports a non-envelope failure with the correlation id header", async () => {
    const server = new FakeServer().route(
      "GET",
      "/api/v1/auth/me",
      () =>
        new Response("<html>Bad gateway</html>", {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "content-type": "text/html", "X-Correlation-ID": "proxy-1" },
        }),
    );
    const error = await unwrap(clientFor(server).GET("/api/v1/auth/me")).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: "HTTP_ERROR", correlationId: "proxy-1" });
  });

  it("reports an unreachable server as NETWORK_ERROR", async () => {
    const api = createApiClient({
      baseUrl: "http://medianest.test",
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
      cookies: () => "",
    });
    await expect(unwrap(api.GET("/api/v1/auth/me"))).rejects.toMatchObject({
      code: "NETWORK_ERROR",
      status: 0,
    });
  });
});
