"""Signing in with Plex from the browser: the pop-up, pending, approved; and expired."""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.harness import ConsoleWatch, assert_accessible, capture
from tests.fakes.plex import PLEX_OWNER, FakePlexServer, FakePlexTv, PlexFakes, plex_env

PLEX_PAGE = "<!doctype html><title>Plex</title><h1>Approve MediaNest</h1>"


@pytest.fixture(scope="module")
def web_server_env(plex_tv: FakePlexTv, plex_server: FakePlexServer) -> dict[str, str]:
    return plex_env(plex_tv, plex_server)


@pytest.fixture
def plex_page(page: Page) -> list[str]:
    """app.plex.tv is not reachable from tests: the pop-up gets a stand-in page."""
    opened: list[str] = []

    def fulfil(route: Route) -> None:
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=PLEX_PAGE)

    page.context.route(re.compile(r"^https://app\.plex\.tv/"), fulfil)
    return opened


def only_pin(plex_tv: FakePlexTv) -> int:
    (pin_id,) = plex_tv.pins
    return pin_id


def test_plex_pending_then_approved_signs_in(
    page: Page, plex: PlexFakes, plex_page: list[str]
) -> None:
    page.goto("/sign-in")
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Sign in with Plex").click()
    popup = popup_info.value
    expect(page.get_by_text("Approve MediaNest in the Plex window that opened.")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "sign-in-plex-pending"))
    # The pop-up was sent to app.plex.tv's page for this PIN.
    popup.wait_for_url(re.compile(r"^https://app\.plex\.tv/"))
    assert plex_page
    assert f"code={plex.tv.pins[only_pin(plex.tv)].code}" in popup.url

    plex.tv.claim(only_pin(plex.tv), PLEX_OWNER)

    # The server owner becomes the first admin; the pop-up is closed for them.
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome, "))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    assert popup.is_closed()


def test_an_expired_pin_says_so_and_offers_to_start_again(
    page: Page, plex: PlexFakes, plex_page: list[str], console: ConsoleWatch
) -> None:
    console.allow(r"status of 4\d\d .*/api/v1/auth/plex/verify\)$")
    page.goto("/sign-in")
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Sign in with Plex").click()
    expect(page.get_by_role("button", name="Waiting for Plex…")).to_be_visible()
    popup_info.value.wait_for_url(re.compile(r"^https://app\.plex\.tv/"))

    plex.tv.expire(only_pin(plex.tv))

    expect(page.get_by_role("alert")).to_contain_text("expired")
    expect(page.get_by_role("button", name="Try Plex again")).to_be_visible()
    assert_accessible(page)


def test_a_blocked_pop_up_offers_a_link_and_a_qr_code(
    page: Page, plex: PlexFakes, plex_page: list[str]
) -> None:
    page.add_init_script("window.open = () => null;")  # what a pop-up blocker does
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with Plex").click()

    link = page.get_by_role("link", name="Open Plex sign-in")  # shown once the PIN exists
    expect(link).to_have_attribute("href", re.compile(r"^https://app\.plex\.tv/"))
    expect(page.get_by_role("img", name="QR code of the Plex sign-in page")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "sign-in-plex-blocked"))

    plex.tv.claim(only_pin(plex.tv), PLEX_OWNER)
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome, "))).to_be_visible()
