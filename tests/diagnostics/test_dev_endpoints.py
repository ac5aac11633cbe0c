"""`/test/health` and `/test/reset`: harness helpers that exist outside production only."""

import secrets

import httpx

from tests.conftest import StartAppServer
from tests.fixtures.accounts import bootstrap_admin, create_user
from tests.fixtures.envelope import assert_error, assert_ok


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
