"""Performance figures measured by the running server, and what they recommend."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import ServerEnv, StartAppServer, StartServer
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer, start_server

SLOW_QUERY_MS = "0.001"
"""Every statement is slow: the slow-query figures and recommendation must show."""


@pytest.fixture(scope="module")
def live_server(
    server_env: ServerEnv,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    env = server_env(SLOW_QUERY_MS=SLOW_QUERY_MS, **plex_env(plex_tv, plex_server))
    server = start_server(env, workdir=tmp_path_factory.mktemp("performance"))
    yield server
    server.stop()


def figures(http: httpx.Client, admin: Account, **params: Any) -> dict[str, Any]:
    data: dict[str, Any] = assert_ok(
        http.get("/api/v1/performance/metrics", params=params, headers=admin.bearer)
    )
    return data


def route(data: dict[str, Any], method: str, template: str) -> dict[str, Any]:
    found = [r for r in data["routes"] if r["method"] == method and r["route"] == template]
    return found[0] if found else {"count": 0, "errorCount": 0}


def test_per_route_counts_and_percentiles_match_the_requests_sent(
    anonymous: httpx.Client, admin: Account
) -> None:
    user = create_user(anonymous, admin)
    before = figures(anonymous, admin, timeWindow="1h", detailed="true")

    for number in range(7):
        anonymous.post("/api/v1/test/echo", json={"message": f"hello {number}"})
    for _ in range(2):  # each 500 logs a full traceback: slow in development logging
        anonymous.get("/api/v1/test/error")
    for user_id in (admin.id, user.id):
        assert_ok(anonymous.get(f"/api/v1/admin/users/{user_id}", headers=admin.bearer))
    anonymous.get("/api/v1/admin/users/not-a-uuid", headers=admin.bearer)
    after = figures(anonymous, admin, timeWindow="1h", detailed="true")

    echo = route(after, "POST", "/api/v1/test/echo")
    assert echo["count"] - route(before, "POST", "/api/v1/test/echo")["count"] == 7
    assert echo["errorCount"] == 0
    assert echo["statuses"]["200"] >= 7
    failing = route(after, "GET", "/api/v1/test/error")
    assert failing["count"] - route(before, "GET", "/api/v1/test/error")["count"] == 2
    assert failing["errorCount"] == failing["count"]
    assert failing["errorRate"] == 1
    by_id = route(after, "GET", "/api/v1/admin/users/{user_id}")
    assert by_id["count"] - route(before, "GET", "/api/v1/admin/users/{user_id}")["count"] == 3
    assert by_id["clientErrorCount"] >= 1
    assert by_id["statuses"]["400"] >= 1
    for figures_ in (echo, failing, by_id, after["totals"]):
        assert 0 < figures_["p50Ms"] <= figures_["p95Ms"] <= figures_["p99Ms"] <= figures_["maxMs"]
    assert after["totals"]["count"] >= sum(r["count"] for r in after["routes"]) > 0
    assert after["totals"]["errorCount"] >= 2
    assert after["windowSeconds"] == 3600


def test_without_detail_the_status_breakdown_is_left_out(
    anonymous: httpx.Client, admin: Account
) -> None:
    data = figures(anonymous, admin)

    assert data["windowSeconds"] == 300
    assert data["routes"]
    assert all(r["statuses"] is None and r["clientErrorCount"] is None for r in data["routes"])


@pytest.mark.parametrize(
    ("window", "seconds"), [("90", 90), ("90s", 90), ("5m", 300), ("24h", 86400), ("1d", 86400)]
)
def test_time_windows(anonymous: httpx.Client, admin: Account, window: str, seconds: int) -> None:
    assert figures(anonymous, admin, timeWindow=window)["windowSeconds"] == seconds


@pytest.mark.parametrize("window", ["abc", "0", "-5m", "25h", "5 minutes", "1.5h", "", "\u0665m"])
def test_a_bad_time_window_is_a_validation_error(
    anonymous: httpx.Client, admin: Account, window: str
) -> None:
    response = anonymous.get(
        "/api/v1/performance/metrics", params={"timeWindow": window}, headers=admin.bearer
    )

    assert_error(response, status=400, code="VALIDATION_ERROR")


def test_process_health(anonymous: httpx.Client, admin: Account) -> None:
    for _ in range(3):
        assert_ok(anonymous.get("/api/v1/auth/me", headers=admin.bearer))

    health = assert_ok(anonymous.get("/api/v1/performance/health", headers=admin.bearer))

    assert health["status"] in {"healthy", "degraded"}
    assert health["uptimeSeconds"] > 0
    assert health["memory"]["rssBytes"] > 0
    assert 0 < health["memory"]["systemUsedPercent"] <= 100
    assert health["cpu"]["cores"] >= 1
    assert health["cpu"]["percent"] >= 0
    assert health["eventLoop"]["samples"] == 5
    assert 0 <= health["eventLoop"]["lagMs"] <= health["eventLoop"]["maxLagMs"]
    assert health["requests"]["windowSeconds"] == 300
    requests = health["requests"]
    assert requests["count"] >= 3
    assert requests["errorRate"] == round(requests["errorCount"] / requests["count"], 4)


def test_database_figures_count_statements_and_list_slow_ones_without_values(
    anonymous: httpx.Client, admin: Account
) -> None:
    before = assert_ok(anonymous.get("/api/v1/performance/database", headers=admin.bearer))
    marker = "needle-4711@example.com"
    assert_ok(anonymous.get("/api/v1/admin/users", params={"search": marker}, headers=admin.bearer))

    after = assert_ok(anonymous.get("/api/v1/performance/database", headers=admin.bearer))

    assert after["dialect"] in {"sqlite", "postgresql"}
    assert after["pool"]["kind"]
    assert after["statements"]["count"] > before["statements"]["count"] > 0
    assert after["statements"]["slowThresholdMs"] == float(SLOW_QUERY_MS)
    assert after["statements"]["slowCount"] > before["statements"]["slowCount"]
    slow = after["slowQueries"]
    assert [q for q in slow if "FROM users" in q["sql"]]
    assert marker not in str(slow)
    assert "needle" not in str(slow)
    assert all(q["count"] >= 1 and 0 < q["avgMs"] <= q["maxMs"] for q in slow)
    assert [q["maxMs"] for q in slow] == sorted((q["maxMs"] for q in slow), reverse=True)
    waits = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
    assert not [q for q in slow if q["sql"].split()[0].upper() in waits]


def test_recommendations_follow_from_the_figures(anonymous: httpx.Client, admin: Account) -> None:
    for _ in range(5):
        anonymous.get("/api/v1/test/error")

    found = assert_ok(anonymous.get("/api/v1/performance/recommendations", headers=admin.bearer))

    by_kind = {item["kind"]: item for item in found if item["kind"] != "high_error_rate"}
    slow = by_kind["slow_queries"]
    assert slow["severity"] == "warning"
    assert slow["evidence"]["thresholdMs"] == float(SLOW_QUERY_MS)
    assert slow["evidence"]["slowCount"] > 0
    failing = [
        item
        for item in found
        if item["kind"] == "high_error_rate"
        and item["evidence"].get("route") == "/api/v1/test/error"
    ]
    assert failing
    assert failing[0]["severity"] == "critical"
    assert failing[0]["evidence"]["errorRate"] == 1
    assert failing[0]["evidence"]["errorCount"] >= 5
    assert "/api/v1/test/error" in failing[0]["message"]


def test_a_quiet_server_has_no_route_or_database_recommendations(
    make_server: StartServer,
) -> None:
    server = make_server()
    with server.client() as http:
        admin = bootstrap_admin(http)
        for _ in range(6):
            assert_ok(http.get("/api/v1/auth/me", headers=admin.bearer))

        found = assert_ok(http.get("/api/v1/performance/recommendations", headers=admin.bearer))

    assert isinstance(found, list)
    assert not [item for item in found if item["kind"] not in {"memory", "event_loop_lag"}]


def test_optimize_clears_the_cache(anonymous: httpx.Client, admin: Account, plex: object) -> None:
    def search() -> str:
        response = anonymous.get(
            "/api/v1/plex/search", params={"query": "optimize"}, headers=admin.bearer
        )
        assert response.status_code == 200, response.text
        return response.headers["X-Cache-Status"]

    assert [search(), search()] == ["MISS", "HIT"]
    nothing = assert_ok(
        anonymous.post("/api/v1/performance/optimize", json={}, headers=admin.bearer)
    )
    assert nothing["cacheCleared"] is False
    assert search() == "HIT"

    done = assert_ok(
        anonymous.post(
            "/api/v1/performance/optimize", json={"clearCache": True}, headers=admin.bearer
        )
    )

    assert done["cacheCleared"] is True
    assert done["cacheEntriesRemoved"] >= 1
    assert done["actions"]
    assert search() == "MISS"


def test_statement_timing_reaches_prometheus(anonymous: httpx.Client) -> None:
    text = anonymous.get("/metrics").text

    assert 'medianest_db_statement_duration_seconds_count{operation="SELECT"}' in text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/performance/metrics"),
        ("GET", "/api/v1/performance/health"),
        ("GET", "/api/v1/performance/database"),
        ("GET", "/api/v1/performance/recommendations"),
        ("POST", "/api/v1/performance/optimize"),
    ],
)
def test_performance_is_for_admins(
    live_server: LiveServer, admin: Account, method: str, path: str
) -> None:
    kwargs: dict[str, Any] = {"json": {"clearCache": True}} if method == "POST" else {}
    with live_server.client() as http:
        user = create_user(http, admin)
    with live_server.client() as http:
        assert_error(http.request(method, path, **kwargs), status=401, code="UNAUTHORIZED")
        response = http.request(method, path, headers=user.bearer, **kwargs)
    assert_error(
        response,
        status=403,
        code="FORBIDDEN",
    )


def test_routes_are_named_by_template_under_a_base_path(
    make_app_server: StartAppServer,
) -> None:
    server = make_app_server(BASE_PATH="/medianest", base_path="/medianest")
    with server.client() as http:
        admin = bootstrap_admin(http)
        assert_ok(http.get(f"/api/v1/admin/users/{admin.id}", headers=admin.bearer))

        data = figures(http, admin)

    assert route(data, "GET", "/medianest/api/v1/admin/users/{user_id}")["count"] == 1
    assert route(data, "POST", "/medianest/api/v1/auth/admin")["count"] == 1
    assert not [r for r in data["routes"] if r["route"] == "unmatched"]
