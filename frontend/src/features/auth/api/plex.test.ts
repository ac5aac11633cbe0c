import { describe, expect, it } from "vitest";

import { pollDelay, waitForPlexApproval, type PlexPin } from "@/features/auth/api/plex";
import { createApiClient } from "@/lib/api/client";
import { envelope, errorEnvelope, FakeServer } from "@/testing/fakeServer";

const PIN: PlexPin = { id: 7, code: "abc", authUrl: "https://app.plex.tv/auth", qrUrl: "", expiresIn: 600 };
const SIGN_IN = { user: { id: "u1", username: "owner", role: "admin" }, token: "t" };

function clientFor(server: FakeServer) {
  return createApiClient({ baseUrl: server.origin, fetch: server.fetch, cookies: server.cookieHeader });
}

describe("Plex sign-in polling", () => {
  it("backs off from 1 s to at most 5 s", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(pollDelay)).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
  });

  it("asks again while pending and returns the sign-in once approved", async () => {
    let checks = 0;
    const server = new FakeServer().route("POST", "/api/v1/auth/plex/verify", (request) => {
      checks += 1;
      expect(JSON.parse(request.body)).toEqual({ pinId: 7, rememberMe: true });
      return checks < 3 ? envelope({ status: "pending", expiresIn: 500 }, 202) : envelope(SIGN_IN);
    });
    server.cookies.set("medianest_csrf", "t");
    const signIn = await waitForPlexApproval(PIN, {
      rememberMe: true,
      signal: new AbortController().signal,
      client: clientFor(server),
      delay: () => 0,
    });
    expect(signIn.user.username).toBe("owner");
    expect(checks).toBe(3);
  });

  it("stops with the server's error when access is denied", async () => {
    const server = new FakeServer().route("POST", "/api/v1/auth/plex/verify", () =>
      errorEnvelope(403, "PLEX_ACCESS_DENIED", "Not shared with you."),
    );
    server.cookies.set("medianest_csrf", "t");
    await expect(
      waitForPlexApproval(PIN, {
        rememberMe: false,
        signal: new AbortController().signal,
        client: clientFor(server),
        delay: () => 0,
      }),
    ).rejects.toMatchObject({ code: "PLEX_ACCESS_DENIED", message: "Not shared with you." });
  });

  it("stops checking when cancelled", async () => {
    const server = new FakeServer().route("POST", "/api/v1/auth/plex/verify", () =>
      envelope({ status: "pending", expiresIn: 500 }, 202),
    );
    const abort = new AbortController();
    abort.abort(new DOMException("cancelled", "AbortError"));
    await expect(
      waitForPlexApproval(PIN, { rememberMe: false, signal: abort.signal, client: clientFor(server) }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requests).toHaveLength(0);
  });
});
