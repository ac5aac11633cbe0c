import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Link, useLocation } from "wouter";

import { AppRouter, currentAppPath, matchesPath, useSearchParams } from "@/lib/routing";

describe("currentAppPath", () => {
  it("strips the base path, whatever its case", () => {
    expect(currentAppPath("/nest", "/nest/requests/3")).toBe("/requests/3");
    expect(currentAppPath("/nest", "/Nest")).toBe("/");
    expect(currentAppPath("", "/requests")).toBe("/requests");
  });

  it("leaves a path outside the base path alone", () => {
    expect(currentAppPath("/nest", "/nestling")).toBe("/nestling");
  });
});

describe("matchesPath", () => {
  it("matches params, a trailing slash, and the catch-all", () => {
    expect(matchesPath("/requests/:id", "/requests/12/")).toBe(true);
    expect(matchesPath("/requests/:id", "/requests")).toBe(false);
    expect(matchesPath("/", "/")).toBe(true);
    expect(matchesPath("/", "/discover")).toBe(false);
    expect(matchesPath("*", "/")).toBe(true);
    expect(matchesPath("*", "/no/such/page")).toBe(true);
  });
});

function Page() {
  const [path] = useLocation();
  const [params, setParams] = useSearchParams();
  return (
    <>
      <p>path {path}</p>
      <p>q {params.get("q")}</p>
      <Link to="/requests">requests</Link>
      <button type="button" onClick={() => setParams({ q: "100%41 & more" })}>
        search
      </button>
    </>
  );
}

describe("AppRouter under a base path", () => {
  let meta: HTMLMetaElement;
  beforeEach(() => {
    meta = document.createElement("meta");
    meta.name = "medianest-base";
    meta.content = "/nest";
    document.head.append(meta);
    window.history.replaceState(null, "", "/nest/discover/search?q=a%2541");
  });
  afterEach(() => {
    meta.remove();
    window.history.replaceState(null, "", "/");
  });

  it("reads paths and queries inside the app, and writes them under the base path", async () => {
    render(
      <AppRouter>
        <Page />
      </AppRouter>,
    );
    expect(screen.getByText("path /discover/search")).toBeTruthy();
    // Decoded once: "%2541" is the typed text "%41", not "A".
    expect(screen.getByText("q a%41")).toBeTruthy();
    expect(screen.getByRole("link", { name: "requests" }).getAttribute("href")).toBe("/nest/requests");

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "search" }));
      await Promise.resolve();
    });
    expect(window.location.pathname).toBe("/nest/discover/search");
    expect(await screen.findByText("q 100%41 & more")).toBeTruthy();

    await act(async () => {
      fireEvent.click(screen.getByRole("link", { name: "requests" }));
      await Promise.resolve();
    });
    expect(window.location.pathname).toBe("/nest/requests");
    expect(await screen.findByText("path /requests")).toBeTruthy();
  });
});
