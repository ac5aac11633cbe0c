"""Home and notifications in the browser: live status and lists, Plex posters, the bell."""

import re

import pytest
from playwright.sync_api import Page, Response, WebSocket, expect

from tests.browser.harness import PHONE, assert_accessible, capture, sign_in_with_password
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

BELL = re.compile(r"^Notifications(, \d+ unread)?$")
LIVE_WAIT_MS = 20_000
"""An upper bound for a socket.io event to arrive on a busy CI machine (not a measurement)."""


@pytest.fixture(scope="module")
def web_server_env(plex_tv: FakePlexTv, plex_server: FakePlexServer) -> dict[str, str]:
    """The fake Plex (the home page shows its posters); one service check, at start: no
    status notices arrive mid-test."""
    return {"SERVICE_CHECK_SECONDS": "3600", **plex_env(plex_tv, plex_server)}


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with web_server.client() as http:
        return bootstrap_admin(http)


def broadcast(web_server: LiveServer, admin: Account, title: str, message: str) -> None:
    with web_server.client() as http:
        body = {"title": title, "message": message, "severity": "success"}
        response = http.post("/api/v1/admin/notifications", json=body, headers=admin.bearer)
        assert_ok(response, status=201)


def bell_name(unread: int) -> str:
    return f"Notifications, {unread} unread" if unread else "Notifications"


def unread_on_the_bell(page: Page) -> int:
    """The count the bell says (service checks may have notified the admin already)."""
    label = page.get_by_role("button", name=BELL).get_attribute("aria-label") or ""
    found = re.search(r"(\d+) unread", label)
    return int(found.group(1)) if found else 0


class SocketFrames:
    """socket.io packets the page received, over long-polling or the WebSocket."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("websocket", self._on_websocket)
        page.on("response", self._on_response)

    def _on_websocket(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda frame: self.received.append(str(frame)))

    def _on_response(self, response: Response) -> None:
        if "/socket.io/" in response.url and response.ok:
            self.received.append(response.text())

    def wait_for_namespace(self, page: Page, namespace: str) -> None:
        """Until the server acknowledged the page's connection to the namespace."""
        for _ in range(200):
            if any(f"40{namespace}," in frame for frame in self.received):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"the page never joined {namespace}: {self.received}")


def test_the_bell_gets_a_broadcast_live_and_marks_it_read(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    frames = SocketFrames(page)
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("button", name=BELL).wait_for()
    frames.wait_for_namespace(page, "/system")
    page.wait_for_load_state("networkidle")
    before = unread_on_the_bell(page)

    broadcast(web_server, admin, "Movie night", "Friday at eight, bring snacks.")

    bell = page.get_by_role("button", name=bell_name(before + 1), exact=True)
    expect(bell).to_be_visible(timeout=LIVE_WAIT_MS)
    expect(page.get_by_role("alert").filter(has_text="Movie night")).to_be_visible()  # the toast
    bell.click()
    drawer = page.get_by_role("dialog", name="Notifications")
    item = drawer.get_by_role("listitem", name="Unread: Movie night")
    expect(item).to_contain_text("Friday at eight, bring snacks.")
    assert_accessible(page)
    item.get_by_role("button", name="Mark “Movie night” read").click()
    expect(drawer.get_by_role("listitem", name="Movie night", exact=True)).to_be_visible()
    drawer.get_by_role("button", name="Close notifications").click()
    expect(page.get_by_role("button", name=bell_name(before), exact=True)).to_be_visible()


def test_home_shows_plex_posters_status_and_empty_lists(page: Page, admin: Account) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Ada Admin")).to_be_visible()

    recently_added = page.get_by_role("region", name="Recently added on Plex")
    expect(recently_added.get_by_role("listitem").filter(has_text="Heat")).to_be_visible()
    poster = recently_added.locator("img").first  # decorative (alt=""): the title is the text
    assert "/api/v1/plex/image" in (poster.get_attribute("src") or "")
    poster.evaluate("(img) => img.decode()")  # raises if the proxy did not give an image

    status = page.get_by_role("region", name="Service status")
    expect(status.get_by_role("listitem").filter(has_text="Plex")).to_be_visible()
    requests = page.get_by_role("region", name="My recent requests")
    expect(requests.get_by_role("heading", name="No requests yet")).to_be_visible()
    downloads = page.get_by_role("region", name="My recent downloads")
    expect(downloads.get_by_role("link", name="Download a video")).to_have_attribute(
        "href", "/youtube"
    )
    assert_accessible(page)
    list(capture(page, "home"))


def test_notifications_page_lists_marks_all_read_and_removes(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    broadcast(web_server, admin, "Maintenance", "Plex restarts at midnight.")
    broadcast(web_server, admin, "New films", "Three new films are on Plex.")
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="Notifications", exact=True).click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    listing = page.get_by_role("list", name="Notifications")
    expect(listing.get_by_text("Plex restarts at midnight.")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "notifications"))

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("button", name="Notifications", exact=True)).to_be_visible()
    expect(listing.get_by_role("listitem", name=re.compile("^Unread"))).to_have_count(0)
    listing.get_by_role("button", name="Remove “Maintenance”").click()
    expect(listing.get_by_text("Plex restarts at midnight.")).to_have_count(0)
    page.get_by_text("Unread (0)").click()
    expect(page.get_by_role("heading", name="No notifications")).to_be_visible()
    assert_accessible(page)


def test_home_and_notifications_work_at_phone_width(page: Page, admin: Account) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    for path, heading in (("/", "Welcome, Ada Admin"), ("/notifications", "Notifications")):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
        assert_accessible(page)
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
