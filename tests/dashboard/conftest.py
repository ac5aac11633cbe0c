"""A running MediaNest with Overseerr, the video site and Plex, for the statistics."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.notifications.conftest import Portal, start_portal


@pytest.fixture(scope="module")
def portal(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Portal]:
    yield from start_portal(
        server_env, overseerr_server, plex_tv, plex_server, video_site, tmp_path_factory
    )


@pytest.fixture
def http(
    portal: Portal, overseerr: FakeOverseerr, videos: FakeVideoSite, plex: object
) -> Iterator[httpx.Client]:
    with portal.server.client(timeout=20) as client:
        yield client
