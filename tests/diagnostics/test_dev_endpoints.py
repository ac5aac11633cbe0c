"""`/test/health` and `/test/reset`: harness helpers that exist only when MEDIANEST_ENV=test,
and even then only for same-site callers."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from medianest.settings import Environment
from tests.conftest import SettingsFactory, StartAppServer
from tests.fixtures.accounts import ADMIN_PASSWORD, bootstrap_admin, create_user
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok

InProcess = Callable[[Environment], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def in_process(make_settings: SettingsFactory, backends: Backends) -> InProcess:
    """The app in-process in a given environment, on a database of its own (a reset that
    got through must not empty anyone else's)."""

    @asynccontextmanager
    async def start(env: Environment) -> AsyncIterator[httpx.AsyncClient]:
        database = async_url(await asyncio.to_thread(backends.new_database))
        app = create_app(make_settings(env=env, database_url=database))
        async with (
            LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
            ) as client,
        ):
            yield client

    return start


def test_health_for_harnesses(anonymous: httpx.Client) -> None:
    health = assert_ok(anonymous.get("/api/v1/test/health"))

    assert health["status"] == "healthy"
    assert health["environment"] == "test"
    assert health["version"]
    assert health["database"]["status"] == "up"
    assert health["database"]["latencyMs"] >= 0
    assert health["redis"]["status"] in {"up", "not_configured"}
    assert health["schemaCheck"]["ok"] is True
    assert health["uptimeSeconds"] > 0


def test_reset_empties_every_table_and_the_first_admin_can_be_made_again(
    make_app_server: StartAppServer,
) -> None:
    server = make_app_server()
    with server.client() as http:
        admin = bootstrap_admin(http)
        user = create_user(http, admin)
        assert_ok(
            http.post(
                "/api/v1/errors/report",
                json={"errors": [{"message": "before the reset"}]},
                headers=user.bearer,
            ),
            status=201,
        )

        reset = assert_ok(http.post("/api/v1/test/reset"))

        assert {"users", "sessions", "error_reports", "audit_logs"} <= set(reset["tables"])
        assert "alembic_version" not in reset["tables"]
        assert reset["rowsDeleted"] >= 5  # two users, their sessions, the report
        assert reset["cacheEntriesRemoved"] >= 0
        http.cookies.clear()
        assert_error(
            http.get("/api/v1/auth/me", headers=admin.bearer), status=401, code="JWT_INVALID"
        )
        assert assert_ok(http.get("/api/v1/test/health"))["schemaCheck"]["ok"] is True

        again = bootstrap_admin(http, email="second-admin@example.com")

        users = assert_ok(http.get("/api/v1/admin/users", headers=again.bearer))
        assert [item["email"] for item in users["items"]] == ["second-admin@example.com"]
        errors = assert_ok(http.get("/api/v1/errors/recent", headers=again.bearer))
        assert errors["items"] == []


def test_production_has_no_test_endpoints(make_app_server: StartAppServer) -> None:
    server = make_app_server(
        MEDIANEST_ENV="production",
        JWT_SECRET=secrets.token_hex(32),
        ENCRYPTION_KEY=secrets.token_hex(32),
    )
    with server.client() as http:
        admin = bootstrap_admin(http)
        for method, path in (
            ("GET", "/api/v1/test/health"),
            ("POST", "/api/v1/test/reset"),
            ("GET", "/api/v1/test/error"),
        ):
            response = http.request(method, path, headers=admin.bearer)
            assert_error(response, status=404, code="NOT_FOUND")
        assert assert_ok(http.get("/api/v1/admin/users", headers=admin.bearer))["items"]


async def test_development_has_no_test_endpoints(in_process: InProcess) -> None:
    async with in_process(Environment.DEVELOPMENT) as http:
        for method, path in (
            ("GET", "/api/v1/test/health"),
            ("POST", "/api/v1/test/reset"),
            ("POST", "/api/v1/test/echo"),
            ("GET", "/api/v1/test/error"),
        ):
            assert_error(await http.request(method, path), status=404, code="NOT_FOUND")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"},
    ],
)
async def test_cross_site_calls_are_refused_and_wipe_nothing(
    in_process: InProcess, headers: dict[str, str]
) -> None:
    async with in_process(Environment.TEST) as http:
        created = await http.post(
            "/api/v1/auth/admin",
            json={"email": "admin@example.com", "password": ADMIN_PASSWORD, "name": "Ada"},
        )
        token = assert_ok(created, status=201)["token"]
        http.cookies.clear()

        refused = await http.post("/api/v1/test/reset", headers=headers)

        assert_error(refused, status=403, code="FORBIDDEN")
        assert_error(
            await http.get("/api/v1/test/health", headers=headers), status=403, code="FORBIDDEN"
        )
        me = await http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert assert_ok(me)["email"] == "admin@example.com"


async def test_same_origin_calls_are_answered(in_process: InProcess) -> None:
    async with in_process(Environment.TEST) as http:
        for headers in (
            {},
            {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
            {"Sec-Fetch-Site": "none"},
        ):
            health = assert_ok(await http.get("/api/v1/test/health", headers=headers))
            assert health["environment"] == "test"
