"""The pages mails link to: a forgotten password and an invitation, followed from the mail."""

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import (
    PASSWORD_LABEL,
    ConsoleWatch,
    assert_accessible,
    capture,
    sign_in_with_password,
)
from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

NEW_PASSWORD = "Copper-Kettle-Whistles-77!"


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with httpx.Client(base_url=web_server.base_url) as http:
        return bootstrap_admin(http)


def link_in(text: str | None, page: str) -> str:
    match = re.search(rf"https?://\S+/{page}\?token=[\w-]+", text or "")
    assert match, text
    return match.group(0)


def choose_password(page: Page, password: str) -> None:
    page.get_by_label("New password").fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")


def test_forgotten_password_from_the_mail_to_signing_in(
    page: Page, web_server: LiveServer, admin: Account, smtp_server: FakeSmtpServer
) -> None:
    with httpx.Client(base_url=web_server.base_url) as http:
        friend = create_user(http, admin)
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot password?").click()
    # Pages load lazily: the sign-in form stays until the next page has arrived.
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill(friend.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("a link is on its way")
    assert_accessible(page)

    page.goto(link_in(smtp_server.wait_for(friend.email).text, "reset-password"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(page.get_by_text(f"For {friend.email}")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "reset-password"))
    choose_password(page, NEW_PASSWORD)

    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(friend.email)
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome, Francesca Friend")).to_be_visible()


def test_an_invitation_sets_the_first_password(
    page: Page, web_server: LiveServer, admin: Account, smtp_server: FakeSmtpServer
) -> None:
    with httpx.Client(base_url=web_server.base_url) as http:
        assert_ok(
            http.post(
                "/api/v1/admin/users",
                json={"email": "ines@example.com", "name": "Ines Invited", "role": "user"},
                headers=admin.bearer,
            ),
            status=201,
        )
    page.goto(link_in(smtp_server.wait_for("ines@example.com").text, "set-password"))
    expect(page.get_by_role("heading", name="Welcome! Choose your password")).to_be_visible()
    # The rules are shown before the first try, and an empty password says what to do.
    rules = page.get_by_role("list", name="Password rules")
    expect(rules).to_contain_text("At least 8 characters")
    expect(rules).to_contain_text("A special character or space")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_text("Enter a new password.")).to_be_visible()
    page.get_by_label("New password").fill("short")
    expect(rules.get_by_role("listitem").filter(has_text="A lowercase letter")).to_contain_text(
        "(met)"
    )
    expect(rules.get_by_role("listitem").filter(has_text="At least 8")).to_contain_text(
        "(not met yet)"
    )
    choose_password(page, NEW_PASSWORD)
    sign_in_with_password(page, "ines@example.com", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Ines Invited")).to_be_visible()


def test_a_made_up_link_says_it_does_not_work(page: Page, console: ConsoleWatch) -> None:
    console.allow(r"status of 400 .*/api/v1/auth/password-reset/verify\)$")
    page.goto("/reset-password?token=not-a-real-token-at-all")
    expect(page.get_by_role("alert")).to_contain_text("This link does not work")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
