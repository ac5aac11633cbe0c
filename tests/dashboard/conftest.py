"""A running MediaNest with Overseerr, the video site and Plex, for the statistics."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.server import start_server
from tests.notifications.conftest import Portal, portal_env


@pytest.fixture(scope="module")
def portal(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Portal]:
    library = tmp_path_factory.mktemp("library")
    env = portal_env(server_env, library, overseerr_server, plex_tv, plex_server)
    live = start_server(env, workdir=tmp_path_factory.mktemp("dashboard"))
    with live.client() as http:
        admin = bootstrap_admin(http)
    yield Portal(live, admin)
    live.stop()


@pytest.fixture
def http(
    portal: Portal, overseerr: FakeOverseerr, videos: FakeVideoSite, plex: object
) -> Iterator[httpx.Client]:
    with portal.server.client(timeout=20) as client:
        yield client
