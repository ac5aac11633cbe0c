"""Services that are absent, short of disk, or failing on the scaled-out shape: Redis that
stops, and downloads that wait with no worker to run them."""

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ServerEnv, StartServer
from tests.fixtures.accounts import bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server, start_worker
from tests.fixtures.sockets import listening
from tests.monitoring.conftest import (
    CHECK_ENV,
    REDIS_PASSWORD,
    for_service,
    next_matching,
    service_status,
    wait_for_status,
)

A_DISK_NOBODY_HAS = str(2**62)


def test_absent_integrations_are_not_configured_and_a_full_disk_is_degraded(
    make_server: StartServer,
) -> None:
    server = make_server(**CHECK_ENV, MIN_FREE_DISK_BYTES=A_DISK_NOBODY_HAS)
    with server.client() as http:
        admin = bootstrap_admin(http)
        user = create_user(http, admin)
        for service in ("plex", "overseerr"):
            absent = wait_for_status(http, user, service, "not_configured")
            assert absent["uptime"] == {"24h": None, "7d": None}, "not counted either way"
        disk = wait_for_status(http, user, "data_disk", "degraded")
        assert disk["uptime"]["24h"] == 100.0, "degraded still counts as available"
        wait_for_status(http, user, "library_disk", "degraded")
        detail = assert_ok(http.get("/api/v1/admin/services", headers=admin.bearer))

    by_name = {entry["name"]: entry for entry in detail["services"]}
    assert "below the minimum" in by_name["data_disk"]["message"]
    assert by_name["plex"]["message"] == "not configured"


def test_a_redis_that_stops_is_down(
    make_server: StartServer, private_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, redis_process = private_redis
    server = make_server(**CHECK_ENV, REDIS_URL=url, REDIS_TIMEOUT_SECONDS="1")
    with server.client(timeout=15) as http:
        admin = bootstrap_admin(http)
        wait_for_status(http, admin, "redis", "up")
        redis_process.kill()
        redis_process.wait()
        down = wait_for_status(http, admin, "redis", "down")
        history = service_status(http, admin, "redis", points=500)["history"]
        detail = assert_ok(http.get("/api/v1/admin/services", headers=admin.bearer))

    assert down["uptime"]["24h"] < 100
    assert history[0]["status"] == "down", "newest first"
    assert "up" in {point["status"] for point in history}
    redis = next(entry for entry in detail["services"] if entry["name"] == "redis")
    assert redis["message"]
    assert REDIS_PASSWORD not in str(detail)


@dataclass(frozen=True)
class ScaledOut:
    server: LiveServer
    start_worker: Callable[[], LiveServer]


@pytest.fixture
def scaled_out(server_env: ServerEnv, tmp_path: Path) -> Iterator[ScaledOut]:
    """An API process that runs no jobs; a `medianest worker` only when the test starts one."""
    env = server_env(**CHECK_ENV, EMBEDDED_WORKER="false", YOUTUBE_ALLOWED_HOSTS="127.0.0.1:9")
    started = [start_server(env, workdir=tmp_path)]

    def worker() -> LiveServer:
        started.append(start_worker(env, workdir=tmp_path))
        return started[-1]

    yield ScaledOut(started[0], worker)
    for process in reversed(started):
        process.stop()


@pytest.mark.redis
async def test_downloads_waiting_without_a_worker_degrade_the_queue(
    scaled_out: ScaledOut,
) -> None:
    server = scaled_out.server
    with server.client() as http:
        admin = bootstrap_admin(http)
        idle = wait_for_status(http, admin, "queue", "up")
        async with listening(server, "/system", token=admin.token) as system:
            created = http.post(
                "/api/v1/youtube/download",
                json={"url": "http://127.0.0.1:9/watch?v=nobody-runs-me"},
                headers=admin.bearer,
            )
            assert_ok(created, status=201)
            stuck = await next_matching(system, "service:status", for_service("queue", "degraded"))
            detail = assert_ok(http.get("/api/v1/admin/services", headers=admin.bearer))
            worker = scaled_out.start_worker()
            unstuck = await next_matching(system, "service:status", for_service("queue", "up"))

    assert idle["uptime"]["24h"] == 100.0
    assert stuck["previousStatus"] == "up"
    assert "no worker" in stuck["message"]
    queue = next(entry for entry in detail["services"] if entry["name"] == "queue")
    assert queue["status"] == "degraded"
    assert queue["details"]["waiting"] == 1
    assert queue["details"]["worker"] is None
    assert queue["details"]["oldestWaitingSeconds"] >= 0
    assert unstuck["previousStatus"] == "degraded"
    assert worker.log_line("jobs.worker_started")
