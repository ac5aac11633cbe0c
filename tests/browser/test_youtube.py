"""YouTube downloads in the browser: a link looked up, queued, followed live to completion
over socket.io; another cancelled and retried; refused links explained."""

import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import PHONE, ConsoleWatch, assert_accessible, capture
from tests.browser.harness import sign_in_with_password as sign_in
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin
from tests.fixtures.server import LiveServer

DOWNLOAD_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def web_server_env(
    video_site: FakeVideoSite, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The module's server downloads from the fake video site; jobs run in the server."""
    return {  # the site starts before the server
        "YOUTUBE_ALLOWED_HOSTS": video_site.allowed_host,
        "YOUTUBE_LIBRARY_DIR": str(tmp_path_factory.mktemp("youtube-library")),
        "EMBEDDED_WORKER": "true",
        "RATE_LIMIT_DOWNLOADS": "50/hour",
    }


@pytest.fixture(scope="module")
def admin(web_server: LiveServer) -> Account:
    with httpx.Client(base_url=web_server.base_url) as http:
        return bootstrap_admin(http)


def open_youtube(page: Page, admin: Account) -> None:
    sign_in(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("link", name="YouTube", exact=True).click()
    expect(page.get_by_role("heading", name="YouTube", level=1)).to_be_visible()


def queue_link(page: Page, url: str, title: str) -> Locator:
    """Paste a link, wait for its preview, download it; its row in the queue."""
    page.get_by_label("Video or playlist URL").fill(url)
    preview = page.get_by_role("region", name="Preview of the link")
    expect(preview).to_contain_text(title, timeout=30_000)
    page.get_by_role("button", name="Download", exact=True).click()
    row = page.get_by_role("list", name="Downloads").get_by_role("listitem", name=title).first
    expect(row).to_be_visible()
    return row


def progress_of(row: Locator) -> float:
    value = row.get_by_role("progressbar").get_attribute("aria-valuenow")
    return float(value or 0)


def test_a_download_followed_live_to_completion(
    page: Page, admin: Account, videos: FakeVideoSite
) -> None:
    open_youtube(page, admin)
    expect(page.get_by_text("No downloads yet")).to_be_visible()
    expect(page.get_by_text("Downloads left: 50 of 50")).to_be_visible()
    assert_accessible(page)

    with videos.throttle(400_000):
        row = queue_link(page, videos.watch_url("large"), "A larger clip")
        expect(page.get_by_text("Downloads left: 49 of 50")).to_be_visible()
        # Live, without a reload: running with a speed and a time left, part-way.
        expect(row.get_by_text("Downloading")).to_be_visible(timeout=DOWNLOAD_TIMEOUT_MS)
        expect(row.get_by_test_id("download-progress-text")).to_have_text(
            re.compile(r"^\d+% · [\d.]+ [kMG]B/s · .+ left$"), timeout=DOWNLOAD_TIMEOUT_MS
        )
        seen = progress_of(row)
        assert 0 <= seen < 100, seen
        assert_accessible(page)
    expect(row.get_by_text("Completed")).to_be_visible(timeout=DOWNLOAD_TIMEOUT_MS)
    expect(row.get_by_test_id("download-progress-text")).to_have_text(re.compile(r"^1 file · "))
    assert progress_of(row) == 100
    list(capture(page, "youtube"))

    # The admin's list reads it as the queue does (text and colour), not a stale "0:00".
    colour = "(bar) => getComputedStyle(bar).backgroundColor"
    queue_colour = row.get_by_role("progressbar").evaluate(colour)
    page.get_by_role("link", name="All downloads").click()
    listed = page.get_by_role("row").filter(has_text="A larger clip").first
    expect(listed.get_by_test_id("download-progress-text")).to_have_text(re.compile(r"^1 file · "))
    assert listed.get_by_role("progressbar").evaluate(colour) == queue_colour


def test_cancel_then_retry(page: Page, admin: Account, videos: FakeVideoSite) -> None:
    open_youtube(page, admin)
    with videos.throttle(40_000):
        row = queue_link(page, videos.watch_url("large"), "A larger clip")
        expect(row.get_by_text("Downloading")).to_be_visible(timeout=DOWNLOAD_TIMEOUT_MS)
        row.get_by_role("button", name="Cancel A larger clip").click()
        expect(row.get_by_text("Cancelled")).to_be_visible(timeout=DOWNLOAD_TIMEOUT_MS)
        expect(row.get_by_role("button", name="Cancel A larger clip")).to_have_count(0)
        assert_accessible(page)
    row.get_by_role("button", name="Retry A larger clip").click()
    expect(row.get_by_text("Completed")).to_be_visible(timeout=DOWNLOAD_TIMEOUT_MS)

    rows = page.get_by_role("list", name="Downloads").get_by_role("listitem", name="A larger clip")
    before = rows.count()  # other tests may have downloaded it too
    row.get_by_role("button", name="Remove A larger clip").click()
    dialog = page.get_by_role("dialog", name="Remove this download?")
    dialog.get_by_label("Also delete its files from the library folder").check()
    dialog.get_by_role("button", name="Remove").click()
    expect(dialog).to_be_hidden()
    expect(rows).to_have_count(before - 1)


def test_a_refused_link_is_explained(page: Page, admin: Account, console: ConsoleWatch) -> None:
    console.allow(r"status of 4(00|22) .*/api/v1/youtube/")
    open_youtube(page, admin)
    page.get_by_label("Video or playlist URL").fill("https://example.com/not-youtube")
    expect(page.get_by_role("alert")).to_contain_text(re.compile("URL|allowed", re.IGNORECASE))
    page.get_by_role("button", name="Download", exact=True).click()
    refused = page.get_by_role("alert").filter(has_text="This link cannot be downloaded")
    expect(refused).to_be_visible()
    expect(page.get_by_role("listitem", name=re.compile("example.com"))).to_have_count(0)
    assert_accessible(page)


def test_the_page_at_phone_width(page: Page, admin: Account) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="YouTube", exact=True).click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    # Each row's "quality · format · Added … ago" line is read whole, not cut short.
    info = page.get_by_test_id("download-info")
    expect(info.first).to_contain_text(re.compile(r"Added .+ ago$"))
    clipped = info.evaluate_all(
        "(lines) => lines.filter((l) => l.scrollHeight > l.clientHeight + 1"
        " || l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent)"
    )
    assert clipped == [], clipped
    assert_accessible(page)


def test_a_download_notification_of_before_opens_the_queue(
    page: Page, admin: Account, web_server: LiveServer
) -> None:
    """Notifications stored before their link became `/youtube` led to `/downloads/<id>`."""
    sign_in(page, admin.email, ADMIN_PASSWORD)
    page.goto(f"{web_server.base_url}/downloads/42")
    expect(page).to_have_url(re.compile(r"/youtube$"))
    expect(page.get_by_role("heading", name="YouTube", level=1)).to_be_visible()
