"""The API conventions every route follows, proved against a running server."""

import json

import httpx

from tests.conftest import StartAppServer
from tests.fixtures.accounts import Account
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
