"""The scaled-out shape proved on one machine (`tests/deploy/topology.py`): everything below
goes through nginx with the shipped site config, whose `ip_hash` sends a client address to
one replica: `to_a` and `to_b` are client addresses that land on replica A and replica B.

Needs PostgreSQL and Redis (the second CI leg) and nginx (installed by `.ci/run`)."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from medianest.http.correlation import HEADER as CORRELATION_HEADER
from tests.conftest import ServerEnv
from tests.deploy.topology import Topology, running_topology, shared_secrets
from tests.downloads.conftest import downloads_env
from tests.downloads.test_downloads import FINISHED, queue, wait_for
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import USER_PASSWORD, Account, bootstrap_admin, create_user
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.environments import installation_prefix
from tests.fixtures.nginx import NGINX
from tests.fixtures.sockets import listening

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)"),
]

SIGN_IN_FAILURES_ALLOWED = 4
THROTTLE = 2_000_000
"""Bytes per second from the video site: a few seconds for large.mp4, so progress shows."""


@pytest.fixture(scope="module")
def topology(
    server_env: ServerEnv,
    backends: Backends,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Topology]:
    library = tmp_path_factory.mktemp("library")
    shared = {
        **shared_secrets(),
        "DATABASE_URL": backends.new_database(migrated=False),
        "REDIS_KEY_PREFIX": installation_prefix(backends),
        "EMBEDDED_WORKER": "false",
        "TRUSTED_PROXIES": "127.0.0.1",
        "RATE_LIMIT_LOGIN_ACCOUNT": f"{SIGN_IN_FAILURES_ALLOWED}/minute",
    }

    def environment() -> dict[str, str]:
        return downloads_env(server_env, library, plex_tv, plex_server, video_site, **shared)

    with running_topology(environment, workdir=tmp_path_factory.mktemp("topology")) as shape:
        yield shape


@pytest.fixture(scope="module")
def sources(topology: Topology) -> dict[int, str]:
    """For each replica (by index), a loopback client address that nginx's ip_hash sends to it."""
    found: dict[int, str] = {}
    for network in range(64):
        source = f"127.0.{network}.1"
        with topology.client(source) as http:
            served = topology.replica_that_served(_get(http, "/health"))
        found.setdefault(topology.replicas.index(served), source)
        if len(found) == len(topology.replicas):
            return found
    raise AssertionError(f"ip_hash sent every address to the same replica: {found}")


@pytest.fixture(scope="module")
def to_a(sources: dict[int, str]) -> str:
    return sources[0]


@pytest.fixture(scope="module")
def to_b(sources: dict[int, str]) -> str:
    return sources[1]


@pytest.fixture(scope="module")
def admin(topology: Topology, to_a: str) -> Account:
    with topology.client(to_a) as http:
        return bootstrap_admin(http)


def _get(http: httpx.Client, path: str, **kwargs: Any) -> httpx.Response:
    """A GET with a correlation id of its own, to find it in a replica's log."""
    return http.get(path, headers={CORRELATION_HEADER: uuid.uuid4().hex, **kwargs})


def test_both_replicas_started_together_on_the_empty_database(topology: Topology) -> None:
    for replica in topology.replicas:
        assert replica.process.poll() is None, replica.logs()
        with replica.client() as http:
            assert http.get("/health").status_code == 200
    # One took the migration lock and built the schema; the other found nothing left to do.
    migrated = [replica for replica in topology.replicas if "Running upgrade" in replica.logs()]
    assert len(migrated) == 1
    with topology.client() as http:
        assert assert_ok(http.get("/api/v1/health"))


def test_the_entrypoint_hands_each_process_over_to_medianest(topology: Topology) -> None:
    """Started as `deploy/docker-entrypoint.sh serve`, the process is MediaNest itself (exec),
    so a stop signal reaches it, as it does for a container's PID 1."""
    for process in (*topology.replicas, topology.worker):
        started_as = process.process.args
        assert isinstance(started_as, list)
        assert str(started_as[0]).endswith("deploy/docker-entrypoint.sh"), started_as
        running = Path(f"/proc/{process.process.pid}/cmdline").read_bytes().split(b"\0")
        assert any(part.endswith(b"/medianest") for part in running), running
        assert b"docker-entrypoint.sh" not in b" ".join(running)


def test_a_sign_in_on_one_replica_holds_on_the_other(
    topology: Topology, admin: Account, to_a: str, to_b: str
) -> None:
    a, b = topology.replicas
    with topology.client(to_a) as http:
        signed_in = http.post(
            "/api/v1/auth/login",
            json={"email": admin.email, "password": admin.password},
            headers={CORRELATION_HEADER: uuid.uuid4().hex},
        )
        token = assert_ok(signed_in)["token"]
    assert topology.replica_that_served(signed_in) is a
    with topology.client(to_b) as http:
        me = _get(http, "/api/v1/auth/me", Authorization=f"Bearer {token}")
    assert assert_ok(me)["email"] == admin.email
    assert topology.replica_that_served(me) is b


async def test_a_download_queued_through_a_is_heard_through_b(
    topology: Topology, admin: Account, to_a: str, to_b: str, videos: FakeVideoSite
) -> None:
    a, _ = topology.replicas
    async with (
        topology.socket_session(to_b) as session,
        listening(
            topology.proxy,
            "/media",
            http_session=session,
            token=admin.token,
            transports=["websocket"],
        ) as socket,
    ):
        with videos.throttle(THROTTLE), topology.client(to_a) as http:
            download = queue(http, admin.bearer, videos.media_url("large.mp4"))
            done = await asyncio.to_thread(wait_for, http, admin.bearer, download["id"], FINISHED)
        names = await socket.names_until("download:completed", about=download["id"])
    assert done["status"] == "completed", done
    assert "download:progress" in names
    assert topology.worker.log_line("downloads.completed")
    assert all("downloads.started" not in replica.logs() for replica in topology.replicas)
    assert "path=/api/v1/youtube/download " in a.logs()


def test_the_sign_in_limit_counts_on_every_replica(
    topology: Topology, admin: Account, to_a: str, to_b: str
) -> None:
    with topology.client(to_a) as http:
        friend = create_user(http, admin)
    attempt = {"email": friend.email, "password": "not-" + USER_PASSWORD}
    for turn in range(SIGN_IN_FAILURES_ALLOWED):
        with topology.client(to_a if turn % 2 == 0 else to_b) as http:
            assert http.post("/api/v1/auth/login", json=attempt).status_code == 401
    for source in (to_a, to_b):
        with topology.client(source) as http:
            refused = http.post("/api/v1/auth/login", json=attempt)
        assert_error(refused, status=429, code="RATE_LIMIT_EXCEEDED")


def test_a_replica_killed_with_sigkill_loses_nothing_and_nginx_fails_over(
    topology: Topology, admin: Account, to_a: str, videos: FakeVideoSite
) -> None:
    a, b = topology.replicas
    with videos.throttle(THROTTLE), topology.client(to_a) as http:
        download = queue(http, admin.bearer, videos.media_url("large.mp4"))
        with ThreadPoolExecutor(max_workers=1) as pool:
            statuses = pool.submit(_keep_asking, topology, to_a, admin, download["id"])
            time.sleep(0.5)
            a.process.kill()
            a.process.wait()
            answered = statuses.result()
        done = wait_for(http, admin.bearer, download["id"], FINISHED)
        listed = assert_ok(http.get("/api/v1/youtube/downloads", headers=admin.bearer))
        after = _get(http, "/api/v1/auth/me", **admin.bearer)
    assert set(answered) == {200}, answered
    assert done["status"] == "completed", done
    assert download["id"] in [item["id"] for item in listed["items"]], listed
    assert assert_ok(after)["email"] == admin.email
    assert topology.replica_that_served(after) is b


def _keep_asking(
    topology: Topology, source: str, admin: Account, download_id: str, seconds: float = 2.0
) -> list[int]:
    """Statuses of back-to-back requests for the download over `seconds`."""
    answered: list[int] = []
    deadline = time.monotonic() + seconds
    with topology.client(source) as http:
        while time.monotonic() < deadline:
            response = http.get(f"/api/v1/youtube/downloads/{download_id}", headers=admin.bearer)
            answered.append(response.status_code)
    return answered
