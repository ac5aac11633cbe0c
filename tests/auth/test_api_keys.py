"""API keys: shown once, stored hashed, scoped, revocable."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.fixtures.accounts import Account, create_user
from tests.fixtures.envelope import assert_error, assert_ok


def create_key(
    http: httpx.Client, owner: Account, scopes: list[str], **extra: object
) -> dict[str, str]:
    response = http.post(
        "/api/v1/auth/api-keys",
        json={"name": "script", "scopes": scopes, **extra},
        headers=owner.bearer,
    )
    data: dict[str, str] = assert_ok(response, status=201)
    return data


class TestApiKeys:
    def test_key_is_shown_once_and_listed_by_prefix(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        created = create_key(anonymous, admin, ["read"])
        assert created["key"].startswith(created["prefix"] + "_")
        listing = assert_ok(anonymous.get("/api/v1/auth/api-keys", headers=admin.bearer))
        listed = next(item for item in listing["items"] if item["id"] == created["id"])
        assert "key" not in listed
        assert listed["prefix"] == created["prefix"]
        me = assert_ok(anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": created["key"]}))
        assert me["id"] == admin.id

    def test_read_key_cannot_write(self, admin: Account, anonymous: httpx.Client) -> None:
        key = create_key(anonymous, admin, ["read"])["key"]
        response = anonymous.patch(
            "/api/v1/auth/me", json={"name": "Bot"}, headers={"X-Api-Key": key}
        )
        assert_error(response, status=403, code="FORBIDDEN")
        assert assert_ok(anonymous.get("/api/v1/auth/me", headers=admin.bearer))["name"] != "Bot"

    def test_write_key_can_write_but_not_administer(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        key = create_key(anonymous, admin, ["read", "write"])["key"]
        headers = {"X-Api-Key": key}
        assert_ok(anonymous.patch("/api/v1/auth/me", json={"name": "Ada"}, headers=headers))
        assert_error(
            anonymous.get("/api/v1/admin/users", headers=headers), status=403, code="FORBIDDEN"
        )
        admin_key = create_key(anonymous, admin, ["read", "admin"])["key"]
        assert_ok(anonymous.get("/api/v1/admin/users", headers={"X-Api-Key": admin_key}))

    def test_users_cannot_mint_admin_keys(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        response = anonymous.post(
            "/api/v1/auth/api-keys", json={"name": "x", "scopes": ["admin"]}, headers=friend.bearer
        )
        assert_error(response, status=403, code="FORBIDDEN")

    def test_api_keys_cannot_create_keys(self, admin: Account, anonymous: httpx.Client) -> None:
        key = create_key(anonymous, admin, ["read", "write"])["key"]
        response = anonymous.post(
            "/api/v1/auth/api-keys",
            json={"name": "x", "scopes": ["read"]},
            headers={"X-Api-Key": key},
        )
        assert_error(response, status=403, code="FORBIDDEN")

    def test_revoked_key_stops_working(self, admin: Account, anonymous: httpx.Client) -> None:
        created = create_key(anonymous, admin, ["read"])
        assert_ok(anonymous.delete(f"/api/v1/auth/api-keys/{created['id']}", headers=admin.bearer))
        response = anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": created["key"]})
        body = assert_error(response, status=401, code="API_KEY_INVALID")
        assert body["error"]["message"] == (
            "The API key in the X-Api-Key header has been revoked or has expired: create a new one."
        )
        trail = assert_ok(
            anonymous.get(
                "/api/v1/admin/audit-logs?action=auth.api_key_revoked", headers=admin.bearer
            )
        )
        assert trail["items"][0]["targetId"] == created["id"]

    def test_someone_elses_key_is_404(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        friends_key = create_key(anonymous, friend, ["read"])
        other = create_user(anonymous, admin)
        response = anonymous.delete(
            f"/api/v1/auth/api-keys/{friends_key['id']}", headers=other.bearer
        )
        assert_error(response, status=404, code="NOT_FOUND")
        assert_ok(anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": friends_key["key"]}))

    def test_an_admin_revokes_only_their_own_keys_here(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        # One rule with sessions: /auth/ is your own account; others' are 404 even to admins.
        friend = create_user(anonymous, admin)
        friends_key = create_key(anonymous, friend, ["read"])
        friends_session = assert_ok(anonymous.get("/api/v1/auth/session", headers=friend.bearer))
        key_answer = anonymous.delete(
            f"/api/v1/auth/api-keys/{friends_key['id']}", headers=admin.bearer
        )
        session_answer = anonymous.delete(
            f"/api/v1/auth/sessions/{friends_session['session']['id']}", headers=admin.bearer
        )
        assert_error(key_answer, status=404, code="NOT_FOUND")
        assert_error(session_answer, status=404, code="NOT_FOUND")
        assert_ok(anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": friends_key["key"]}))
        assert_ok(anonymous.get("/api/v1/auth/me", headers=friend.bearer))

    def test_past_expiry_is_refused(self, admin: Account, anonymous: httpx.Client) -> None:
        past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        response = anonymous.post(
            "/api/v1/auth/api-keys",
            json={"name": "old", "scopes": ["read"], "expiresAt": past},
            headers=admin.bearer,
        )
        assert_error(response, status=400, code="VALIDATION_ERROR")

    @pytest.mark.parametrize(
        "key",
        ["mn_deadbeef_nope", "", "x" * 3000, str(uuid.uuid4())],
        ids=["unknown", "empty", "oversized", "not-a-key"],
    )
    def test_unknown_keys_are_401(self, anonymous: httpx.Client, key: str) -> None:
        response = anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": key})
        assert response.status_code == 401
        if key:
            body = assert_error(response, status=401, code="API_KEY_INVALID")
            assert "X-Api-Key" in body["error"]["message"]
        else:
            assert_error(response, status=401, code="UNAUTHORIZED")

    def test_a_key_sent_as_a_bearer_token_is_told_where_keys_go(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        key = create_key(anonymous, admin, ["read"])["key"]
        response = anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"})
        body = assert_error(response, status=401, code="API_KEY_INVALID")
        assert body["error"]["message"] == (
            "This is an API key, not a session token: send it in the X-Api-Key header "
            "(`X-Api-Key: mn_…`) instead of `Authorization: Bearer`."
        )
        assert_ok(anonymous.get("/api/v1/auth/me", headers={"X-Api-Key": key}))

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "x", "scopes": []},
            {"name": "x", "scopes": ["root"]},
            {"name": "", "scopes": ["read"]},
            {"name": "x\u0000", "scopes": ["read"]},
            {"name": "x" * 10_000, "scopes": ["read"]},
        ],
    )
    def test_bad_key_requests_are_400(
        self, admin: Account, anonymous: httpx.Client, body: dict[str, object]
    ) -> None:
        response = anonymous.post("/api/v1/auth/api-keys", json=body, headers=admin.bearer)
        assert_error(response, status=400, code="VALIDATION_ERROR")
