"""What other features call after adding files: folder scans and collections, and the
stale-cache fallback, on the real client against the fake Plex server."""

from collections.abc import AsyncIterator

import pytest

from medianest.cache.cache import MemoryCache
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.kit.errors import PlexUnreachableError
from medianest.library.service import CacheTier, Freshness, PlexBrowser
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer

YOUTUBE_FOLDER = "/data/media/youtube"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def client(plex_server: FakePlexServer, plex: object) -> AsyncIterator[PlexServerClient]:
    config = PlexServerConfig(url=plex_server.url, token=ADMIN_TOKEN, timeout_seconds=1.0)
    client = PlexServerClient(config)
    yield client
    await client.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def browser(client: PlexServerClient, clock: Clock) -> PlexBrowser:
    return PlexBrowser(client, MemoryCache(), api_base="/api/v1", clock=clock)


async def test_a_folder_scan_asks_the_library_that_holds_it(
    browser: PlexBrowser, plex_server: FakePlexServer
) -> None:
    library = await browser.scan_folder(f"{YOUTUBE_FOLDER}/Some Channel")
    assert library == "3"
    assert plex_server.scans == [("3", f"{YOUTUBE_FOLDER}/Some Channel")]


async def test_a_folder_outside_every_library_is_not_scanned(
    browser: PlexBrowser, plex_server: FakePlexServer
) -> None:
    assert await browser.scan_folder("/data/media/youtube-other/x") is None
    assert await browser.scan_folder("/etc") is None
    assert plex_server.scans == []


async def test_a_playlist_becomes_a_collection_and_grows_with_new_items(
    browser: PlexBrowser, plex_server: FakePlexServer
) -> None:
    folder = f"{YOUTUBE_FOLDER}/Playlist A"
    first = plex_server.add_item("3", "Episode 1", f"{folder}/Episode 1.mp4")
    plex_server.add_item("3", "Elsewhere", f"{YOUTUBE_FOLDER}/Other/Elsewhere.mp4")

    indexed = await browser.items_in_folder("3", folder)
    assert [item.rating_key for item in indexed] == [first]
    key = await browser.publish_collection("3", "Playlist A", [first])

    second = plex_server.add_item("3", "Episode 2", f"{folder}/Episode 2.mp4")
    indexed = await browser.items_in_folder("3", folder)
    again = await browser.publish_collection("3", "Playlist A", [i.rating_key for i in indexed])

    assert again == key
    assert sorted(plex_server.collections[key].item_keys) == sorted([first, second])
    titles = [c.title for c in plex_server.collections.values() if c.section_key == "3"]
    assert titles == ["Playlist A"]


async def test_stale_answers_are_served_while_plex_is_down(
    browser: PlexBrowser, plex_server: FakePlexServer, clock: Clock
) -> None:
    fresh = await browser.libraries()
    assert fresh.freshness is Freshness.MISS

    clock.now += CacheTier.LONG.value + 60
    with plex_server.down():
        stale = await browser.libraries()
        with pytest.raises(PlexUnreachableError):
            await browser.recently_added(limit=5)
    assert stale.freshness is Freshness.STALE
    assert stale.value == fresh.value
    assert stale.age_seconds == CacheTier.LONG.value + 60

    refreshed = await browser.libraries()
    assert refreshed.freshness is Freshness.MISS
