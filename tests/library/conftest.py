"""A running MediaNest whose Plex server and plex.tv are the fakes, and a signed-in user."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.plex import PLEX_FRIEND, FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.plex import sign_in_with_plex
from tests.fixtures.server import LiveServer, start_server

PLEX_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def server(
    server_env: ServerEnv,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    env = server_env(PLEX_TIMEOUT_SECONDS=str(PLEX_TIMEOUT), **plex_env(plex_tv, plex_server))
    live = start_server(env, workdir=tmp_path_factory.mktemp("plex"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def bearer(server: LiveServer, plex_tv: FakePlexTv) -> dict[str, str]:
    """A friend the Plex server is shared with, signed in with Plex."""
    with server.client() as http:
        signed_in = sign_in_with_plex(http, plex_tv, PLEX_FRIEND)
    plex_tv.reset()
    return {"Authorization": f"Bearer {signed_in['token']}"}


@pytest.fixture
def user(server: LiveServer, bearer: dict[str, str], plex: object) -> Iterator[httpx.Client]:
    """The friend's API client; the fakes are reset after each test."""
    with httpx.Client(base_url=server.base_url, headers=bearer, timeout=15) as client:
        yield client
