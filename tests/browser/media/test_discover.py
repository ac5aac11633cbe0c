"""Discover and search, a title's details, and requesting a series' seasons, in the browser."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import (
    PHONE,
    ConsoleWatch,
    assert_accessible,
    capture,
)
from tests.browser.media_world import (
    WEBHOOK_SECRET,
    People,
    api_request,
    approve,
    assert_fits_phone,
    wait_for_transitions,
)
from tests.fakes.overseerr import (
    NEW_SHOW,
    PARTIAL_SHOW,
    FakeOverseerr,
    MediaStatus,
)
from tests.fixtures.server import LiveServer


def expect_requested_with_more_to_ask(page: Page) -> None:
    """Seasons 1 and 2 are requested, season 3 is left: the button asks for more, and "all"
    means all that remain."""
    expect(page.get_by_text("Requested by you").first).to_be_visible()
    page.get_by_role("button", name="Request more").click()
    dialog = page.get_by_role("dialog", name=f"Request {NEW_SHOW.title}")
    expect(dialog.get_by_label("All remaining seasons")).to_be_checked()
    expect(dialog.get_by_label("Season 1")).to_be_disabled()
    expect(dialog.get_by_label("Season 3")).to_be_checked()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()


def test_discover_request_seasons_and_see_them_arrive_live(
    friend_page: Page, web_server: LiveServer, people: People, overseerr: FakeOverseerr
) -> None:
    page = friend_page
    page.get_by_role("link", name="Discover", exact=True).click()
    expect(page.get_by_role("heading", name="Discover", level=1)).to_be_visible()
    for row in ("Trending", "Popular films", "Popular series", "Upcoming films", "Upcoming series"):
        expect(page.get_by_role("heading", name=row, level=2)).to_be_visible()
    popular = page.get_by_role("region", name="Popular films")
    available = popular.get_by_role("link", name=re.compile(r"· Film\s*Available$")).first
    expect(available).to_be_visible()
    assert_accessible(page)
    list(capture(page, "discover"))

    # Search finds the series; its poster says nobody has it yet.
    page.get_by_label("Search films and series").fill(NEW_SHOW.title)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name=f"Results for “{NEW_SHOW.title}”")).to_be_visible()
    result = page.get_by_role(
        "link", name=re.compile(rf"^{NEW_SHOW.title}\s*{NEW_SHOW.year} · Series$")
    )
    expect(result).to_be_visible()
    assert_accessible(page)
    list(capture(page, "search"))

    result.click()
    expect(page.get_by_role("heading", name=NEW_SHOW.title, level=1)).to_be_visible()
    seasons = page.get_by_role("table", name="Each season and what Plex has of it")
    expect(seasons.get_by_role("row")).to_have_count(1 + len(NEW_SHOW.seasons))
    assert_accessible(page)
    list(capture(page, "details"))

    # Seasons 1 and 2, with a comment for the admins.
    page.get_by_role("button", name="Request", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Request {NEW_SHOW.title}")
    expect(dialog.get_by_label("All seasons")).to_be_checked()
    dialog.get_by_label("Season 3").uncheck()
    expect(dialog.get_by_label("All seasons")).not_to_be_checked()
    dialog.get_by_label("Comment (optional)").fill("In English, please.")
    # What is left is known before the first request (the quota endpoint, not a guess).
    expect(dialog).to_contain_text(
        re.compile(r"You can make \d+ more of your 1000 requests this hour")
    )
    wait_for_transitions(page)
    assert_accessible(page)
    dialog.get_by_role("button", name="Request", exact=True).click()
    expect(dialog).to_be_hidden()
    expect_requested_with_more_to_ask(page)

    # The request waits for the admin; the page follows it without a reload.
    page.get_by_role("link", name="View your request").click()
    expect(page.get_by_role("heading", name=NEW_SHOW.title, level=1)).to_be_visible()
    expect(page.get_by_text("Series · Seasons 1 and 2")).to_be_visible()
    expect(page.get_by_test_id("request-status")).to_have_text("Pending")
    expect(page.get_by_role("listitem").filter(has_text="In English, please.")).to_be_visible()
    page.evaluate("window.notReloaded = true")

    request_id = page.url.rsplit("/", 1)[-1]
    approved = approve(web_server, people.admin, request_id)
    expect(page.get_by_test_id("request-status")).to_have_text("Processing")

    overseerr.set_media_status(NEW_SHOW.tmdb_id, "tv", MediaStatus.AVAILABLE)
    response = overseerr.send_webhook(
        f"{web_server.base_url}/api/v1/webhooks/overseerr",
        "MEDIA_AVAILABLE",
        approved["overseerrRequestId"],
        authorization=WEBHOOK_SECRET,
    )
    assert response.status_code == 200, response.text
    expect(page.get_by_test_id("request-status")).to_have_text("Available")
    expect(page.get_by_text("Reported by Overseerr")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)


def test_a_request_made_elsewhere_meanwhile_shows_the_api_conflict(
    friend_page: Page, web_server: LiveServer, people: People, console: ConsoleWatch
) -> None:
    console.allow(r"status of 409 .*/api/v1/media/request\)$")
    page = friend_page
    page.goto(f"/discover/tv/{PARTIAL_SHOW.tmdb_id}")
    expect(page.get_by_role("heading", name=PARTIAL_SHOW.title, level=1)).to_be_visible()
    expect(page.get_by_text("Partly available").first).to_be_visible()
    page.get_by_role("button", name="Request more").click()
    dialog = page.get_by_role("dialog")
    # Plex has seasons 1 and 2: only season 3 can be asked for.
    expect(dialog.get_by_label("Season 1")).to_be_disabled()
    expect(dialog.get_by_label("Season 3")).to_be_checked()

    api_request(
        web_server,
        people.friend,
        {"mediaType": "tv", "tmdbId": PARTIAL_SHOW.tmdb_id, "seasons": [3]},
    )
    dialog.get_by_role("button", name="Request", exact=True).click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("The request was not made")
    expect(alert).to_contain_text("You already have an open request for this title.")
    expect(alert).to_contain_text("Reference:")
    assert_accessible(page)


# How far the badge's right edge is inside its poster's (px).
BADGE_MARGIN = """(badge) => {
  const poster = badge.closest(".mantine-Card-root").getBoundingClientRect();
  return poster.right - badge.getBoundingClientRect().right;
}"""


def test_discover_and_details_fit_a_phone(
    friend_page: Page, web_server: LiveServer, people: People
) -> None:
    page = friend_page
    api_request(
        web_server, people.friend, {"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [1]}
    )
    page.set_viewport_size(PHONE)
    page.goto("/discover")
    expect(page.get_by_role("heading", name="Trending", level=2)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"· Film")).first).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    # A row's posters are narrow: a long badge ends in "…" inside the poster, whole in its
    # tooltip (and in the link's name).
    poster = page.get_by_role("region", name="Popular series").get_by_role(
        "link", name=re.compile(rf"^{NEW_SHOW.title}.*Requested by you$")
    )
    badge = poster.get_by_title("Requested by you")
    expect(badge).to_be_visible()
    assert badge.evaluate(BADGE_MARGIN) >= 8

    page.goto(f"/discover/tv/{NEW_SHOW.tmdb_id}")
    expect(page.get_by_role("heading", name=NEW_SHOW.title, level=1)).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
