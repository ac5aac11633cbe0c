"""A running MediaNest that downloads from the fake video site into a temporary library,
with the fake Plex server looking at the same folder."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.server import LiveServer, start_server

YOUTUBE_SECTION = "3"
LEASE_SECONDS = "2"


@dataclass(frozen=True)
class Downloading:
    server: LiveServer
    library: Path
    env: dict[str, str]
    admin: Account
    user: Account


def downloads_env(
    server_env: ServerEnv,
    library: Path,
    tv: FakePlexTv,
    plex: FakePlexServer,
    videos: FakeVideoSite,
    **extra: str,
) -> dict[str, str]:
    settings = {
        "YOUTUBE_ALLOWED_HOSTS": videos.allowed_host,
        "YOUTUBE_LIBRARY_DIR": str(library),
        "DOWNLOAD_LEASE_SECONDS": LEASE_SECONDS,
        "RATE_LIMIT_DOWNLOADS": "1000/hour",
        "EMBEDDED_WORKER": "true",  # the server runs the jobs, with or without Redis
        "PLEX_TIMEOUT_SECONDS": "2",
        **plex_env(tv, plex),
        **extra,
    }
    return server_env(**settings)


@pytest.fixture(scope="module")
def site(
    server_env: ServerEnv,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Downloading]:
    library = tmp_path_factory.mktemp("library")
    env = downloads_env(server_env, library, plex_tv, plex_server, video_site)
    live = start_server(env, workdir=tmp_path_factory.mktemp("downloads"))
    with live.client() as http:
        admin = bootstrap_admin(http)
        user = create_user(http, admin)
    yield Downloading(live, library, env, admin, user)
    live.stop()


@pytest.fixture
def http(
    site: Downloading, plex_server: FakePlexServer, plex: object, videos: FakeVideoSite
) -> Iterator[httpx.Client]:
    """A client of the module's server; Plex sees the library folder and indexes scans."""
    plex_server.mount(YOUTUBE_SECTION, str(site.library))
    with site.server.client(timeout=20) as client:
        yield client
