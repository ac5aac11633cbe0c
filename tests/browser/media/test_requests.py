"""My requests in the browser: the list and its filter, a request's page, comments, cancel."""

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import PHONE, assert_accessible, capture
from tests.browser.media_world import (
    People,
    api_request,
    assert_fits_phone,
    wait_for_transitions,
)
from tests.fakes.overseerr import NEW_MOVIE, NEW_SHOW
from tests.fixtures.server import LiveServer


def test_no_requests_yet_points_to_discover(friend_page: Page) -> None:
    page = friend_page
    page.get_by_role("link", name="My requests").click()
    expect(page.get_by_role("heading", name="My requests", level=1)).to_be_visible()
    expect(page.get_by_text("You have not requested anything yet")).to_be_visible()
    expect(page.get_by_role("link", name="Go to Discover")).to_be_visible()
    assert_accessible(page)


def test_filter_comment_and_cancel_a_pending_request(
    friend_page: Page, web_server: LiveServer, people: People
) -> None:
    page = friend_page
    film = api_request(
        web_server,
        people.friend,
        {"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id, "comment": "For movie night."},
    )
    api_request(
        web_server, people.friend, {"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [2]}
    )

    page.get_by_role("link", name="My requests").click()
    requests = page.get_by_role("list", name="Your requests").get_by_role("listitem")
    expect(requests).to_have_count(2)
    expect(requests.filter(has_text=NEW_SHOW.title)).to_contain_text("Series · Season 2")
    expect(requests.filter(has_text=NEW_MOVIE.title)).to_contain_text("Pending")
    assert_accessible(page)
    list(capture(page, "requests"))

    # Filtering by a status nobody is in empties the list; "Pending" brings both back.
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Declined").click()
    expect(page).to_have_url(re.compile(r"status=declined"))
    expect(page.get_by_text("No requests with this status")).to_be_visible()
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Pending").click()
    expect(requests).to_have_count(2)

    page.get_by_role("link", name=NEW_MOVIE.title).click()
    expect(page.get_by_role("heading", name=NEW_MOVIE.title, level=1)).to_be_visible()
    expect(page.get_by_test_id("request-status")).to_have_text("Pending")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Pending")
    comments = page.get_by_role("region", name="Comments")
    expect(comments.get_by_role("listitem")).to_have_text(re.compile("For movie night."))

    comments.get_by_label("Add a comment").fill("Any chance this week?")
    comments.get_by_role("button", name="Send").click()
    expect(comments.get_by_role("listitem")).to_have_count(2)
    expect(comments.get_by_role("listitem").nth(1)).to_contain_text("Any chance this week?")
    expect(comments.get_by_label("Add a comment")).to_have_value("")
    assert_accessible(page)
    list(capture(page, "request"))

    page.get_by_role("button", name="Cancel request").click()
    dialog = page.get_by_role("dialog", name="Cancel this request?")
    wait_for_transitions(page)
    assert_accessible(page)
    dialog.get_by_role("button", name="Cancel request").click()
    expect(page).to_have_url(re.compile(r"/requests$"))
    expect(requests).to_have_count(1)
    expect(requests).to_contain_text(NEW_SHOW.title)
    with web_server.client() as http:
        gone = http.get(f"/api/v1/media/requests/{film['id']}", headers=people.friend.bearer)
    assert gone.status_code == 404


def test_requests_fit_a_phone(friend_page: Page, web_server: LiveServer, people: People) -> None:
    page = friend_page
    api_request(
        web_server, people.friend, {"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [1]}
    )
    page.set_viewport_size(PHONE)
    page.goto("/requests")
    link = page.get_by_role("link", name=NEW_SHOW.title)
    expect(link).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    link.click()
    expect(page.get_by_role("heading", name=NEW_SHOW.title, level=1)).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
