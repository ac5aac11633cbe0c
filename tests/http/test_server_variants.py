"""Behaviour that depends on the server's settings: base path, CORS, limits, environments.

The app runs in process for all but the production logging, which is the process's own."""

import httpx
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from medianest.settings import Environment
from tests.conftest import AppClient, SettingsFactory, StartServer
from tests.fixtures.envelope import assert_error, assert_ok


class TestBasePath:
    async def test_whole_app_and_docs_work_under_the_base_path(
        self, make_app_client: AppClient
    ) -> None:
        async with make_app_client(base_path="/medianest") as http:
            assert (await http.get("/health")).json()["status"] == "ok"
            assert assert_ok(await http.get("/api/v1/health"))["status"] == "healthy"
            schema = (await http.get("/openapi.json")).json()
            assert schema["servers"] == [{"url": "/medianest"}]
            docs = await http.get("/docs")
            assert docs.status_code == 200
            assert "/medianest/openapi.json" in docs.text
            assert "/medianest/static/api-docs/swagger-ui-bundle.js" in docs.text
            bundle = await http.get("/static/api-docs/swagger-ui-bundle.js")
            assert bundle.status_code == 200
            redoc = await http.get("/redoc")
            assert "/medianest/static/api-docs/redoc.standalone.js" in redoc.text

    async def test_paths_outside_the_base_path_are_404(self, make_app_client: AppClient) -> None:
        async with make_app_client(base_path="/medianest") as http:
            response = await http.get("http://testserver/health")
            assert_error(response, status=404, code="NOT_FOUND")


class TestCors:
    async def test_configured_origin_may_call_with_credentials(
        self, make_app_client: AppClient
    ) -> None:
        async with make_app_client(
            cors_origins="https://app.example.test, https://other.test"
        ) as http:
            response = await http.options(
                "/api/v1/health",
                headers={
                    "Origin": "https://app.example.test",
                    "Access-Control-Request-Method": "GET",
                },
            )
            assert response.headers["access-control-allow-origin"] == "https://app.example.test"
            assert response.headers["access-control-allow-credentials"] == "true"
            denied = await http.get("/api/v1/health", headers={"Origin": "https://evil.test"})
            assert "access-control-allow-origin" not in denied.headers

    async def test_wildcard_never_comes_with_credentials(self, make_app_client: AppClient) -> None:
        async with make_app_client(cors_origins="*") as http:
            response = await http.get("/api/v1/health", headers={"Origin": "https://any.test"})
            assert response.headers["access-control-allow-origin"] == "*"
            assert "access-control-allow-credentials" not in response.headers


class TestLimits:
    async def test_general_api_limit_answers_429_with_retry_after(
        self, make_app_client: AppClient
    ) -> None:
        async with make_app_client(rate_limit_api_per_ip="3/minute") as http:
            for _ in range(3):
                assert (await http.get("/api/v1/health")).status_code == 200
            response = await http.get("/api/v1/health")
            body = assert_error(response, status=429, code="RATE_LIMIT_EXCEEDED")
            assert 0 < body["error"]["details"]["retryAfter"] <= 61
            assert int(response.headers["Retry-After"]) == body["error"]["details"]["retryAfter"]
            assert response.headers["X-RateLimit-Remaining"] == "0"
            assert (await http.get("/health")).status_code == 200, "liveness is never limited"

    def test_an_oversized_request_head_is_refused(self, http: httpx.Client) -> None:
        one_huge = {"X-Padding": "a" * 200_000}
        very_many = {f"X-Header-{number}": "v" * 40 for number in range(3000)}
        for headers in (one_huge, very_many):
            try:  # refused with 400 or 431, or the connection dropped mid-send: never read
                status = http.get("/health", headers=headers).status_code
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError):
                continue
            assert status in {400, 431}
        assert http.get("/health").status_code == 200

    def test_a_large_head_within_the_limit_is_served(self, http: httpx.Client) -> None:
        response = http.get("/health", headers={"X-Padding": "a" * 60_000})
        assert response.status_code == 200
        assert http.get("/health").status_code == 200, "the connection is still usable"

    async def test_body_limit_is_configurable(self, make_app_client: AppClient) -> None:
        async with make_app_client(max_request_body_bytes="2048") as http:
            small = await http.post("/api/v1/test/echo", json={"message": "x" * 1000})
            assert small.status_code == 200
            large = await http.post("/api/v1/test/echo", json={"message": "x" * 3000})
            assert_error(large, status=413, code="PAYLOAD_TOO_LARGE")


class TestEnvironments:
    async def test_development_shows_the_traceback(self, make_settings: SettingsFactory) -> None:
        app = create_app(make_settings(env=Environment.DEVELOPMENT))

        async def fail() -> None:
            raise RuntimeError("deliberate failure")

        # Development has no /test routes (they wipe data): this one fails on purpose.
        app.add_api_route("/api/v1/failing", fail)
        async with (
            LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
            ) as http,
        ):
            response = await http.get("/api/v1/failing")
        body = assert_error(response, status=500, code="INTERNAL_ERROR")
        assert body["error"]["details"]["exception"] == "RuntimeError"
        assert any("deliberate failure" in line for line in body["error"]["details"]["traceback"])

    def test_production_hides_diagnostics_and_logs_json(self, make_server: StartServer) -> None:
        server = make_server(MEDIANEST_ENV="production")
        with server.client() as http:
            assert_error(http.get("/api/v1/test/echo"), status=404, code="NOT_FOUND")
            metrics = assert_error(http.get("/metrics"), status=404, code="NOT_FOUND")
            assert metrics["error"]["message"] == (
                "`/metrics` is off in production until METRICS_TOKEN is set; then scrape it "
                "with `Authorization: Bearer <METRICS_TOKEN>`."
            )
            http.get("/health", headers={"X-Correlation-ID": "json-line"})
        line = server.log_line("json-line")
        assert '"correlation_id": "json-line"' in line

    def test_production_metrics_need_the_token(self, make_server: StartServer) -> None:
        server = make_server(MEDIANEST_ENV="production", METRICS_TOKEN="metrics-token-123")
        with server.client() as http:
            assert_error(http.get("/metrics"), status=401, code="UNAUTHORIZED")
            wrong = http.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert_error(wrong, status=401, code="UNAUTHORIZED")
            right = http.get("/metrics", headers={"Authorization": "Bearer metrics-token-123"})
            assert right.status_code == 200
            assert "medianest_http_requests_total" in right.text
        assert "metrics-token-123" not in server.logs()
