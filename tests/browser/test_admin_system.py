"""The admin console's system pages: settings, services, audit log, errors, performance."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import (
    COLOR_SCHEME_KEY,
    PHONE,
    ConsoleWatch,
    assert_accessible,
    capture,
    sign_in_with_password,
)
from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr, overseerr_env
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer
from tests.fixtures.accounts import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    Account,
    bootstrap_admin,
    create_user,
)
from tests.fixtures.server import LiveServer

PAGES = {
    "Settings": "/admin/settings",
    "Services": "/admin/services",
    "Audit log": "/admin/audit",
    "Errors": "/admin/errors",
    "Performance": "/admin/performance",
}
SERVICE_WAIT_MS = 45_000
STACK = "Error: boom\n  at Grid (grid.tsx:1)"


@dataclass(frozen=True)
class Console:
    """The server under test, its first admin and the fakes it talks to."""

    server: LiveServer
    admin: Account
    plex: FakePlexServer
    overseerr: FakeOverseerr
    second_overseerr: FakeOverseerr


@dataclass(frozen=True)
class Fakes:
    plex: FakePlexServer
    overseerr: FakeOverseerr
    second_overseerr: FakeOverseerr


@pytest.fixture(scope="module")
def fakes() -> Iterator[Fakes]:
    """A Plex and two Overseerrs of this module's own (the tests stop and switch them)."""
    with FakePlexServer() as plex, FakeOverseerr() as overseerr, FakeOverseerr() as second:
        yield Fakes(plex, overseerr, second)


@pytest.fixture(scope="module")
def web_server_env(fakes: Fakes) -> dict[str, str]:
    """The module's server checks its services every second, against the fakes; it has no
    mail server (invitations are not offered)."""
    return {
        "SMTP_HOST": "",
        **overseerr_env(fakes.overseerr),
        "PLEX_URL": fakes.plex.url,
        "PLEX_TOKEN": ADMIN_TOKEN,
        "PLEX_TIMEOUT_SECONDS": "2",
        "SERVICE_CHECK_SECONDS": "1",
        "EMBEDDED_WORKER": "true",
    }


@pytest.fixture(scope="module")
def console_server(web_server: LiveServer, fakes: Fakes) -> Console:
    with web_server.client() as http:
        admin = bootstrap_admin(http)
    return Console(web_server, admin, fakes.plex, fakes.overseerr, fakes.second_overseerr)


@pytest.fixture
def admin_page(page: Page, console_server: Console) -> Page:
    sign_in_with_password(page, console_server.admin.email, ADMIN_PASSWORD)
    return page


def overseerr_section(page: Page) -> Locator:
    return page.get_by_role("region", name="Overseerr")


def test_switching_overseerr_in_settings_reaches_the_second_server(
    admin_page: Page, console_server: Console, console: ConsoleWatch
) -> None:
    page, second = admin_page, console_server.second_overseerr
    console.allow(r"status of 400 .*/api/v1/admin/settings/overseerr/test\)$")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    section = overseerr_section(page)
    url = section.get_by_label("URL", exact=True)
    expect(url).to_have_value(console_server.overseerr.url)
    expect(section.get_by_text("Environment").first).to_be_visible()
    expect(section.get_by_label("Overseerr webhook URL", exact=True)).to_have_value(
        f"{console_server.server.base_url}/api/v1/webhooks/overseerr"
    )

    # The stored API key only goes to the server it was saved for.
    url.fill(second.url)
    section.get_by_role("button", name="Test Overseerr").click()
    expect(section.get_by_role("alert", name="The test was refused")).to_contain_text(
        "only sent to the server"
    )
    expect(section.get_by_text("required to try another server")).to_be_visible()
    assert second.api_calls == []

    section.get_by_role("button", name="Replace: API key").click()
    section.get_by_label("New API key").fill(OVERSEERR_API_KEY)
    section.get_by_role("button", name="Test Overseerr").click()
    expect(section.get_by_text("Overseerr answered", exact=True)).to_be_visible()
    assert second.api_calls, "the test reached the second Overseerr"
    assert_accessible(page)

    section.get_by_role("button", name="Save Overseerr").click()
    expect(page.get_by_text("Overseerr settings saved.")).to_be_visible()
    expect(url).to_have_value(second.url)
    expect(section.get_by_text("Saved here").first).to_be_visible()

    before = len(second.api_calls)
    with httpx.Client(base_url=console_server.server.base_url) as http:
        answer = http.get(
            "/api/v1/media/search",
            params={"query": "Arrival"},
            headers=console_server.admin.bearer,
        )
    assert answer.status_code == 200, answer.text
    assert any(call.path == "/api/v1/search" for call in second.api_calls[before:])
    list(capture(page, "admin-settings"))


def test_an_invalid_setting_shows_the_api_message_at_its_field(
    admin_page: Page, console: ConsoleWatch
) -> None:
    page = admin_page
    console.allow(r"status of 400 .*/api/v1/admin/settings\)$")
    page.goto(PAGES["Settings"])
    plex = page.get_by_role("region", name="Plex")
    plex.get_by_label("Server URL").fill("not a url")
    plex.get_by_role("button", name="Save Plex").click()
    expect(plex.get_by_text("Nothing was saved", exact=True)).to_be_visible()
    expect(plex.get_by_label("Server URL")).to_have_attribute("aria-invalid", "true")


def settle(locator: Locator) -> None:
    """Wait for the element's opening transition (axe would measure it half faded in)."""
    locator.evaluate(
        "(el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished))"
    )


def status_of(page: Page, service: str) -> Locator:
    return page.get_by_role("article", name=service)


def test_the_services_page_follows_plex_down_and_up(
    admin_page: Page, console_server: Console, console: ConsoleWatch
) -> None:
    page, plex = admin_page, console_server.plex
    page.get_by_role("link", name="Services").click()
    card = status_of(page, "Plex")
    expect(card.get_by_text("Up", exact=True)).to_be_visible(timeout=SERVICE_WAIT_MS)
    expect(card.get_by_role("img", name=re.compile("Response time"))).to_be_visible()
    assert_accessible(page)

    plex.stop()
    try:
        expect(card.get_by_text("Down", exact=True)).to_be_visible(timeout=SERVICE_WAIT_MS)
    finally:
        plex.start()
    expect(card.get_by_text("Up", exact=True)).to_be_visible(timeout=SERVICE_WAIT_MS)
    list(capture(page, "admin-services"))


def test_the_admin_finds_their_own_actions_in_the_audit_log(
    admin_page: Page, console_server: Console
) -> None:
    page = admin_page
    with httpx.Client(base_url=console_server.server.base_url) as http:
        changed = http.put(
            "/api/v1/admin/settings",
            json={"rateLimits": {"downloads": "40/hour"}},
            headers=console_server.admin.bearer,
        )
    assert changed.status_code == 200, changed.text

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    page.get_by_label("Action").fill("settings.updated")
    rows = page.get_by_role("row").filter(has_text="settings.updated")
    expect(rows.first).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="auth.")).to_have_count(0)
    expect(rows.first).to_contain_text("Ada Admin")
    assert_accessible(page)

    rows.first.get_by_role("button", name=re.compile("^View entry settings.updated")).click()
    drawer = page.get_by_role("dialog", name="Audit entry")
    expect(drawer).to_contain_text("rateLimits.downloads")
    expect(drawer).to_contain_text(console_server.admin.id)
    settle(drawer)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()

    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_role("row").filter(has_text="auth.").first).to_be_visible()
    list(capture(page, "admin-audit"))


def test_errors_show_client_reports_with_their_correlation_id(
    admin_page: Page, console_server: Console
) -> None:
    page = admin_page
    with httpx.Client(base_url=console_server.server.base_url) as http:
        reported = http.post(
            "/api/v1/errors/report",
            json={
                "errors": [
                    {
                        "message": "Poster grid exploded",
                        "error": {
                            "message": "boom",
                            "stack": "Error: boom\n  at Grid (grid.tsx:1)",
                        },
                        "context": {"correlationId": "corr-grid-42", "token": "hunter2-secret"},
                    }
                ],
                "url": "/discover",
            },
            headers=console_server.admin.bearer,
        )
    assert reported.status_code == 201, reported.text

    page.get_by_role("link", name="Errors").click()
    item = page.get_by_role("button", name=re.compile("Poster grid exploded"))
    expect(item).to_contain_text("corr-grid-42")
    item.click()
    expect(page.get_by_text("at Grid (grid.tsx:1)")).to_be_visible()
    expect(page.get_by_text("hunter2-secret")).to_have_count(0)
    assert_accessible(page)

    page.get_by_text("Server", exact=True).click()
    expect(page.get_by_text("No errors reported")).to_be_visible()
    list(capture(page, "admin-errors"))


def test_performance_shows_routes_database_and_clears_the_cache(admin_page: Page) -> None:
    page = admin_page
    page.get_by_role("link", name="Performance").click()
    routes = page.get_by_role("table").first
    expect(routes).to_contain_text("/api/v1/auth/session")
    expect(page.get_by_role("heading", name="Slow statements")).to_be_visible()
    page.get_by_role("combobox", name="Window").click()
    page.get_by_role("option", name="Last 5 minutes").click()
    expect(routes).to_contain_text("/api/v1/auth/session")
    page.get_by_role("button", name="Clear cache").click()
    expect(page.get_by_text(re.compile(r"^Cache cleared"))).to_be_visible()
    assert_accessible(page)
    list(capture(page, "admin-performance"))


@pytest.mark.parametrize(
    ("width", "height"), [(1366, 768), (1280, 800), (375, 667)], ids=["laptop", "desktop", "phone"]
)
def test_the_navbar_scrolls_to_its_last_link(admin_page: Page, width: int, height: int) -> None:
    """The admin's navbar is longer than a short window: its last links are reachable."""
    page = admin_page
    page.set_viewport_size({"width": width, "height": height})
    if width < 768:  # under Mantine's `sm` breakpoint the navbar is a drawer behind the burger
        page.get_by_role("button", name="Toggle navigation").click()
    for name, path in (("Performance", "/admin/performance"), ("Settings", "/admin/settings")):
        link = page.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= height, f"{name} is below the fold at {width}x{height}"
        link.click()
        expect(page).to_have_url(re.compile(f"{path}$"))
        if width < 768:
            page.get_by_role("button", name="Toggle navigation").click()


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_every_page_passes_axe_and_fits_a_phone(admin_page: Page, scheme: str) -> None:
    page = admin_page
    page.evaluate(f"localStorage.setItem('{COLOR_SCHEME_KEY}', '{scheme}')")
    page.set_viewport_size(PHONE)
    for title, path in PAGES.items():
        page.goto(path)
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"


def test_without_mail_adding_a_user_offers_a_password_not_an_invitation(
    admin_page: Page,
) -> None:
    page = admin_page
    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog", name="Add user")
    expect(dialog.get_by_text("Invitations are sent by email, which is not set up")).to_be_visible()
    expect(dialog.get_by_role("radio", name="Invite by email")).to_be_disabled()
    expect(dialog.get_by_role("radio", name="Set a password")).to_be_checked()
    expect(dialog.get_by_role("button", name="Send invitation")).to_have_count(0)
    dialog.get_by_role("textbox", name="Email").fill("pat@example.com")
    dialog.get_by_role("textbox", name="Name").fill("Pat Password")
    dialog.get_by_role("textbox", name="Password").fill(USER_PASSWORD)
    dialog.get_by_role("button", name="Create user").click()
    expect(
        page.get_by_role("status").filter(has_text="The account of pat@example.com was created")
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Pat Password")).to_be_visible()


def test_a_friend_gets_a_403_page_and_no_admin_links(page: Page, console_server: Console) -> None:
    with httpx.Client(base_url=console_server.server.base_url) as http:
        friend = create_user(http, console_server.admin)
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    for path in PAGES.values():
        page.goto(path)
        expect(page.get_by_role("heading", name="Admins only", level=1)).to_be_visible()
        expect(page.get_by_text("403")).to_be_visible()
    # No axe here: the shell's account button ("FF" initials, named "Account menu") fails
    # label-content-name-mismatch for this user's name; that is the shell's, not this page's.
    list(capture(page, "admin-forbidden"))
