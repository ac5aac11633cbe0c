"""When every database connection of the pool is taken, a request waits at most
`DATABASE_TIMEOUT_SECONDS` for one, then answers 503 `DATABASE_ERROR` with `Retry-After`
(never a 500), and the server serves again once connections come free: on SQLite and on
PostgreSQL.

What takes the connections is what does in real life: signed-in requests waiting on a slow
upstream. A signed-in request that read the database holds its unit of work's connection
until it answers, so two Plex pages waiting on a Plex server that does not answer (the fake,
`held`) hold both connections of a pool of one (`DATABASE_POOL_SIZE=1`: one kept, one more
under load). Each comes from a session signed in just before, whose credentials the server
has not cached yet: a known session's read needs no connection at all (the principal cache).
"""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.plex import FakePlexServer, FakePlexTv, PlexFakes, plex_env
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin, sign_in
from tests.fixtures.envelope import assert_error
from tests.fixtures.server import LiveServer, start_server

WAIT_SECONDS = 30.0
PLEX_PAGES = ("/api/v1/plex/server", "/api/v1/plex/libraries")


@pytest.fixture(scope="module")
def server(
    server_env: ServerEnv,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    env = server_env(
        DATABASE_POOL_SIZE="1",
        DATABASE_TIMEOUT_SECONDS="1",
        PLEX_TIMEOUT_SECONDS="60",  # Plex is slow here, not down
        SERVICE_CHECK_SECONDS="3600",  # no service check asks Plex during the test
        **plex_env(plex_tv, plex_server),
    )
    live = start_server(env, workdir=tmp_path_factory.mktemp("pool"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Account:
    with server.client() as http:
        return bootstrap_admin(http)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


def test_no_free_connection_answers_503_and_the_server_recovers(
    server: LiveServer, admin: Account, plex: PlexFakes
) -> None:
    def new_session() -> dict[str, str]:
        with server.client() as http:
            return sign_in(http, admin.email, ADMIN_PASSWORD).bearer

    def get(path: str, bearer: dict[str, str]) -> httpx.Response:
        with server.client(timeout=WAIT_SECONDS) as http:
            return http.get(path, headers=bearer)

    *page_sessions, me_session = [new_session() for _ in range(len(PLEX_PAGES) + 1)]
    with ThreadPoolExecutor(len(PLEX_PAGES)) as pool:
        with plex.server.held():
            waiting = [
                pool.submit(get, path, bearer)
                for path, bearer in zip(PLEX_PAGES, page_sessions, strict=True)
            ]
            # Both reached Plex: each holds its connection until Plex answers.
            wait_until(lambda: len(plex.server.requests) >= len(PLEX_PAGES), "Plex to be asked")
            refused = get("/api/v1/auth/me", me_session)
            listed = get("/api/v1/media/requests", admin.bearer)
        answered = [future.result() for future in waiting]

    for response in (refused, listed):
        body = assert_error(response, status=503, code="DATABASE_ERROR")
        assert "busy" in body["error"]["message"]
        assert response.headers["Retry-After"] == "5"
    assert [response.status_code for response in answered] == [200, 200]
    me = get("/api/v1/auth/me", me_session)
    assert me.status_code == 200, me.text
