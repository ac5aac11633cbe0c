"""The account pages in the browser: password, devices, API keys, the phone layout."""

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.harness import (
    DESKTOP,
    PHONE,
    ConsoleWatch,
    assert_accessible,
    capture,
    sign_in_with_password,
    watch,
)
from tests.fixtures.accounts import USER_PASSWORD, Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

NEW_PASSWORD = "Copper-Meadow-Violin-88!"


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with web_server.client() as http:
        return bootstrap_admin(http)


@pytest.fixture
def friend(web_server: LiveServer, admin: Account) -> Account:
    """A fresh user per test: these tests change passwords and end sessions."""
    with web_server.client() as http:
        return create_user(http, admin)


@pytest.fixture
def other_device(browser: Browser, web_server: LiveServer) -> Iterator[BrowserContext]:
    """A second browser (another device); its console may show the 401s of a lost session."""
    context = browser.new_context(base_url=web_server.base_url, viewport=DESKTOP)
    yield context
    context.close()


def open_account_tab(page: Page, tab: str) -> None:
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
    page.get_by_role("tab", name=tab).click()


def signed_in_elsewhere(context: BrowserContext, friend: Account) -> Page:
    page = context.new_page()
    console = ConsoleWatch()
    watch(page, console)
    sign_in_with_password(page, friend.email, friend.password)
    return page


def expect_signed_out_on_next_action(page: Page) -> None:
    """The other device's next page load lands on sign-in (the live connection may have
    sent it there already)."""
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_password_change_shows_the_rules_then_signs_out_other_devices(
    page: Page, console: ConsoleWatch, friend: Account, other_device: BrowserContext
) -> None:
    console.allow(r"status of 400 .*/api/v1/auth/change-password\)$")
    elsewhere = signed_in_elsewhere(other_device, friend)
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    open_account_tab(page, "Password")

    page.get_by_label("Current password").fill(USER_PASSWORD)
    page.get_by_role("textbox", name="New password", exact=True).fill("short")
    rules = page.get_by_role("list", name="Password rules")
    expect(rules.get_by_role("listitem").filter(has_text="At least 8 characters")).to_contain_text(
        "(not met yet)"
    )
    page.get_by_label("Repeat the new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    refused = page.get_by_role("alert").filter(has_text="The new password:")
    expect(refused).to_contain_text("must be at least 8 characters long")
    expect(refused).to_contain_text("must contain a digit")
    assert_accessible(page)

    page.get_by_role("textbox", name="New password", exact=True).fill(NEW_PASSWORD)
    expect(rules.get_by_role("listitem").filter(has_text="A digit")).to_contain_text("(met)")
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status").filter(has_text="Your password is changed")).to_be_visible()
    list(capture(page, "account-password"))

    expect_signed_out_on_next_action(elsewhere)
    with httpx.Client(base_url=str(page.url).split("/account")[0]) as http:
        login = {"email": friend.email, "password": NEW_PASSWORD}
        assert_ok(http.post("/api/v1/auth/login", json=login))


def test_revoking_another_session_signs_that_device_out(
    page: Page, friend: Account, other_device: BrowserContext
) -> None:
    elsewhere = signed_in_elsewhere(other_device, friend)
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    open_account_tab(page, "Devices")

    devices = page.get_by_role("listitem").filter(has=page.get_by_role("button", name="Sign out"))
    this_device = page.get_by_role("listitem").filter(has_text="This device")
    expect(this_device).to_have_count(1)
    expect(this_device.get_by_role("button", name=re.compile("^Sign out"))).to_have_count(0)
    # The fixture's API sign-in and the other browser: two devices to sign out.
    expect(devices).to_have_count(2)
    assert_accessible(page)
    list(capture(page, "account-devices"))

    chromium = devices.filter(has_text="Chrome on Linux").first
    chromium.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(devices).to_have_count(1)
    expect_signed_out_on_next_action(elsewhere)
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()


def test_an_api_key_is_shown_once_copied_works_and_is_revoked(
    page: Page, web_server: LiveServer, friend: Account
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    open_account_tab(page, "API keys")
    expect(page.get_by_role("heading", name="No API keys")).to_be_visible()
    assert_accessible(page)

    form = page.get_by_role("form", name="New API key")
    form.get_by_label("Name").fill("Home Assistant")
    form.get_by_label("Write").check()
    form.get_by_role("button", name="Create key").click()
    shown = page.get_by_label("The new API key")
    expect(shown).to_be_visible()
    key = shown.inner_text().strip()
    page.get_by_role("button", name="Copy key").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    assert_accessible(page)

    with web_server.client() as http:
        me = assert_ok(http.get("/api/v1/auth/me", headers={"X-Api-Key": key}))
        assert me["email"] == friend.email

        page.get_by_role("button", name="I have stored it").click()
        expect(page.get_by_label("The new API key")).to_have_count(0)
        page.reload()
        row = page.get_by_role("listitem", name="Home Assistant")
        expect(row).to_contain_text(key[:6])
        assert key not in page.content()
        list(capture(page, "account-api-keys"))  # reloads: the key stays gone

        row.get_by_role("button", name="Revoke Home Assistant").click()
        page.get_by_role("dialog", name="Revoke this API key?").get_by_role(
            "button", name="Revoke"
        ).click()
        expect(page.get_by_role("heading", name="No API keys")).to_be_visible()
        revoked = http.get("/api/v1/auth/me", headers={"X-Api-Key": key})
        assert revoked.status_code == 401


def test_profile_name_change_and_email_needs_the_password(
    page: Page, console: ConsoleWatch, friend: Account
) -> None:
    console.allow(r"status of 400 .*/api/v1/auth/me\)$")
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    open_account_tab(page, "Profile")
    assert_accessible(page)
    list(capture(page, "account-profile"))

    page.get_by_role("textbox", name="Name", exact=True).fill("Francesca Fiore")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Your profile is saved")).to_be_visible()
    expect(page.get_by_role("button", name="Account menu")).to_contain_text("FF")

    page.get_by_label("Email").fill("fiore@example.com")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("The current password is wrong.").first).to_be_visible()
    page.get_by_label("Current password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Your profile is saved")).to_be_visible()
    expect(page.get_by_label("Current password")).to_have_count(0)


def test_account_and_home_at_phone_width_without_plex(page: Page, friend: Account) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()
    expect(page.get_by_role("region", name="Service status")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("region", name="Recently added on Plex")).to_have_count(0)
    for tab in ("profile", "password", "sessions", "api-keys"):
        page.goto(f"/account?tab={tab}")
        expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{tab} scrolls sideways: {width}px"
        # The open tab is in view, though the tab strip is wider than the phone.
        selected = page.get_by_role("tab", selected=True)
        box = selected.bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"{tab}: {box}"
        assert box["x"] + box["width"] <= PHONE["width"], f"{tab}: {box}"
        assert_accessible(page)
