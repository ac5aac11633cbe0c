"""Records of failures outlive the failing request: a refused sign-in and a stolen session
ended by a reused refresh token are audited, and nothing else of the request is kept."""

from typing import Any

import httpx

from tests.fixtures.accounts import USER_PASSWORD, Account, create_user, sign_in
from tests.fixtures.envelope import assert_error, assert_ok


def audit_entries(http: httpx.Client, admin: Account, **filters: str) -> list[dict[str, Any]]:
    query = {"limit": "100", **filters}
    page = assert_ok(http.get("/api/v1/admin/audit-logs", params=query, headers=admin.bearer))
    entries: list[dict[str, Any]] = page["items"]
    assert page["pagination"]["totalItems"] == len(entries)
    return entries


def active_sessions(http: httpx.Client, account: Account) -> list[dict[str, Any]]:
    page = assert_ok(http.get("/api/v1/auth/sessions?limit=100", headers=account.bearer))
    sessions: list[dict[str, Any]] = page["items"]
    return sessions


class TestRefusedSignIn:
    def test_leaves_its_audit_entry_and_nothing_else(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        user_before = assert_ok(
            anonymous.get(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer)
        )
        sessions_before = active_sessions(anonymous, friend)
        entries_before = audit_entries(anonymous, admin)

        refused = anonymous.post(
            "/api/v1/auth/login", json={"email": friend.email, "password": "Wrong-Guess-123!"}
        )

        assert_error(refused, status=401, code="UNAUTHORIZED")
        entries_after = audit_entries(anonymous, admin)
        assert len(entries_after) == len(entries_before) + 1, "one entry, and no sign-in"
        newest = entries_after[0]
        assert newest["action"] == "auth.sign_in_failed"
        assert newest["actorId"] == friend.id
        assert newest["details"] == {"email": friend.email}
        assert active_sessions(anonymous, friend) == sessions_before
        user_after = assert_ok(
            anonymous.get(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer)
        )
        assert user_after["lastLoginAt"] == user_before["lastLoginAt"]

    def test_the_right_password_still_signs_in_afterwards(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        anonymous.post(
            "/api/v1/auth/login", json={"email": friend.email, "password": "Wrong-Guess-123!"}
        )
        again = sign_in(anonymous, friend.email, USER_PASSWORD)
        assert_ok(anonymous.get("/api/v1/auth/me", headers=again.bearer))


class TestReusedRefreshToken:
    def test_revokes_the_session_and_leaves_its_audit_entry(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        session_id = assert_ok(anonymous.get("/api/v1/auth/session", headers=friend.bearer))[
            "session"
        ]["id"]
        rotated = assert_ok(
            anonymous.post("/api/v1/auth/refresh", json={"refreshToken": friend.refresh_token})
        )

        reused = anonymous.post("/api/v1/auth/refresh", json={"refreshToken": friend.refresh_token})

        assert_error(reused, status=401, code="JWT_INVALID")
        entries = audit_entries(
            anonymous, admin, action="auth.refresh_token_reused", actorId=friend.id
        )
        assert [(e["targetType"], e["targetId"]) for e in entries] == [("session", session_id)]
        newest_bearer = {"Authorization": f"Bearer {rotated['token']}"}
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=newest_bearer), status=401, code="JWT_INVALID"
        )
        later = anonymous.post(
            "/api/v1/auth/refresh", json={"refreshToken": rotated["refreshToken"]}
        )
        assert_error(later, status=401, code="JWT_INVALID")
