"""The app loads under its strict CSP, signs in with a password and passes axe."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.harness import PASSWORD_LABEL, ConsoleWatch, assert_accessible, capture
from tests.fixtures.accounts import ADMIN_PASSWORD, bootstrap_admin
from tests.fixtures.server import LiveServer


def test_sign_in_with_a_password(page: Page, web_server: LiveServer) -> None:
    with httpx.Client(base_url=web_server.base_url) as http:
        admin = bootstrap_admin(http)

    page.goto("/requests")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Frequests$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "sign-in"))

    page.get_by_label("Email").fill(admin.email)
    page.get_by_label(PASSWORD_LABEL).fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    # Back where they were heading.
    expect(page).to_have_url(re.compile(r"/requests$"))
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome, Ada Admin")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "home"))


def test_wrong_password_shows_the_api_message(page: Page, console: ConsoleWatch) -> None:
    console.allow(r"status of 401 .*/api/v1/auth/login\)$")
    page.goto("/sign-in")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label(PASSWORD_LABEL).fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Could not sign you in")
    expect(alert).to_contain_text("Reference:")
    assert_accessible(page)
