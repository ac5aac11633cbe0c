"""Under a base path (BASE_PATH=/nest) the same build routes, links and reloads inside it."""

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import PASSWORD_LABEL, off_the_loop
from tests.conftest import ServerEnv
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin
from tests.fixtures.server import LiveServer, free_port, start_server

BASE_PATH = "/nest"


@pytest.fixture(scope="module")
def web_server(
    browser: Browser, server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """`medianest serve` with BASE_PATH: its `base_url` ends with the prefix."""
    del browser
    port = free_port()
    env = off_the_loop(server_env, PUBLIC_URL=f"http://127.0.0.1:{port}", BASE_PATH=BASE_PATH)
    server = start_server(
        env, workdir=tmp_path_factory.mktemp("web"), base_path=BASE_PATH, port=port
    )
    yield server
    server.stop()


def assert_links_inside(page: Page) -> None:
    """Every same-site link on the page points under the base path."""
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href^='/']", "(links) => links.map((link) => link.getAttribute('href'))"
    )
    assert hrefs, "no links on the page"
    outside = [h for h in hrefs if h != BASE_PATH and not h.startswith(f"{BASE_PATH}/")]
    assert outside == [], f"links outside {BASE_PATH}: {outside}"


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with httpx.Client(base_url=web_server.base_url) as http:
        return bootstrap_admin(http)


def sign_in_from(page: Page, root: str, path: str, admin: Account) -> None:
    """Open `path` signed out: the sign-in page (under the prefix) brings them back to it."""
    page.goto(f"{root}{path}")
    expect(page).to_have_url(f"{root}/sign-in?next={quote(path, safe='')}")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_links_inside(page)
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label(PASSWORD_LABEL).fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{root}{path}")


def test_links_reloads_and_back_stay_under_the_base_path(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    root = web_server.base_url
    assert root.endswith(BASE_PATH)
    heading = page.get_by_role("heading", level=1)
    nav = page.get_by_role("navigation")

    # A deep link with a filter.
    sign_in_from(page, root, "/requests?status=pending", admin)
    expect(heading).to_have_text("My requests")
    expect(page.get_by_text("No requests with this status")).to_be_visible()
    assert_links_inside(page)

    # From page to page by the navbar's links, and a query-string filter on the way.
    nav.get_by_role("link", name="Notifications").click()
    expect(page).to_have_url(f"{root}/notifications")
    expect(heading).to_have_text("Notifications")
    page.get_by_text("Unread (0)").click()
    expect(page).to_have_url(f"{root}/notifications?filter=unread")
    expect(page.get_by_text("You have read everything.")).to_be_visible()
    nav.get_by_role("link", name="Account").click()
    expect(page).to_have_url(f"{root}/account")
    page.get_by_role("tab", name="Devices").click()
    expect(page).to_have_url(f"{root}/account?tab=sessions")

    # Reloading a client route (the server answers it with the app) shows the same page.
    page.reload()
    expect(heading).to_have_text("Account")
    expect(page.get_by_role("tab", name="Devices")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(f"{root}/account?tab=sessions")
    assert_links_inside(page)

    # Back goes through the same pages (the tab replaced its entry, the filter did not).
    page.go_back()
    expect(page).to_have_url(f"{root}/notifications?filter=unread")
    expect(page.get_by_text("You have read everything.")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(f"{root}/notifications")
    expect(heading).to_have_text("Notifications")
    page.go_back()
    expect(page).to_have_url(f"{root}/requests?status=pending")
    expect(heading).to_have_text("My requests")


def test_admin_pages_the_404_page_and_signing_out_under_the_base_path(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    root = web_server.base_url
    heading = page.get_by_role("heading", level=1)

    # An unknown address inside the app: after signing in, the 404 page, whose link goes home.
    sign_in_from(page, root, "/no/such/page", admin)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(f"{root}/")
    expect(heading).to_have_text("Welcome, Ada Admin")

    # The console's pages, and /admin's redirect.
    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    expect(page).to_have_url(f"{root}/admin/users")
    expect(heading).to_have_text("Users")
    assert_links_inside(page)
    page.goto(f"{root}/admin")
    expect(page).to_have_url(f"{root}/admin/overview")

    # Signing out lands on the sign-in page, still under the prefix.
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(f"{root}/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
