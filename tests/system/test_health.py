"""Health and metrics endpoints."""

import socket
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from tests.conftest import SettingsFactory
from tests.fixtures.envelope import assert_error, assert_ok


def closed_port() -> int:
    """A local port with nothing listening: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class TestLiveness:
    def test_health_reports_status_version_uptime(self, http: httpx.Client) -> None:
        body = http.get("/health").json()
        assert body["status"] == "ok"
        assert body["version"] == "0.1.0"
        assert body["uptimeSeconds"] >= 0
        assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None

    def test_head_answers_like_get_without_a_body(self, http: httpx.Client) -> None:
        get = http.get("/health")
        head = http.head("/health")
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert int(head.headers["content-length"]) > 0


class TestLivenessPaths:
    """The edge answers most probes itself; the ones inner layers may answer differently (a
    browser's under CORS, one with a body) go through them. Either way the answer is alike
    and counted."""

    async def test_probes_answer_alike_and_are_counted(self, client_for: object) -> None:
        client = await client_for(  # type: ignore[operator]
            cors_origins="https://app.example.test", base_path="/medianest"
        )
        async with client:
            probes = [
                await client.get("/medianest/health", headers={"X-Correlation-ID": "probe-1"}),
                await client.get(
                    "/medianest/health",
                    headers={"X-Correlation-ID": "probe-2", "Origin": "https://app.example.test"},
                ),
                await client.request(
                    "GET",
                    "/medianest/health",
                    content=b"{}",
                    headers={"X-Correlation-ID": "probe-3"},
                ),
            ]
            text = (await client.get("/medianest/metrics")).text
        cross_origin = probes[1]
        assert cross_origin.headers["access-control-allow-origin"] == "https://app.example.test"
        for index, response in enumerate(probes, start=1):
            assert response.status_code == 200
            assert response.json()["status"] == "ok"
            assert response.headers["X-Correlation-ID"] == f"probe-{index}"
            assert response.headers["content-type"] == "application/json"
            assert response.headers["X-Frame-Options"] == "DENY"
        cors_or_server = ("access-control-", "vary", "date", "server")
        names = [
            [name for name in response.headers if not name.startswith(cors_or_server)]
            for response in probes
        ]
        assert names[0] == names[1] == names[2], "same headers, in the same order"
        assert (
            'medianest_http_requests_total{method="GET",route="/medianest/health",status="200"} 3.0'
            in text
        )

    async def test_under_a_base_path_only_its_own_health_is_answered(
        self, client_for: object
    ) -> None:
        client = await client_for(base_path="/medianest")  # type: ignore[operator]
        async with client:
            assert_error(await client.get("/health"), status=404, code="NOT_FOUND")
            assert (await client.head("/medianest/health")).status_code == 200


class TestReadiness:
    def test_reports_each_dependency_with_latency(self, http: httpx.Client) -> None:
        data = assert_ok(http.get("/api/v1/health"))
        assert data["status"] == "healthy"
        database = data["services"]["database"]
        assert database["status"] == "up"
        assert database["latencyMs"] >= 0
        assert data["services"]["redis"]["status"] in {"up", "not_configured"}


@pytest.fixture
async def client_for(make_settings: SettingsFactory) -> AsyncIterator[object]:
    managers: list[LifespanManager] = []

    async def build(**overrides: object) -> httpx.AsyncClient:
        manager = LifespanManager(create_app(make_settings(**overrides)))
        await manager.__aenter__()
        managers.append(manager)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        )

    yield build
    for manager in managers:
        await manager.__aexit__(None, None, None)


class TestDependencyOutages:
    async def test_database_down_is_503_database_error(self, client_for: object) -> None:
        url = f"postgresql+asyncpg://medianest@127.0.0.1:{closed_port()}/gone"
        client = await client_for(database_url=url, database_timeout_seconds=2)  # type: ignore[operator]
        async with client:
            response = await client.get("/api/v1/health")
            body = assert_error(response, status=503, code="DATABASE_ERROR")
            assert body["error"]["details"]["services"]["database"]["status"] == "down"
            assert (await client.get("/health")).status_code == 200

    async def test_redis_down_degrades_and_never_hangs(self, client_for: object) -> None:
        client = await client_for(  # type: ignore[operator]
            redis_url=f"redis://127.0.0.1:{closed_port()}/0", redis_timeout_seconds=1
        )
        async with client:
            data = assert_ok(await client.get("/api/v1/health"))
            assert data["status"] == "degraded"
            assert data["services"]["redis"]["status"] == "down"
            assert data["services"]["redis"]["message"] is None, "told to admins only"


class TestMetrics:
    def test_counts_and_latency_per_route_template(self, http: httpx.Client) -> None:
        http.get("/api/v1/health")
        http.get("/api/v1/does-not-exist/123")
        text = http.get("/metrics").text
        assert (
            'medianest_http_requests_total{method="GET",route="/api/v1/health",status="200"}'
            in text
        )
        assert 'route="unmatched",status="404"' in text
        assert (
            'medianest_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/health"}'
            in text
        )
        assert "process_resident_memory_bytes" in text
