"""`GET /api/v1/health` is public: anyone's calls read what the periodic check last found of
Plex and Overseerr, and never make MediaNest call them; an admin's call checks them now."""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fakes.plex import ADMIN_TOKEN, FakeHttpServer, FakePlexServer
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer, start_server
from tests.monitoring.conftest import WAIT_SECONDS, Json

PINGS = {"plex": ("GET", "/"), "overseerr": ("GET", "/api/v1/user")}
"""The call each integration's check makes."""


@dataclass(frozen=True)
class Site:
    server: LiveServer
    admin: Account
    user: Account
    fakes: dict[str, FakeHttpServer]

    def pings(self, service: str) -> int:
        method, path = PINGS[service]
        requests = self.fakes[service].requests
        return sum(1 for seen in requests if (seen.method, seen.path) == (method, path))


@pytest.fixture(scope="module")
def site(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Checks run at start and then only hourly: every later ping is one a request caused."""
    with FakePlexServer() as plex, FakeOverseerr() as overseerr:
        env = server_env(
            SERVICE_CHECK_SECONDS="3600",
            PLEX_URL=plex.url,
            PLEX_TOKEN=ADMIN_TOKEN,
            PLEX_TIMEOUT_SECONDS="2",
            **overseerr_env(overseerr),
        )
        live = start_server(env, workdir=tmp_path_factory.mktemp("public-health"))
        with live.client() as http:
            admin = bootstrap_admin(http)
            user = create_user(http, admin)
        yield Site(live, admin, user, {"plex": plex, "overseerr": overseerr})
        live.stop()


@pytest.fixture
def http(site: Site) -> Iterator[httpx.Client]:
    with site.server.client() as client:
        yield client


def observed_health(http: httpx.Client) -> Json:
    """The anonymous report, once the check at start has been recorded."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        report: Json = assert_ok(http.get("/api/v1/health"))
        observed = [report["services"][name].get("checkedAt") for name in PINGS]
        if all(observed) or time.monotonic() > deadline:
            assert all(observed), report
            return report
        time.sleep(0.2)


def test_anonymous_and_friends_calls_never_reach_plex_or_overseerr(
    site: Site, http: httpx.Client
) -> None:
    observed_health(http)
    before = {service: site.pings(service) for service in PINGS}

    for _ in range(10):
        anonymous = assert_ok(http.get("/api/v1/health"))
        friend = assert_ok(http.get("/api/v1/health", headers=site.user.bearer))

    assert {service: site.pings(service) for service in PINGS} == before
    for report in (anonymous, friend):
        assert report["status"] == "healthy"
        for service in PINGS:
            assert report["services"][service]["status"] == "up"
            assert report["services"][service]["latencyMs"] >= 0
        assert report["services"]["database"]["status"] == "up"
        assert report["services"]["database"].get("checkedAt") is None, "checked by the call"


def test_an_admins_call_checks_now_and_says_why_something_is_down(
    site: Site, http: httpx.Client
) -> None:
    observed_health(http)
    plex = site.fakes["plex"]
    before = site.pings("plex")
    with plex.down():
        admins = assert_ok(http.get("/api/v1/health", headers=site.admin.bearer))
        anonymous = assert_ok(http.get("/api/v1/health"))

    assert site.pings("plex") == before, "a down fake records nothing"
    assert admins["status"] == "degraded"
    assert admins["services"]["plex"]["status"] == "down"
    assert admins["services"]["plex"]["message"]
    assert admins["services"]["plex"].get("checkedAt") is None
    assert anonymous["services"]["plex"]["status"] == "up", "the last check's finding"
    assert anonymous["services"]["plex"]["checkedAt"]

    live = assert_ok(http.get("/api/v1/health", headers=site.admin.bearer))
    assert live["services"]["plex"]["status"] == "up"
    assert site.pings("plex") == before + 1


def test_messages_are_for_admins_only(site: Site, http: httpx.Client) -> None:
    with site.fakes["overseerr"].down():
        admins = assert_ok(http.get("/api/v1/health", headers=site.admin.bearer))
    message = admins["services"]["overseerr"]["message"]
    assert message
    for caller in ({}, site.user.bearer):
        report = assert_ok(http.get("/api/v1/health", headers=caller))
        assert all(service.get("message") is None for service in report["services"].values())


def test_credentials_sent_must_be_valid(http: httpx.Client) -> None:
    response = http.get("/api/v1/health", headers={"Authorization": "Bearer not-a-token"})
    assert_error(response, status=401, code="JWT_INVALID")
