"""User administration through the admin API."""

import httpx
import pytest

from tests.fixtures.accounts import USER_PASSWORD, Account, create_user, sign_in
from tests.fixtures.envelope import assert_error, assert_ok


class TestUserAdministration:
    def test_list_search_filter_and_sort(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        everyone = assert_ok(anonymous.get("/api/v1/admin/users?limit=100", headers=admin.bearer))
        assert {admin.id, friend.id} <= {user["id"] for user in everyone["items"]}
        found = assert_ok(
            anonymous.get(f"/api/v1/admin/users?search={friend.email[:12]}", headers=admin.bearer)
        )
        assert [user["id"] for user in found["items"]] == [friend.id]
        admins = assert_ok(anonymous.get("/api/v1/admin/users?role=admin", headers=admin.bearer))
        assert {user["role"] for user in admins["items"]} == {"admin"}
        by_email = assert_ok(
            anonymous.get("/api/v1/admin/users?sort=email:asc&limit=100", headers=admin.bearer)
        )
        emails = [user["email"] for user in by_email["items"]]
        assert emails == sorted(emails)

    @pytest.mark.parametrize("wildcard", ["%", "_"])
    def test_search_takes_like_wildcards_literally(
        self, admin: Account, anonymous: httpx.Client, wildcard: str
    ) -> None:
        named = {"email": f"wild-{'pct' if wildcard == '%' else 'und'}@example.com"}
        response = anonymous.post(
            "/api/v1/admin/users",
            json={**named, "name": f"Wild {wildcard} Card", "password": USER_PASSWORD},
            headers=admin.bearer,
        )
        wild = assert_ok(response, status=201)
        create_user(anonymous, admin)
        found = assert_ok(
            anonymous.get("/api/v1/admin/users", params={"search": wildcard}, headers=admin.bearer)
        )
        assert [user["id"] for user in found["items"]] == [wild["id"]]

    def test_bad_query_is_400(self, admin: Account, anonymous: httpx.Client) -> None:
        for query in ("sort=password:asc", "role=root", "limit=0", "page=-1"):
            response = anonymous.get(f"/api/v1/admin/users?{query}", headers=admin.bearer)
            assert_error(response, status=400, code="VALIDATION_ERROR")

    def test_every_list_refuses_a_page_beyond_any_list(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        schema = anonymous.get("/openapi.json").json()
        lists = [
            path
            for path, item in schema["paths"].items()
            if "{" not in path
            and any(param["name"] == "page" for param in item.get("get", {}).get("parameters", []))
        ]
        assert len(lists) >= 7
        for path in lists:
            huge = anonymous.get(f"{path}?page=9223372036854775807", headers=admin.bearer)
            assert_error(huge, status=400, code="VALIDATION_ERROR")
        errors = assert_ok(anonymous.get("/api/v1/errors/recent?limit=100", headers=admin.bearer))
        assert not [item for item in errors["items"] if "page=" in (item.get("url") or "")]

    @pytest.mark.parametrize("field", ["since", "until"])
    def test_audit_times_need_a_time_zone(
        self, admin: Account, anonymous: httpx.Client, field: str
    ) -> None:
        response = anonymous.get(
            f"/api/v1/admin/audit-logs?{field}=2026-01-01T00:00:00", headers=admin.bearer
        )
        body = assert_error(response, status=400, code="VALIDATION_ERROR")
        assert body["error"]["details"][0]["field"] == f"query.{field}"

    def test_get_one_and_404(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        assert (
            assert_ok(anonymous.get(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer))["id"]
            == friend.id
        )
        missing = anonymous.get(f"/api/v1/admin/users/{admin.id[:-4]}0000", headers=admin.bearer)
        assert_error(missing, status=404, code="NOT_FOUND")

    def test_revoke_sessions_signs_the_user_out_everywhere(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        second = sign_in(anonymous, friend.email, USER_PASSWORD)
        result = assert_ok(
            anonymous.post(f"/api/v1/admin/users/{friend.id}/revoke-sessions", headers=admin.bearer)
        )
        assert result["sessionsEnded"] == 2
        for account in (friend, second):
            assert_error(
                anonymous.get("/api/v1/auth/me", headers=account.bearer),
                status=401,
                code="JWT_INVALID",
            )

    def test_delete_user(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        assert_ok(anonymous.delete(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer))
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=friend.bearer), status=401, code="JWT_INVALID"
        )
        assert_error(
            anonymous.get(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer),
            status=404,
            code="NOT_FOUND",
        )
        trail = assert_ok(
            anonymous.get(
                "/api/v1/admin/audit-logs?action=admin.user_deleted", headers=admin.bearer
            )
        )
        assert trail["items"][0]["targetId"] == friend.id

    def test_cannot_delete_yourself_or_the_last_admin(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        response = anonymous.delete(f"/api/v1/admin/users/{admin.id}", headers=admin.bearer)
        assert_error(response, status=409, code="CONFLICT")

    def test_duplicate_email_is_409(self, admin: Account, anonymous: httpx.Client) -> None:
        response = anonymous.post(
            "/api/v1/admin/users",
            json={"email": admin.email.upper(), "name": "Dup", "password": USER_PASSWORD},
            headers=admin.bearer,
        )
        assert_error(response, status=409, code="CONFLICT")

    def test_audit_log_filters(self, admin: Account, anonymous: httpx.Client) -> None:
        mine = assert_ok(
            anonymous.get(
                f"/api/v1/admin/audit-logs?actorId={admin.id}&limit=100", headers=admin.bearer
            )
        )
        assert mine["items"]
        assert {item["actorId"] for item in mine["items"]} == {admin.id}
        future = assert_ok(
            anonymous.get(
                "/api/v1/admin/audit-logs?since=2999-01-01T00:00:00Z", headers=admin.bearer
            )
        )
        assert future["items"] == []
        assert_error(
            anonymous.get("/api/v1/admin/audit-logs?since=yesterday", headers=admin.bearer),
            status=400,
            code="VALIDATION_ERROR",
        )
