"""What the discover and requests browser tests share: a server wired to the fake Overseerr
and TMDB image host, its people, and the API calls that stand in for an admin."""

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fakes.tmdb import FakeTmdbImages, tmdb_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

WEBHOOK_SECRET = "Bearer browser-webhook-secret-2026"
PHONE_WIDTH = 375


@dataclass(frozen=True)
class People:
    admin: Account
    friend: Account
    """A local account no Overseerr user matches: its requests wait for the admin."""


def media_env(overseerr: FakeOverseerr, tmdb: FakeTmdbImages) -> dict[str, str]:
    """The module server's settings: the fakes' URLs, the webhook secret, a roomy quota."""
    return {
        "OVERSEERR_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "OVERSEERR_SYNC_MINUTES": "600",
        "RATE_LIMIT_MEDIA_REQUESTS": "1000/hour",
        **overseerr_env(overseerr),
        **tmdb_env(tmdb),
    }


def make_people(server: LiveServer) -> People:
    with server.client() as http:
        admin = bootstrap_admin(http)
        return People(admin=admin, friend=create_user(http, admin))


def delete_all_requests(server: LiveServer, admin: Account) -> None:
    with server.client(timeout=15) as http:
        listed = assert_ok(http.get("/api/v1/admin/requests?limit=100", headers=admin.bearer))
        for request in listed["items"]:
            http.delete(f"/api/v1/media/requests/{request['id']}", headers=admin.bearer)


def api_request(server: LiveServer, account: Account, body: dict[str, Any]) -> dict[str, Any]:
    """A request made through the API (as another tab or the phone app would)."""
    with server.client(timeout=15) as http:
        response = http.post("/api/v1/media/request", json=body, headers=account.bearer)
        created: dict[str, Any] = assert_ok(response, status=201)
        return created


def approve(server: LiveServer, admin: Account, request_id: str) -> dict[str, Any]:
    with server.client(timeout=15) as http:
        response = http.post(f"/api/v1/admin/requests/{request_id}/approve", headers=admin.bearer)
        approved: dict[str, Any] = assert_ok(response)
        return approved


def assert_fits_phone(page: Page) -> None:
    """Nothing sticks out sideways at 375 px (rows scroll inside their own area)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is {width}px wide at {PHONE_WIDTH}px"


def wait_for_transitions(page: Page) -> None:
    """Until a dialog's fade-in is over: axe measures contrast on half-transparent text."""
    # Not wait_for_function: it evaluates a string, which the app's CSP (no eval) blocks.
    for _ in range(200):
        if page.evaluate("document.getAnimations().every((a) => a.playState !== 'running')"):
            return
        page.wait_for_timeout(25)
    # Endless ones (a spinner) may still run: assert_accessible freezes motion itself.
