"""Error reports from the browser app and from the server's own unexpected errors."""

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from tests.conftest import ServerEnv, SettingsFactory
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, create_user
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer, start_server

REPORTS_PER_HOUR = 3

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVlLTQy"
PLEX_TOKEN = "PlexTok3n-q8Zr2Lm4"
API_KEY = "sk-live-Vn93kQ"
PASSWORD = "Hunter2-Plum-Sofa"
BEARER = "opaqueBearer77xy"
COOKIE = "cookieVal55aa"
SECRETS = (JWT, PLEX_TOKEN, API_KEY, PASSWORD, BEARER, COOKIE)


@pytest.fixture(scope="module")
def live_server(
    server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = server_env(RATE_LIMIT_ERROR_REPORTS=f"{REPORTS_PER_HOUR}/hour")
    server = start_server(env, workdir=tmp_path_factory.mktemp("errors"))
    yield server
    server.stop()


@pytest.fixture
def user(anonymous: httpx.Client, admin: Account) -> Account:
    """A fresh user, with a fresh error report quota."""
    return create_user(anonymous, admin)


def report(message: str, **extra: Any) -> dict[str, Any]:
    return {
        "errors": [
            {
                "timestamp": "2026-11-21T10:00:00Z",
                "level": "error",
                "message": message,
                "error": {"message": "Network error", "code": "NETWORK_ERROR", "statusCode": 500},
                "context": {"component": "MediaSearch"},
            }
        ],
        "timestamp": "2026-11-21T10:00:01Z",
        "userAgent": "Mozilla/5.0 (MediaNest tests)",
        "url": "/search?query=dune",
        **extra,
    }


def recent(http: httpx.Client, admin: Account, **params: Any) -> list[dict[str, Any]]:
    data = assert_ok(
        http.get("/api/v1/errors/recent", params={"limit": 100, **params}, headers=admin.bearer)
    )
    items: list[dict[str, Any]] = data["items"]
    return items


def test_a_report_is_stored_without_its_secrets(
    anonymous: httpx.Client, admin: Account, user: Account
) -> None:
    body = report(f"API request failed with Bearer {JWT}")
    body["errors"][0]["error"]["stack"] = (
        f"TypeError: failed to fetch\n    at load (https://nest.example/api/v1/plex/items"
        f"?X-Plex-Token={PLEX_TOKEN}&page=2)\n    at search (search.tsx:42:7)"
    )
    body["errors"][0]["context"] = {
        "component": "MediaSearch",
        "props": {"query": "dune", "apiKey": API_KEY},
        "request": {"headers": {"Authorization": f"Bearer {BEARER}", "Accept": "json"}},
        "form": [{"field": "password", "password": PASSWORD}],
        "note": f"document.cookie was medianest_access={COOKIE}; theme=dark",
    }
    body["url"] = f"/search?query=dune&token={PLEX_TOKEN}"

    accepted = assert_ok(
        anonymous.post("/api/v1/errors/report", json=body, headers=user.bearer), status=201
    )

    [stored] = [item for item in recent(anonymous, admin) if item["id"] in accepted["ids"]]
    assert len(accepted["ids"]) == 1
    text = str(stored)
    assert not [secret for secret in SECRETS if secret in text], text
    assert stored["source"] == "client"
    assert stored["userId"] == user.id
    assert stored["message"].startswith("API request failed with Bearer ")
    assert stored["errorCode"] == "NETWORK_ERROR"
    assert stored["userAgent"] == "Mozilla/5.0 (MediaNest tests)"
    assert stored["url"].startswith("/search?query=dune&token=")
    assert "search.tsx:42:7" in stored["stackTrace"]
    assert "page=2" in stored["stackTrace"]
    context = stored["context"]
    assert context["level"] == "error"
    assert context["error"] == {"message": "Network error", "statusCode": 500}
    assert context["context"]["component"] == "MediaSearch"
    assert context["context"]["props"]["query"] == "dune"
    assert context["context"]["request"]["headers"]["Accept"] == "json"
    assert "theme=dark" in context["context"]["note"]


def test_every_error_of_a_batch_is_a_report_and_the_newest_comes_first(
    anonymous: httpx.Client, admin: Account, user: Account
) -> None:
    body = report("first of two")
    body["errors"].append({**body["errors"][0], "message": "second of two"})
    accepted = assert_ok(
        anonymous.post("/api/v1/errors/report", json=body, headers=user.bearer), status=201
    )
    later = assert_ok(
        anonymous.post("/api/v1/errors/report", json=report("the latest"), headers=user.bearer),
        status=201,
    )

    assert len(accepted["ids"]) == 2
    mine = [item for item in recent(anonymous, admin, source="client") if item["userId"] == user.id]
    assert mine[0]["id"] == later["ids"][0]
    assert {item["message"] for item in mine} == {"first of two", "second of two", "the latest"}
    first_page = assert_ok(
        anonymous.get("/api/v1/errors/recent", params={"limit": 1}, headers=admin.bearer)
    )
    assert len(first_page["items"]) == 1
    assert first_page["pagination"]["totalItems"] >= 3


def test_an_oversized_report_is_refused_and_not_stored(
    anonymous: httpx.Client, admin: Account, user: Account
) -> None:
    body = report("an oversized report")
    body["errors"][0]["context"] = {"dump": "x" * 40_000}  # over ERROR_REPORT_MAX_BYTES

    response = anonymous.post("/api/v1/errors/report", json=body, headers=user.bearer)

    assert_error(response, status=413, code="PAYLOAD_TOO_LARGE")
    assert not [item for item in recent(anonymous, admin) if item["userId"] == user.id]
    for _ in range(REPORTS_PER_HOUR):  # and it cost nothing of the quota
        assert_ok(
            anonymous.post("/api/v1/errors/report", json=report("fits"), headers=user.bearer),
            status=201,
        )


def test_reports_beyond_the_quota_are_refused(
    anonymous: httpx.Client, admin: Account, user: Account
) -> None:
    for number in range(REPORTS_PER_HOUR):
        response = anonymous.post(
            "/api/v1/errors/report", json=report(f"report {number}"), headers=user.bearer
        )
        assert_ok(response, status=201)
        assert response.headers["X-RateLimit-Remaining"] == str(REPORTS_PER_HOUR - number - 1)

    refused = anonymous.post(
        "/api/v1/errors/report", json=report("one too many"), headers=user.bearer
    )

    body = assert_error(refused, status=429, code="RATE_LIMIT_EXCEEDED")
    assert int(refused.headers["Retry-After"]) > 0
    assert body["error"]["details"]["retryAfter"] > 0
    mine = [item["message"] for item in recent(anonymous, admin) if item["userId"] == user.id]
    assert sorted(mine) == [f"report {number}" for number in range(REPORTS_PER_HOUR)]


@pytest.mark.parametrize(
    "body",
    [
        {"errors": []},
        {"errors": [{"message": "   "}]},
        {"errors": [{"message": "bad level", "level": "loud"}]},
        {"errors": [{"message": "ok"}], "url": "x" * 2001},
        {"message": "not the shape at all"},
        {"errors": [{"message": "ok"}], "timestamp": 0},
        {"errors": [{"message": "ok", "timestamp": 1764000000}]},
    ],
)
def test_a_malformed_report_is_a_validation_error(
    anonymous: httpx.Client, admin: Account, user: Account, body: dict[str, Any]
) -> None:
    response = anonymous.post("/api/v1/errors/report", json=body, headers=user.bearer)

    assert_error(response, status=400, code="VALIDATION_ERROR")
    assert not [item for item in recent(anonymous, admin) if item["userId"] == user.id]


def test_reporting_needs_a_signed_in_user(anonymous: httpx.Client) -> None:
    response = anonymous.post("/api/v1/errors/report", json=report("who am I"))

    assert_error(response, status=401, code="UNAUTHORIZED")


def test_only_admins_read_the_reports(anonymous: httpx.Client, user: Account) -> None:
    response = anonymous.get("/api/v1/errors/recent", headers=user.bearer)

    assert_error(response, status=403, code="FORBIDDEN")


def test_an_unexpected_server_error_is_recorded_with_its_correlation_id(
    anonymous: httpx.Client, admin: Account
) -> None:
    response = anonymous.get(
        "/api/v1/test/error", params={"token": PLEX_TOKEN}, headers={"User-Agent": "probe/1.0"}
    )

    assert_error(response, status=500, code="INTERNAL_ERROR")
    correlation_id = response.headers["X-Correlation-ID"]
    [stored] = [
        item
        for item in recent(anonymous, admin, source="server")
        if item["correlationId"] == correlation_id
    ]
    assert stored["source"] == "server"
    assert stored["errorCode"] == "INTERNAL_ERROR"
    assert stored["userId"] is None
    assert stored["message"] == "RuntimeError: deliberate failure from /api/v1/test/error"
    assert stored["context"] == {
        "method": "GET",
        "route": "/api/v1/test/error",
        "path": "/api/v1/test/error",
        "exceptionType": "builtins.RuntimeError",
    }
    assert "Traceback (most recent call last)" in stored["stackTrace"]
    assert "raise_unexpected_error" in stored["stackTrace"]
    assert stored["url"].startswith("/api/v1/test/error?token=")
    assert PLEX_TOKEN not in str(stored)
    assert stored["userAgent"] == "probe/1.0"
    assert not [
        item for item in recent(anonymous, admin, source="client") if item["id"] == stored["id"]
    ]


async def test_one_failure_repeated_is_stored_a_bounded_number_of_times(
    make_settings: SettingsFactory, backends: Backends
) -> None:
    database = async_url(await asyncio.to_thread(backends.new_database))
    # A window far longer than the test, so how slow the machine is does not matter.
    app = create_app(
        make_settings(database_url=database, rate_limit_identical_server_errors="4/day")
    )

    async def fail() -> None:
        raise RuntimeError("the same failure every time")

    app.add_api_route("/api/v1/failing", fail)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as http,
    ):
        for page in range(7):
            failed = await http.get("/api/v1/failing", params={"page": page})
            assert_error(failed, status=500, code="INTERNAL_ERROR")
        created = await http.post(
            "/api/v1/auth/admin",
            json={"email": "admin@example.com", "password": ADMIN_PASSWORD, "name": "Ada"},
        )
        token = assert_ok(created, status=201)["token"]
        stored = assert_ok(
            await http.get(
                "/api/v1/errors/recent",
                params={"source": "server", "limit": 100},
                headers={"Authorization": f"Bearer {token}"},
            )
        )
    assert stored["pagination"]["totalItems"] == 4
