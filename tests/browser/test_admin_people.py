"""The admin console's people pages: users, requests, downloads, broadcasts and the overview,
driven by an admin in Chromium against a live server with the fake Overseerr and SMTP."""

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import (
    DESKTOP,
    PHONE,
    ConsoleWatch,
    assert_accessible,
    capture,
    sign_in_with_password,
)
from tests.fakes.overseerr import NEW_MOVIE, NEW_SHOW, STARFALL, FakeOverseerr, overseerr_env
from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import ADMIN_PASSWORD, USER_PASSWORD, Account, bootstrap_admin
from tests.fixtures.accounts import create_user as create_account
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

ADMIN_PAGES = {
    "/admin/overview": "Overview",
    "/admin/users": "Users",
    "/admin/requests": "All requests",
    "/admin/downloads": "All downloads",
    "/admin/notifications": "Broadcast",
}


def expect_status(page: Page, text: str | re.Pattern[str]) -> None:
    """A status message with this text (the reconnecting banner is a status too)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


@pytest.fixture(scope="module")
def web_server_env(overseerr_server: FakeOverseerr) -> dict[str, str]:
    """The module's server talks to the fake Overseerr, so that admins can approve requests."""
    return {
        "OVERSEERR_TIMEOUT_SECONDS": "2",
        "OVERSEERR_SYNC_MINUTES": "600",
        **overseerr_env(overseerr_server),
    }


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with web_server.client() as http:
        return bootstrap_admin(http)


def new_friend(web_server: LiveServer, admin: Account) -> Account:
    with web_server.client() as http:
        return create_account(http, admin)


def request_media(web_server: LiveServer, friend: Account, body: dict[str, Any]) -> str:
    with web_server.client(timeout=15) as http:
        data = assert_ok(
            http.post("/api/v1/media/request", json=body, headers=friend.bearer), status=201
        )
    request_id: str = data["id"]
    return request_id


def request_status(web_server: LiveServer, admin: Account, request_id: str) -> dict[str, Any]:
    with web_server.client() as http:
        data: dict[str, Any] = assert_ok(
            http.get(f"/api/v1/media/requests/{request_id}", headers=admin.bearer)
        )
    return data


def row_of(page: Page, text: str) -> Any:
    return page.get_by_role("row").filter(has_text=text)


def test_a_friend_gets_a_403_page_and_no_admin_navigation(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    friend = new_friend(web_server, admin)
    sign_in_with_password(page, friend.email, USER_PASSWORD)
    expect(page.get_by_role("navigation").get_by_role("link").first).to_be_visible()
    expect(page.get_by_text("Administration")).to_have_count(0)
    expect(page.get_by_role("link", name="Users")).to_have_count(0)

    for path in ("/admin/users", "/admin", "/admin/requests"):
        page.goto(path)
        expect(page.get_by_role("heading", name="403: admins only")).to_be_visible()
        expect(page.get_by_text("You don't have access to this page")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "admin-forbidden"))


def test_an_admin_invites_promotes_demotes_and_signs_a_user_out(
    page: Page,
    browser: Browser,
    web_server: LiveServer,
    admin: Account,
    smtp_server: FakeSmtpServer,
    console: ConsoleWatch,
) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()

    # Invite: no password, so the server mails a link to choose one.
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog", name="Add user")
    dialog.get_by_role("textbox", name="Email").fill("ivy@example.com")
    dialog.get_by_role("textbox", name="Name").fill("Ivy Invitee")
    dialog.get_by_role("button", name="Send invitation").click()
    expect_status(page, "An invitation was mailed to ivy@example.com")
    mail = smtp_server.wait_for("ivy@example.com")
    link = re.search(r"https?://\S+/set-password\?token=[\w-]+", mail.text or "")
    assert link, mail.text
    assert link.group(0).startswith(web_server.base_url)
    invitee_context = browser.new_context(base_url=web_server.base_url, viewport=DESKTOP)
    invitee_page = invitee_context.new_page()
    invitee_page.goto(link.group(0))
    expect(
        invitee_page.get_by_role("heading", name="Welcome! Choose your password")
    ).to_be_visible()
    invitee_context.close()
    expect(row_of(page, "Ivy Invitee")).to_contain_text("User")

    # Promote, then demote.
    page.get_by_role("button", name="Actions for Ivy Invitee").click()
    page.get_by_role("menuitem", name="Make admin").click()
    expect_status(page, "Ivy Invitee is now an admin.")
    expect(row_of(page, "Ivy Invitee").get_by_text("Admin", exact=True)).to_be_visible()
    page.get_by_role("button", name="Actions for Ivy Invitee").click()
    page.get_by_role("menuitem", name="Make regular user").click()
    expect_status(page, "Ivy Invitee is now a regular user.")
    expect(row_of(page, "Ivy Invitee").get_by_text("User", exact=True)).to_be_visible()

    # A friend who is signed in elsewhere is signed out everywhere.
    friend = new_friend(web_server, admin)
    friend_context = browser.new_context(base_url=web_server.base_url, viewport=DESKTOP)
    friend_page = friend_context.new_page()
    sign_in_with_password(friend_page, friend.email, USER_PASSWORD)
    page.reload()
    row_of(page, friend.email).get_by_role("button", name="Actions for Francesca Friend").click()
    page.get_by_role("menuitem", name="Sign out everywhere").click()
    expect_status(page, re.compile(r"Francesca Friend was signed out of [2-9] sessions\."))
    friend_page.reload()
    expect(friend_page).to_have_url(re.compile(r"/sign-in"))
    friend_context.close()

    # The API's refusal is shown as it is: nobody deletes their own account here.
    console.allow(r"status of 409 .*/api/v1/admin/users/")
    page.get_by_role("button", name="Actions for Ada Admin").click()
    page.get_by_role("menuitem", name="Delete user").click()
    page.get_by_role("dialog", name="Delete Ada Admin?").get_by_role(
        "button", name="Delete"
    ).click()
    expect(page.get_by_role("alert")).to_contain_text("You cannot delete your own account here.")
    assert_accessible(page)

    # The detail page: profile and the audit trail of the friend's sign-ins.
    row_of(page, friend.email).get_by_role("link", name="Francesca Friend").click()
    expect(page.get_by_role("heading", name="Francesca Friend", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Their recent actions")).to_be_visible()
    expect(page.get_by_role("cell", name="auth.sign_in").first).to_be_visible()
    assert_accessible(page)
    list(capture(page, "admin-user"))


def test_an_admin_declines_one_request_with_a_reason_and_approves_another(
    page: Page, web_server: LiveServer, admin: Account, overseerr: FakeOverseerr
) -> None:
    friend = new_friend(web_server, admin)
    film = request_media(web_server, friend, {"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id})
    show = request_media(
        web_server, friend, {"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [1]}
    )
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="All requests").click()
    expect(page.get_by_role("heading", name="All requests")).to_be_visible()

    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Pending").click()
    expect(row_of(page, NEW_MOVIE.title)).to_be_visible()

    # A decline needs a reason.
    page.get_by_role("button", name=f"Decline {NEW_SHOW.title}").click()
    dialog = page.get_by_role("dialog", name=f"Decline {NEW_SHOW.title}")
    dialog.get_by_role("button", name="Decline").click()
    expect(dialog.get_by_text("Say why you decline it.")).to_be_visible()
    dialog.get_by_label("Reason").fill("Not on any service we use yet")
    dialog.get_by_role("button", name="Decline").click()
    expect_status(page, f"{NEW_SHOW.title} was declined.")

    page.get_by_role("button", name=f"Approve {NEW_MOVIE.title}").click()
    expect_status(page, f"{NEW_MOVIE.title} was approved.")
    expect(row_of(page, NEW_MOVIE.title)).to_have_count(0)  # no longer pending

    declined = request_status(web_server, admin, show)
    assert (declined["status"], declined["declineReason"]) == (
        "declined",
        "Not on any service we use yet",
    )
    assert request_status(web_server, admin, film)["status"] in {"approved", "processing"}
    assert len(overseerr.requests_made) >= 1

    # Without a filter both show, with what became of them.
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Pending").click()  # picking it again clears it
    expect(row_of(page, NEW_SHOW.title)).to_contain_text("Not on any service we use yet")
    assert_accessible(page)
    list(capture(page, "admin-requests"))


def test_on_a_phone_each_request_is_a_card_with_its_actions_in_reach(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    friend = new_friend(web_server, admin)
    request_media(web_server, friend, {"mediaType": "movie", "tmdbId": STARFALL.tmdb_id})
    page.set_viewport_size(PHONE)
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.goto("/admin/requests")
    card = row_of(page, STARFALL.title)
    approve = card.get_by_role("button", name=f"Approve {STARFALL.title}")
    expect(approve).to_be_visible()

    # Every column of the row is on screen, each beside its name: no sideways scrolling.
    for target in (card, approve):
        box = target.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    labels = card.get_by_role("cell").evaluate_all(
        "cells => cells.map((cell) => getComputedStyle(cell, '::before').content)"
    )
    assert labels[1:4] == ['"Requested by"', '"Status"', '"Requested"']

    approve.click()
    expect_status(page, f"{STARFALL.title} was approved.")


def test_an_admin_broadcasts_a_notification(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="Broadcast").click()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Give it a title.")).to_be_visible()
    page.get_by_role("radio", name="Warning").check()
    page.get_by_label("Title").fill("Maintenance tonight")
    page.get_by_label("Message").fill("The server restarts at 23:00.")
    page.get_by_role("button", name="Send").click()
    expect_status(page, re.compile(r"Sent to \d+ users?\."))
    with web_server.client() as http:
        inbox = assert_ok(http.get("/api/v1/dashboard/notifications", headers=admin.bearer))
    titles = {(item["title"], item["severity"]) for item in inbox["items"]}
    assert ("Maintenance tonight", "warning") in titles


@pytest.mark.parametrize(("path", "heading"), list(ADMIN_PAGES.items()))
def test_every_admin_page_is_accessible_on_desktop_and_phone(
    page: Page, web_server: LiveServer, admin: Account, path: str, heading: str
) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.goto(path)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Loading")).to_have_count(0)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    # Nothing sticks out sideways once the layout has settled (tables scroll inside).
    page.wait_for_function(f"() => document.documentElement.scrollWidth <= {PHONE['width']}")
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    list(capture(page, f"admin-{path.rsplit('/', 1)[-1]}"))


def test_an_admin_confirms_before_giving_up_their_own_admin_role(
    page: Page, web_server: LiveServer, admin: Account, console: ConsoleWatch
) -> None:
    # A second admin gives the role up: the module's admin stays one (the last admin could
    # not give it up at all).
    with web_server.client() as http:
        second = create_account(http, admin, role="admin")
    sign_in_with_password(page, second.email, USER_PASSWORD)
    page.goto("/admin/users")
    own_actions = row_of(page, second.email).get_by_role(
        "button", name="Actions for Francesca Friend"
    )

    own_actions.click()
    page.get_by_role("menuitem", name="Make regular user").click()
    dialog = page.get_by_role("dialog", name="Give up your admin role?")
    expect(dialog).to_contain_text("Only another admin can make you an admin again.")
    expect(page.get_by_role("menu")).to_have_count(0)  # the actions menu closed behind it
    assert_accessible(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(row_of(page, second.email).get_by_text("Admin", exact=True)).to_be_visible()

    console.allow(r"status of 403 ")  # the admin pages' queries, once the role is gone
    own_actions.click()
    page.get_by_role("menuitem", name="Make regular user").click()
    dialog.get_by_role("button", name="Make me a regular user").click()
    expect(page.get_by_role("heading", name="403: admins only")).to_be_visible()
    with web_server.client() as http:
        me = assert_ok(http.get("/api/v1/auth/me", headers=second.bearer))
    assert me["role"] == "user"


def test_the_overview_shows_figures_charts_and_services(
    page: Page, web_server: LiveServer, admin: Account
) -> None:
    sign_in_with_password(page, admin.email, ADMIN_PASSWORD)
    page.goto("/admin")
    expect(page).to_have_url(re.compile(r"/admin/overview$"))
    expect(page.get_by_text("Active in 30 days")).to_be_visible()
    expect(page.get_by_text("Process uptime")).to_be_visible()
    charts = page.get_by_role("region", name=re.compile(r"by status"))
    expect(charts).to_have_count(2)
    expect(charts.first.locator("svg.recharts-surface")).to_be_visible()
    expect(page.get_by_role("heading", name="Services")).to_be_visible()
    with httpx.Client(base_url=web_server.base_url) as http:
        stats = assert_ok(http.get("/api/v1/admin/stats", headers=admin.bearer))
    users_card = page.get_by_role("main").get_by_text("Users", exact=True).locator("..")
    expect(users_card).to_contain_text(str(stats["users"]["total"]))
    # Counts are whole: the value axis never ticks at 0.5 (the other axis names statuses).
    ticks = charts.locator("text.recharts-cartesian-axis-tick-value")
    expect(ticks.first).to_be_visible()
    values = [label for label in ticks.all_text_contents() if re.fullmatch(r"[\d.,]+", label)]
    assert values, "no value-axis ticks"
    assert all(label.isdigit() for label in values), values
