"""Service health through a running server: periodic checks of Plex and Overseerr going down
and coming back, as the status endpoints, the history, the uptime and socket.io show them."""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from medianest.integrations.ytdlp.runtime import challenge_solver, ytdlp_version
from tests.conftest import ServerEnv
from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr, overseerr_env
from tests.fakes.plex import ADMIN_TOKEN, FakeHttpServer, FakePlexServer
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer, replicas, start_server
from tests.fixtures.sockets import listening
from tests.monitoring.conftest import (
    CHECK_ENV,
    Json,
    for_service,
    next_matching,
    service_status,
    wait_for_status,
)

SERVICES = {
    "database",
    "redis",
    "plex",
    "overseerr",
    "queue",
    "data_disk",
    "library_disk",
    "ytdlp",
}


@dataclass(frozen=True)
class Monitored:
    server: LiveServer
    admin: Account
    user: Account
    fakes: dict[str, FakeHttpServer]


@pytest.fixture(scope="module")
def monitored(
    server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Monitored]:
    """A server checking every second a Plex and an Overseerr of this module's own, which
    the tests stop and start."""
    with FakePlexServer() as plex, FakeOverseerr() as overseerr:
        env = server_env(
            **CHECK_ENV,
            **overseerr_env(overseerr),
            PLEX_URL=plex.url,
            PLEX_TOKEN=ADMIN_TOKEN,
            PLEX_TIMEOUT_SECONDS="2",
            EMBEDDED_WORKER="true",  # on both legs: the server is also the queue's worker
        )
        live = start_server(env, workdir=tmp_path_factory.mktemp("monitoring"))
        with live.client() as http:
            admin = bootstrap_admin(http)
            user = create_user(http, admin)
        yield Monitored(live, admin, user, {"plex": plex, "overseerr": overseerr})
        live.stop()


@pytest.fixture
def http(monitored: Monitored) -> Iterator[httpx.Client]:
    with monitored.server.client() as client:
        yield client


@pytest.mark.parametrize("service", ["overseerr", "plex"])
async def test_a_service_going_down_and_up_shows_in_status_history_uptime_and_events(
    monitored: Monitored, http: httpx.Client, service: str
) -> None:
    fake, user, admin = monitored.fakes[service], monitored.user, monitored.admin
    wait_for_status(http, user, service, "up")

    async with (
        listening(monitored.server, "/system", token=user.token) as system,
        listening(monitored.server, "/admin", token=admin.token) as admins,
    ):
        fake.stop()
        try:
            went_down = await next_matching(system, "service:status", for_service(service, "down"))
            alert = await next_matching(admins, "system:notification", lambda _: True)
            down = wait_for_status(http, user, service, "down")
        finally:
            fake.start()
        came_back = await next_matching(system, "service:status", for_service(service, "up"))
        all_clear = await next_matching(admins, "system:notification", lambda _: True)

    assert went_down["previousStatus"] == "up"
    assert went_down["message"]
    assert OVERSEERR_API_KEY not in went_down["message"]
    assert ADMIN_TOKEN not in went_down["message"]
    assert set(went_down) == {
        "service",
        "status",
        "previousStatus",
        "message",
        "checkedAt",
        "responseMs",
    }
    assert alert["type"] == "error"
    assert service in alert["title"].lower()
    assert "is down" in alert["title"]
    assert down["lastCheckedAt"]
    assert came_back["previousStatus"] == "down"
    assert all_clear["type"] == "success"
    assert "is up" in all_clear["title"]

    now = wait_for_status(http, user, service, "up")
    states = [
        point["status"] for point in service_status(http, user, service, points=500)["history"]
    ]
    assert "down" in states
    assert states[0] == "up", "newest first"
    assert 0 < now["uptime"]["24h"] < 100
    assert now["uptime"]["24h"] == now["uptime"]["7d"]


def test_the_admins_keep_a_notification_of_each_change(
    monitored: Monitored, http: httpx.Client
) -> None:
    """Runs after the outages above: each left a stored notification for the admin."""
    inbox = assert_ok(http.get("/api/v1/dashboard/notifications", headers=monitored.admin.bearer))
    titles = {item["title"] for item in inbox["items"] if item["kind"] == "service_status"}
    assert {"Overseerr is down", "Overseerr is up", "Plex is down", "Plex is up"} <= titles
    users_inbox = assert_ok(
        http.get("/api/v1/dashboard/notifications", headers=monitored.user.bearer)
    )
    assert not [item for item in users_inbox["items"] if item["kind"] == "service_status"]


def test_every_user_sees_each_service_state_and_nothing_internal(
    monitored: Monitored, http: httpx.Client
) -> None:
    wait_for_status(http, monitored.user, "database", "up")
    services = assert_ok(http.get("/api/v1/services/status", headers=monitored.user.bearer))
    assert {entry["name"] for entry in services} == SERVICES
    for entry in services:
        assert set(entry) == {"name", "status", "lastCheckedAt"}
    by_name = {entry["name"]: entry for entry in services}
    assert by_name["database"]["status"] == "up"
    assert by_name["ytdlp"]["status"] == "up"

    assert_error(http.get("/api/v1/services/status"), status=401, code="UNAUTHORIZED")


def test_the_dashboard_shows_response_times_and_uptime(
    monitored: Monitored, http: httpx.Client
) -> None:
    wait_for_status(http, monitored.user, "database", "up")
    dashboard = assert_ok(http.get("/api/v1/dashboard/status", headers=monitored.user.bearer))
    by_name = {entry["name"]: entry for entry in dashboard}
    assert set(by_name) == SERVICES
    database = by_name["database"]
    assert database["responseMs"] >= 0
    assert database["uptime"] == {"24h": 100.0, "7d": 100.0}
    assert "message" not in database


def test_an_unknown_service_is_not_found(monitored: Monitored, http: httpx.Client) -> None:
    response = http.get("/api/v1/dashboard/status/mainframe", headers=monitored.user.bearer)
    assert_error(response, status=404, code="NOT_FOUND")


def test_admins_see_every_detail_and_users_are_refused(
    monitored: Monitored, http: httpx.Client
) -> None:
    wait_for_status(http, monitored.user, "ytdlp", "up")
    detail = assert_ok(http.get("/api/v1/admin/services", headers=monitored.admin.bearer))
    assert detail["checkIntervalSeconds"] == 1
    by_name = {entry["name"]: entry for entry in detail["services"]}
    assert set(by_name) == SERVICES
    solver = challenge_solver()
    assert by_name["ytdlp"]["details"] == {
        "version": ytdlp_version(),
        "jsRuntime": "deno",
        "jsRuntimePath": str(solver.deno),
        "jsRuntimeVersion": solver.deno_version,
        "ejsVersion": solver.ejs_version,
    }
    assert by_name["ytdlp"]["message"] == f"yt-dlp {ytdlp_version()}; {solver.describe()}"
    data_disk = by_name["data_disk"]
    assert data_disk["details"]["freeBytes"] > 0
    assert "GiB free" in data_disk["message"]
    queue = by_name["queue"]
    assert queue["status"] == "up"
    assert queue["details"]["waiting"] == 0
    assert queue["details"]["worker"], "the embedded worker sends its heartbeat"

    response = http.get("/api/v1/admin/services", headers=monitored.user.bearer)
    assert_error(response, status=403, code="FORBIDDEN")


@dataclass(frozen=True)
class TwoProcesses:
    a: LiveServer
    b: LiveServer
    overseerr: FakeOverseerr


@pytest.fixture
def two_processes(
    server_env: ServerEnv, backends: Backends, tmp_path: Path
) -> Iterator[TwoProcesses]:
    """Two API processes of one installation (one database, one Redis), each checking."""
    with FakeOverseerr() as overseerr:
        env = server_env(
            **CHECK_ENV, **overseerr_env(overseerr), DATABASE_URL=backends.new_database()
        )
        with replicas(env, workdir=tmp_path) as (a, b):
            yield TwoProcesses(a, b, overseerr)


@pytest.mark.redis
async def test_with_two_processes_checking_a_change_is_announced_once(
    two_processes: TwoProcesses,
) -> None:
    with two_processes.b.client() as http:
        admin = bootstrap_admin(http)
        wait_for_status(http, admin, "overseerr", "up")
        async with listening(two_processes.a, "/system", token=admin.token) as system:
            two_processes.overseerr.stop()
            await next_matching(system, "service:status", for_service("overseerr", "down"))
            for _ in range(150):  # until both processes have checked a few times
                if len(down_points(http, admin)) >= 6:
                    break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError(f"too few checks: {down_points(http, admin)}")
            heard = [system.received.get_nowait() for _ in range(system.received.qsize())]
        inbox = assert_ok(http.get("/api/v1/dashboard/notifications", headers=admin.bearer))

    again = [payload for name, payload in heard if name == "service:status"]
    assert not [payload for payload in again if payload["service"] == "overseerr"]
    titles = [item["title"] for item in inbox["items"]]
    assert titles.count("Overseerr is down") == 1


def down_points(http: httpx.Client, admin: Account) -> list[Json]:
    history = service_status(http, admin, "overseerr", points=500)["history"]
    return [point for point in history if point["status"] == "down"]
