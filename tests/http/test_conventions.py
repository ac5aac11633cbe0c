"""The API conventions every route follows, proved against a running server."""

import json
import time

import httpx

from tests.conftest import StartAppServer
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer


class TestErrorEnvelope:
    def test_unknown_route_is_404_in_the_envelope(self, http: httpx.Client) -> None:
        assert_error(http.get("/api/v1/no-such-thing"), status=404, code="NOT_FOUND")

    def test_wrong_method_is_405_in_the_envelope(self, http: httpx.Client) -> None:
        response = http.delete("/api/v1/health")
        assert_error(response, status=405, code="METHOD_NOT_ALLOWED")
        assert "GET" in response.headers["Allow"]

    def test_allow_names_every_method_of_the_path(self, http: httpx.Client) -> None:
        download = "/api/v1/youtube/downloads/00000000-0000-0000-0000-000000000000"
        for method, path, allowed in [
            ("PATCH", download, "GET, DELETE"),
            ("PUT", "/api/v1/admin/users", "GET, POST"),
            ("DELETE", "/api/v1/admin/settings", "GET, PUT"),
            ("GET", f"{download}/retry", "POST"),
        ]:
            response = http.request(method, path)
            assert_error(response, status=405, code="METHOD_NOT_ALLOWED")
            assert response.headers["Allow"] == allowed, (method, path)

    def test_loose_coercions_are_refused(self, http: httpx.Client, admin: Account) -> None:
        for remember_me in (0, 1, "true", "yes"):
            response = http.post(
                "/api/v1/auth/login",
                json={"email": admin.email, "password": admin.password, "rememberMe": remember_me},
            )
            body = assert_error(response, status=400, code="VALIDATION_ERROR")
            assert body["error"]["details"][0]["field"] == "body.rememberMe"
        for until in ("0.5", "1700000000", "yesterday"):
            response = http.get(
                "/api/v1/admin/audit-logs", params={"until": until}, headers=admin.bearer
            )
            body = assert_error(response, status=400, code="VALIDATION_ERROR")
            assert "ISO 8601" in body["error"]["details"][0]["message"]
        written_out = {"until": "2999-01-01T00:00:00Z", "since": "2000-01-01T00:00:00+02:00"}
        audit = assert_ok(
            http.get("/api/v1/admin/audit-logs", params=written_out, headers=admin.bearer)
        )
        assert audit["items"], "the admin's own sign-in is in that range"

    def test_malformed_json_is_400_validation_error(self, http: httpx.Client) -> None:
        response = http.post(
            "/api/v1/test/echo",
            content=b'{"message": "hi",',
            headers={"Content-Type": "application/json"},
        )
        body = assert_error(response, status=400, code="VALIDATION_ERROR")
        assert body["error"]["message"] == "The request body is not valid JSON."

    def test_invalid_body_lists_each_field(self, http: httpx.Client) -> None:
        response = http.post("/api/v1/test/echo", json={"message": "", "repeat": 0})
        body = assert_error(response, status=400, code="VALIDATION_ERROR")
        fields = {item["field"] for item in body["error"]["details"]}
        assert fields == {"body.message", "body.repeat"}

    def test_nul_bytes_in_text_are_refused(self, http: httpx.Client) -> None:
        response = http.post("/api/v1/test/echo", json={"message": "a\u0000b"})
        assert_error(response, status=400, code="VALIDATION_ERROR")

    def test_invalid_query_parameter_is_400_with_the_field(self, http: httpx.Client) -> None:
        response = http.post("/api/v1/test/echo?limit=500", json={"message": "hi"})
        body = assert_error(response, status=400, code="VALIDATION_ERROR")
        assert body["error"]["details"][0]["field"] == "query.limit"

    def test_oversized_declared_body_is_413(self, http: httpx.Client) -> None:
        payload = json.dumps({"message": "x" * 2_000_000}).encode()
        response = http.post(
            "/api/v1/test/echo", content=payload, headers={"Content-Type": "application/json"}
        )
        assert_error(response, status=413, code="PAYLOAD_TOO_LARGE")

    def test_oversized_streamed_body_is_413(self, http: httpx.Client) -> None:
        def chunks() -> object:
            for _ in range(40):
                yield b"x" * 65_536

        response = http.post(
            "/api/v1/test/echo",
            content=chunks(),  # type: ignore[arg-type]
            headers={"Content-Type": "application/json"},
        )
        assert_error(response, status=413, code="PAYLOAD_TOO_LARGE")

    def test_unexpected_error_is_500_without_internals(
        self, live_server: LiveServer, http: httpx.Client
    ) -> None:
        response = http.get("/api/v1/test/error", headers={"X-Correlation-ID": "trace-500"})
        body = assert_error(response, status=500, code="INTERNAL_ERROR")
        assert body["correlationId"] == "trace-500"
        assert "details" not in body["error"]
        assert "deliberate failure" not in response.text
        assert live_server.log_line("trace-500")


class TestSuccessEnvelope:
    def test_lists_are_paged_in_the_spec_shape(self, http: httpx.Client) -> None:
        response = http.post(
            "/api/v1/test/echo?page=2&limit=3", json={"message": "hi", "repeat": 7}
        )
        data = assert_ok(response)
        assert [item["index"] for item in data["items"]] == [4, 5, 6]
        assert data["pagination"] == {
            "page": 2,
            "limit": 3,
            "totalItems": 7,
            "totalPages": 3,
            "hasNext": True,
            "hasPrev": True,
            "totalExact": True,
        }

    def test_defaults_are_page_one_of_twenty(self, http: httpx.Client) -> None:
        data = assert_ok(http.post("/api/v1/test/echo", json={"message": "hi", "repeat": 25}))
        assert len(data["items"]) == 20
        assert data["pagination"]["hasNext"] is True
        assert data["pagination"]["hasPrev"] is False


class TestHeaders:
    def test_correlation_id_is_echoed(self, http: httpx.Client) -> None:
        response = http.get("/health", headers={"X-Correlation-ID": "abc-123"})
        assert response.headers["X-Correlation-ID"] == "abc-123"

    def test_correlation_id_is_created_when_absent_or_malformed(self, http: httpx.Client) -> None:
        created = http.get("/health").headers["X-Correlation-ID"]
        replaced = http.get("/health", headers={"X-Correlation-ID": "bad id\twith spaces"})
        assert len(created) == 32
        assert replaced.headers["X-Correlation-ID"] != "bad id\twith spaces"

    def test_security_headers_on_every_response(self, http: httpx.Client) -> None:
        for response in (http.get("/health"), http.get("/api/v1/nope")):
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert "camera=()" in response.headers["Permissions-Policy"]
            assert "X-XSS-Protection" not in response.headers  # deprecated, can do harm
            assert "Strict-Transport-Security" not in response.headers

    def test_hsts_only_behind_tls(self, make_app_server: StartAppServer) -> None:
        # 127.0.0.1 is the trusted proxy, like nginx in front on the same host.
        server = make_app_server(TRUSTED_PROXIES="127.0.0.1")
        with server.client() as http:
            response = http.get("/health", headers={"X-Forwarded-Proto": "https"})
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_forwarded_proto_of_an_untrusted_client_is_ignored(self, http: httpx.Client) -> None:
        response = http.get("/health", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" not in response.headers

    def test_general_api_limit_headers(self, http: httpx.Client) -> None:
        response = http.get("/api/v1/health")
        assert int(response.headers["X-RateLimit-Limit"]) == 1200
        assert int(response.headers["X-RateLimit-Remaining"]) < 1200


class TestGeneralRateLimits:
    """The per-IP and per-user API limits at their boundary, as a client sees them: the
    headers count down to 0, the next request is 429 with `Retry-After`; in memory, or on
    Redis when `TEST_REDIS_URL` is set (one script per hit there)."""

    def test_per_ip_limit_counts_down_then_refuses(
        self, make_app_server: StartAppServer, backends: Backends
    ) -> None:
        server = make_app_server(RATE_LIMIT_API_PER_IP="4/minute")
        started = _start_clear_of_a_minute_boundary(backends)
        with server.client() as http:
            answers = [http.get("/api/v1/public/info") for _ in range(5)]
        finished = time.time()
        assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
        assert [answer.headers["X-RateLimit-Limit"] for answer in answers] == ["4"] * 5
        remaining = [answer.headers["X-RateLimit-Remaining"] for answer in answers]
        assert remaining == ["3", "2", "1", "0", "0"]
        _assert_refused_until_the_window_frees(answers, backends, started, finished, limit=4)

    def test_per_user_limit_counts_every_credential_of_the_user(
        self, make_app_server: StartAppServer, backends: Backends
    ) -> None:
        server = make_app_server(
            RATE_LIMIT_API_PER_IP="1000/minute", RATE_LIMIT_API_PER_USER="5/minute"
        )
        started = _start_clear_of_a_minute_boundary(backends)
        with server.client() as http:
            admin = bootstrap_admin(http)  # public: no per-user hit; sets the session cookie
            created = http.post(
                "/api/v1/auth/api-keys",
                json={"name": "limits", "scopes": ["read"]},
                headers=admin.bearer,
            )
            key = {"X-Api-Key": assert_ok(created, status=201)["key"]}
            answers = [
                created,
                http.get("/api/v1/auth/me", headers=key),
                http.get("/api/v1/auth/me"),  # the cookie
                http.get("/api/v1/auth/me", headers=admin.bearer),
                http.get("/api/v1/auth/me"),
                http.get("/api/v1/auth/me", headers=key),
            ]
        finished = time.time()
        assert [answer.status_code for answer in answers] == [201, 200, 200, 200, 200, 429]
        # The user's limit is met after the IP's, so its figures are the ones sent.
        assert [answer.headers["X-RateLimit-Limit"] for answer in answers] == ["5"] * 6
        remaining = [answer.headers["X-RateLimit-Remaining"] for answer in answers]
        assert remaining == ["4", "3", "2", "1", "0", "0"]
        _assert_refused_until_the_window_frees(answers, backends, started, finished, limit=5)


def _start_clear_of_a_minute_boundary(backends: Backends) -> float:
    """In memory, limits' windows are whole minutes of the clock: start where the requests
    cannot straddle two of them. On Redis a window starts at its first hit."""
    if backends.redis_url is None and time.time() % 60 > 55:
        time.sleep(61 - time.time() % 60)
    return time.time()


def _assert_refused_until_the_window_frees(
    answers: list[httpx.Response], backends: Backends, started: float, finished: float, limit: int
) -> None:
    """Every answer names the same moment the window frees up (a minute after the first hit
    on Redis, the next minute of the clock in memory), and the refusal says to wait until
    then (`Retry-After`, the body's `retryAfter`)."""
    resets = {int(answer.headers["X-RateLimit-Reset"]) for answer in answers}
    if backends.redis_url is None:
        assert resets == {(int(started) // 60 + 1) * 60}
    else:
        assert all(started + 59 <= reset <= finished + 61 for reset in resets), resets
    refused = answers[-1]
    body = assert_error(refused, status=429, code="RATE_LIMIT_EXCEEDED")
    wait = int(refused.headers["Retry-After"])
    assert min(resets) - finished <= wait <= max(resets) - started + 1
    assert body["error"]["details"]["retryAfter"] == wait
    assert body["error"]["details"]["limit"] == limit
    assert all("Retry-After" not in answer.headers for answer in answers[:-1])
