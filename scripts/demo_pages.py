"""The demo's pages in Chromium: who sees them, where they are, when they are ready.

Shared by `scripts/screenshots.py` (the docs' screenshots) and `bench/first_render.py` (first
render figures), both of which run `scripts.demo.running_demo`.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, Page, Playwright, StorageState
from scripts.demo import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    FRIEND_EMAIL,
    FRIEND_NAME,
    FRIEND_PASSWORD,
    Seeded,
)
from tests.fakes.overseerr import FURIOSA, NEW_SHOW

CHROMIUM = Path(os.environ.get("MEDIANEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [  # as tests/browser/harness.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_TIMEOUT_MS = 20_000

Who = Literal["nobody", "friend", "admin"]


@dataclass(frozen=True)
class DemoPage:
    name: str
    path: str
    who: Who
    then: Callable[[Page], None] | None = None
    """What a person does on the settled page before it is shown (opens a dialog, a drawer)."""


def _open_dialog(button: str | re.Pattern[str]) -> Callable[[Page], None]:
    """Clicks the first button so named, then waits for the dialog (or drawer) it opens."""

    def act(page: Page) -> None:
        page.get_by_role("button", name=button).first.click()
        page.get_by_role("dialog").first.wait_for(timeout=READY_TIMEOUT_MS)

    return act


def _open_first_report(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Cannot read properties")).first.click()
    page.get_by_text("Traceback (secrets masked)").first.wait_for(timeout=READY_TIMEOUT_MS)


def _open_friend(page: Page) -> None:
    page.get_by_role("link", name=FRIEND_NAME).first.click()
    page.get_by_role("heading", name=FRIEND_NAME).first.wait_for(timeout=READY_TIMEOUT_MS)


def demo_pages(seeded: Seeded) -> list[DemoPage]:
    """Every page of the app, filled in by the demo's seed. Friends' pages as Fran (she has
    requests in several statuses), the console as the admin."""
    pending = seeded.request_ids["pending"]
    return [
        DemoPage("sign-in", "/sign-in", "nobody"),
        DemoPage("forgot-password", "/forgot-password", "nobody"),
        DemoPage("setup", "/setup", "nobody"),  # its first step, as a new install shows it
        DemoPage("setup-plex", "/setup", "admin"),  # an admin continues at "Connect Plex"
        DemoPage("home", "/", "friend"),
        DemoPage("discover", "/discover", "friend"),
        DemoPage("discover-row", "/discover/row/trending", "friend"),
        DemoPage("search", f"/discover/search?q={NEW_SHOW.title.replace(' ', '+')}", "friend"),
        DemoPage("details", f"/discover/tv/{NEW_SHOW.tmdb_id}", "friend"),
        DemoPage("details-film", f"/discover/movie/{FURIOSA.tmdb_id}", "friend"),
        DemoPage(
            "request-dialog",
            f"/discover/tv/{NEW_SHOW.tmdb_id}",
            "friend",
            _open_dialog(re.compile(r"^Request( more)?$")),
        ),
        DemoPage("requests", "/requests", "friend"),
        DemoPage("request", f"/requests/{pending}", "friend"),
        DemoPage("plex", "/plex", "friend"),
        DemoPage("plex-library", "/plex/libraries/1", "friend"),
        DemoPage("plex-collection", "/plex/collections/301", "friend"),
        DemoPage("plex-search", "/plex/search?q=batman", "friend"),
        DemoPage("youtube", "/youtube", "friend"),
        DemoPage(
            "youtube-remove",
            "/youtube",
            "friend",
            _open_dialog(re.compile("^Remove ")),
        ),
        DemoPage("notifications", "/notifications", "friend"),
        DemoPage(
            "notifications-drawer",
            "/",
            "friend",
            _open_dialog(re.compile("^Notifications")),
        ),
        DemoPage("account-profile", "/account?tab=profile", "friend"),
        DemoPage("account-password", "/account?tab=password", "friend"),
        DemoPage("account-devices", "/account?tab=sessions", "friend"),
        DemoPage("account-api-keys", "/account?tab=api-keys", "friend"),
        DemoPage("admin-overview", "/admin/overview", "admin"),
        DemoPage("admin-users", "/admin/users", "admin"),
        DemoPage("admin-add-user", "/admin/users", "admin", _open_dialog("Add user")),
        DemoPage("admin-user", "/admin/users", "admin", _open_friend),
        DemoPage("admin-requests", "/admin/requests", "admin"),
        DemoPage("admin-downloads", "/admin/downloads", "admin"),
        DemoPage("admin-broadcast", "/admin/notifications", "admin"),
        DemoPage("admin-services", "/admin/services", "admin"),
        DemoPage("admin-audit", "/admin/audit", "admin"),
        DemoPage("admin-errors", "/admin/errors", "admin", _open_first_report),
        DemoPage("admin-performance", "/admin/performance", "admin"),
        DemoPage("admin-settings", "/admin/settings", "admin"),
    ]


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def sign_in(page: Page, who: Who) -> None:
    """Through the sign-in page, as a person would; waits for the signed-in shell."""
    email, password = {
        "admin": (ADMIN_EMAIL, ADMIN_PASSWORD),
        "friend": (FRIEND_EMAIL, FRIEND_PASSWORD),
    }[who]
    page.goto("/sign-in")
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Account menu").wait_for()


def sessions(browser: Browser, base_url: str) -> dict[Who, StorageState]:
    """Cookies (and the colour scheme in local storage) of each kind of visitor."""
    states: dict[Who, StorageState] = {}
    for who in ("nobody", "friend", "admin"):
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        if who != "nobody":
            sign_in(page, who)
        states[who] = context.storage_state()
        context.close()
    return states


# "Loading…" placeholders (LoadingState) gone, skeletons hidden, eager images loaded (posters
# load lazily, when the browser sees them near the viewport: not waited for).
WHEN_SETTLED = """() => {
  const loading = [...document.querySelectorAll('[role="status"]')].some(
    (element) => element.textContent.includes("Loading…")
  );
  const skeleton = document.querySelector('.mantine-Skeleton-root[data-visible="true"]');
  const images = [...document.images].every(
    (image) => image.complete || image.loading === "lazy"
  );
  return !loading && !skeleton && images;
}"""


def wait_until_settled(page: Page) -> None:
    """The page's heading is there, nothing says "Loading…" and eager images have loaded."""
    page.locator("h1").first.wait_for(timeout=READY_TIMEOUT_MS)
    page.wait_for_function(WHEN_SETTLED, timeout=READY_TIMEOUT_MS)
