"""Plex browsing in the browser: libraries, a paged and sorted grid, item details with
posters through MediaNest's image proxy, collections, search, and Plex's outages."""

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import (
    DESKTOP,
    PHONE,
    ConsoleWatch,
    assert_accessible,
    capture,
    off_the_loop,
    sign_in_with_password,
    watch,
)
from tests.conftest import ServerEnv
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin
from tests.fixtures.server import LiveServer, free_port, start_server

UPSTREAM_ERROR = r"status of 50[23] "


@pytest.fixture(scope="module")
def web_server_env(plex_tv: FakePlexTv, plex_server: FakePlexServer) -> dict[str, str]:
    """The module's server is connected to the fake Plex server."""
    return plex_env(plex_tv, plex_server)


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with httpx.Client(base_url=web_server.base_url) as http:
        return bootstrap_admin(http)


def settle(page: Page) -> None:
    """Wait for transitions (a dialog fading in) to end, so axe sees the final colours."""
    for _ in range(100):
        if page.evaluate("document.getAnimations().every((a) => a.playState !== 'running')"):
            return
        page.wait_for_timeout(50)


def poster_loaded(page: Page, name: str) -> bool:
    """Whether the poster image inside `name` (a dialog or card) decoded real pixels."""
    image = page.get_by_role("dialog", name=name).locator("img").last
    expect(image).to_be_visible()
    image.evaluate("(img) => img.decode()")
    width: int = image.evaluate("(img) => img.naturalWidth")
    return width > 0


def test_plex_unreachable_then_back(
    page: Page, admin: Account, plex_server: FakePlexServer, console: ConsoleWatch
) -> None:
    # First in the module: nothing is cached yet, so Plex's outage shows.
    console.allow(UPSTREAM_ERROR)
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    with plex_server.down():
        page.get_by_role("link", name="Plex", exact=True).click()
        expect(page.get_by_role("heading", name="Plex cannot be reached")).to_be_visible(
            timeout=30_000
        )
        assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("link", name=re.compile(r"^Movies"))).to_be_visible()


def test_browsing_a_library_page_by_page(page: Page, admin: Account) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="Plex", exact=True).click()
    expect(page.get_by_role("heading", name="Plex", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^TV Shows"))).to_contain_text("5 items")
    recent = page.get_by_role("list", name="Recently added")
    expect(recent.get_by_role("listitem")).to_have_count(12)
    assert_accessible(page)
    list(capture(page, "plex"))

    page.get_by_role("link", name=re.compile(r"^Movies")).click()
    expect(page.get_by_role("heading", name="Movies", level=1)).to_be_visible()
    grid = page.get_by_role("list", name="Items")
    expect(grid.get_by_role("listitem")).to_have_count(24)
    expect(page.get_by_text("1\u201324 of 30")).to_be_visible()
    expect(grid.get_by_role("link", name="Akira")).to_be_visible()
    expect(grid.get_by_role("link", name="Whiplash")).to_have_count(0)
    assert_accessible(page)
    list(capture(page, "plex-library"))

    page.get_by_role("navigation", name="Pages").get_by_role("button", name="2").click()
    expect(page.get_by_text("25\u201330 of 30")).to_be_visible()
    expect(grid.get_by_role("listitem")).to_have_count(6)
    expect(page).to_have_url(re.compile(r"/plex/libraries/1\?page=2$"))
    expect(grid.get_by_role("link", name="Akira")).to_have_count(0)

    grid.get_by_role("link", name="Whiplash").click()
    dialog = page.get_by_role("dialog", name="Whiplash")
    expect(dialog).to_contain_text("Whiplash (2014), a film of the MediaNest test library.")
    expect(dialog).to_contain_text("2014 · Film")
    assert poster_loaded(page, "Whiplash"), "the poster did not load through the image proxy"
    settle(page)
    assert_accessible(page)
    list(capture(page, "plex-item"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"\?page=2$"))

    # Newest first: the sort changes the order and goes back to the first page.
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Newest first").click()
    expect(page).to_have_url(re.compile(r"\?sort=year%3Adesc$"))
    expect(grid.get_by_role("link").first).to_have_accessible_name(re.compile(r"^The Batman"))


def test_collections_and_search(page: Page, admin: Account) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.goto("/plex/libraries/1")
    page.get_by_role("tab", name="Collections").click()
    page.get_by_role("link", name="Batman Collection").click()
    expect(page.get_by_role("heading", name="Batman Collection", level=1)).to_be_visible()
    items = page.get_by_role("list", name="Batman Collection").get_by_role("listitem")
    expect(items).to_have_count(2)
    assert_accessible(page)

    search = page.get_by_role("search", name="Search Plex")
    page.get_by_role("link", name="Back to Movies").click()
    page.goto("/plex")
    search.get_by_label("Search Plex").fill("batman")
    search.get_by_label("Search Plex").press("Enter")
    expect(page.get_by_role("heading", name="Search Plex", level=1)).to_be_visible()
    results = page.get_by_role("list", name="Results for “batman”")
    expect(results.get_by_role("link", name="Batman Begins")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "plex-search"))

    search.get_by_label("Search Plex").fill("zzzz-nothing")
    search.get_by_label("Search Plex").press("Enter")
    expect(page.get_by_text("Nothing on Plex matches “zzzz-nothing”.")).to_be_visible()


def test_plex_pages_at_phone_width(page: Page, admin: Account) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Plex", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Movies")).click()
    grid = page.get_by_role("list", name="Items")
    expect(grid.get_by_role("listitem")).to_have_count(24)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_without_plex_the_page_says_so(
    browser: Browser, server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    server = start_server(
        off_the_loop(server_env, PUBLIC_URL=f"http://127.0.0.1:{port}"),
        workdir=tmp_path_factory.mktemp("web-no-plex"),
        port=port,
    )
    context = browser.new_context(base_url=server.base_url, viewport=DESKTOP, color_scheme="dark")
    console = ConsoleWatch()
    try:
        with httpx.Client(base_url=server.base_url) as http:
            admin = bootstrap_admin(http)
        page = context.new_page()
        watch(page, console)
        console.allow(UPSTREAM_ERROR)
        sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
        page.get_by_role("link", name="Plex", exact=True).click()
        expect(page.get_by_role("heading", name="Plex is not connected")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
        server.stop()
    assert console.csp_violations == []
    assert console.unexpected() == []
