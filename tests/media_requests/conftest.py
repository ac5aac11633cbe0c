"""A running MediaNest with the fake Overseerr (and fake Plex for Plex sign-in), and the
people who use it: an admin, a Plex friend with an Overseerr account, and a local user
without one."""

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fakes.plex import PLEX_FRIEND, FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.plex import sign_in_with_plex
from tests.fixtures.server import LiveServer, start_server

WEBHOOK_SECRET = "Bearer overseerr-webhook-secret-4711"


@dataclass(frozen=True)
class People:
    admin: Account
    friend: dict[str, str]
    """The Plex friend's bearer header (their Overseerr account matches by Plex id)."""
    stranger: Account
    """A local account no Overseerr user matches."""


@pytest.fixture(scope="module")
def server(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    env = server_env(
        OVERSEERR_WEBHOOK_SECRET=WEBHOOK_SECRET,
        OVERSEERR_TIMEOUT_SECONDS="1",
        OVERSEERR_SYNC_MINUTES="600",
        RATE_LIMIT_MEDIA_REQUESTS="1000/hour",  # the quota has its own test
        **overseerr_env(overseerr_server),
        **plex_env(plex_tv, plex_server),
    )
    live = start_server(env, workdir=tmp_path_factory.mktemp("requests"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def people(server: LiveServer, plex_tv: FakePlexTv) -> People:
    with server.client() as http:
        admin = bootstrap_admin(http)
        friend = sign_in_with_plex(http, plex_tv, PLEX_FRIEND)
        stranger = create_user(http, admin)
    plex_tv.reset()
    return People(
        admin=admin,
        friend={"Authorization": f"Bearer {friend['token']}"},
        stranger=stranger,
    )


@pytest.fixture
def http(server: LiveServer, people: People, overseerr: FakeOverseerr) -> Iterator[httpx.Client]:
    """A client of the module's server. Each test starts with a fresh fake Overseerr and no
    requests in MediaNest (the admin deletes what a test left)."""
    with server.client(timeout=15) as client:
        yield client
        listed = client.get("/api/v1/admin/requests?limit=100", headers=people.admin.bearer)
        for request in listed.json()["data"]["items"]:
            client.delete(f"/api/v1/media/requests/{request['id']}", headers=people.admin.bearer)
