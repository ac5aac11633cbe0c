"""The first-run setup wizard on an empty install, against the fake Plex and Overseerr."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.harness import ConsoleWatch, assert_accessible, capture
from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr
from tests.fakes.plex import ADMIN_TOKEN, PlexFakes
from tests.fixtures.accounts import ADMIN_PASSWORD, sign_in
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer

ADMIN_EMAIL = "owner@example.com"


def step(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    assert_accessible(page)


def test_setup_from_an_empty_install(
    page: Page,
    web_server: LiveServer,
    plex: PlexFakes,
    overseerr: FakeOverseerr,
) -> None:
    page.goto("/")  # an install without an admin opens on the setup wizard
    expect(page).to_have_url(re.compile(r"/setup$"))
    step(page, "Your admin account")
    # The five steps sit on one line on a desktop.
    steps = page.locator(".mantine-Stepper-step")
    expect(steps).to_have_count(5)
    tops = {round(box["y"]) for box in (s.bounding_box() for s in steps.all()) if box}
    assert len(tops) == 1, f"the step bar wraps: {tops}"
    list(capture(page, "setup-admin"))
    page.get_by_label("Your name").fill("Olivia Owner")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    # The rules shown are the server's (src/medianest/auth/passwords.py), ticked as typed.
    rules = page.get_by_role("list", name="Password rules")
    expect(rules).to_contain_text("At least 8 characters")
    page.get_by_role("textbox", name="Password").fill(ADMIN_PASSWORD)
    expect(rules).not_to_contain_text("not met yet")
    page.get_by_role("button", name="Create the admin account").click()

    step(page, "Connect Plex")
    page.get_by_label("Plex server address").fill(plex.server.url)
    page.get_by_label("Plex token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    list(capture(page, "setup-plex"))
    page.get_by_role("button", name="Save and continue").click()

    step(page, "Connect Overseerr")
    page.get_by_label("Overseerr address").fill(overseerr.url)
    page.get_by_label("API key").fill(OVERSEERR_API_KEY)
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()

    webhook_url = f"{web_server.base_url}/api/v1/webhooks/overseerr"
    expect(page.get_by_text(webhook_url)).to_be_visible()
    expect(page.get_by_role("button", name="Copy: Authorization header")).to_be_visible()
    assert_accessible(page)
    list(capture(page, "setup-webhook"))
    page.get_by_role("button", name="Continue").click()

    step(page, "YouTube downloads")
    page.get_by_label("Library folder").fill("/srv/media/youtube")
    page.get_by_role("button", name="Save and continue").click()

    step(page, "Done")
    page.get_by_role("link", name="Open MediaNest").click()
    expect(page.get_by_role("heading", name="Welcome, Olivia Owner")).to_be_visible()

    with httpx.Client(base_url=web_server.base_url) as http:
        owner = sign_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
        settings = assert_ok(http.get("/api/v1/admin/settings", headers=owner.bearer))
    assert settings["plex"]["url"] == {"value": plex.server.url, "source": "database"}
    assert settings["plex"]["token"] == {"isSet": True, "source": "database"}
    assert settings["overseerr"]["url"]["value"] == overseerr.url
    assert settings["overseerr"]["webhookSecret"] == {"isSet": True, "source": "database"}
    assert settings["youtube"]["libraryDir"] == {
        "value": "/srv/media/youtube",
        "source": "database",
    }


def test_setup_again_says_it_is_done(page: Page, console: ConsoleWatch) -> None:
    console.allow(r"status of 409 .*/api/v1/auth/admin\)$")
    page.goto("/setup")
    page.get_by_label("Your name").fill("Mallory")
    page.get_by_label("Email").fill("mallory@example.com")
    # The rules shown are the server's (src/medianest/auth/passwords.py), ticked as typed.
    rules = page.get_by_role("list", name="Password rules")
    expect(rules).to_contain_text("At least 8 characters")
    page.get_by_role("textbox", name="Password").fill(ADMIN_PASSWORD)
    expect(rules).not_to_contain_text("not met yet")
    page.get_by_role("button", name="Create the admin account").click()
    expect(page.get_by_role("alert")).to_contain_text("MediaNest is already set up")
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
