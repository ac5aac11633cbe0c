"""Two fake Overseerrs (the one in use and the one an admin moves to) and a server pointed at
the first, with its admin and a user."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.server import LiveServer, start_server


@dataclass(frozen=True)
class Site:
    server: LiveServer
    admin: Account
    user: Account


@pytest.fixture(scope="module")
def other_overseerr() -> Iterator[FakeOverseerr]:
    """A second Overseerr, as after a move to a new machine."""
    with FakeOverseerr() as server:
        yield server


@pytest.fixture
def moved_overseerr(other_overseerr: FakeOverseerr) -> Iterator[FakeOverseerr]:
    other_overseerr.reset()
    yield other_overseerr
    other_overseerr.reset()


@pytest.fixture(scope="module")
def site(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    env = server_env(OVERSEERR_TIMEOUT_SECONDS="2", **overseerr_env(overseerr_server))
    server = start_server(env, workdir=tmp_path_factory.mktemp("settings"))
    with server.client() as http:
        admin = bootstrap_admin(http)
        user = create_user(http, admin)
    yield Site(server, admin, user)
    server.stop()
