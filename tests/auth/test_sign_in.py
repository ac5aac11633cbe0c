"""Admin bootstrap, password sign-in, refresh, sign-out and sessions over a running server."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures.accounts import ADMIN_PASSWORD, USER_PASSWORD, Account, create_user, sign_in
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer


class TestAdminBootstrap:
    @pytest.mark.usefixtures("admin")
    def test_second_bootstrap_is_409(self, anonymous: httpx.Client) -> None:
        response = anonymous.post(
            "/api/v1/auth/admin",
            json={"email": "mallory@example.com", "password": ADMIN_PASSWORD, "name": "M"},
        )
        assert_error(response, status=409, code="CONFLICT")

    def test_admin_can_read_their_profile(self, admin: Account, anonymous: httpx.Client) -> None:
        me = assert_ok(anonymous.get("/api/v1/auth/me", headers=admin.bearer))
        assert me["role"] == "admin"
        assert me["email"] == "admin@example.com"
        assert "passwordHash" not in me


class TestPasswordSignIn:
    def test_wrong_password_is_401_and_audited(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        response = anonymous.post(
            "/api/v1/auth/login", json={"email": admin.email, "password": "Wrong-Pass-123!"}
        )
        assert_error(response, status=401, code="UNAUTHORIZED")
        logs = assert_ok(
            anonymous.get(
                "/api/v1/admin/audit-logs?action=auth.sign_in_failed", headers=admin.bearer
            )
        )
        assert logs["items"][0]["details"]["email"] == admin.email

    def test_unknown_email_gets_the_same_answer(self, anonymous: httpx.Client) -> None:
        response = anonymous.post(
            "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "Whatever-123!"}
        )
        body = assert_error(response, status=401, code="UNAUTHORIZED")
        assert body["error"]["message"] == "Invalid email or password."

    def test_sign_in_sets_http_only_cookies(self, admin: Account, anonymous: httpx.Client) -> None:
        response = anonymous.post(
            "/api/v1/auth/login", json={"email": admin.email, "password": ADMIN_PASSWORD}
        )
        cookies = response.headers.get_list("set-cookie")
        access = next(c for c in cookies if c.startswith("medianest_access="))
        csrf = next(c for c in cookies if c.startswith("medianest_csrf="))
        assert "HttpOnly" in access
        assert "SameSite=lax" in access
        assert "Max-Age" not in access, "without rememberMe it is a browser-session cookie"
        assert "HttpOnly" not in csrf

    def test_remember_me_makes_cookies_persistent(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        response = anonymous.post(
            "/api/v1/auth/login",
            json={"email": admin.email, "password": ADMIN_PASSWORD, "rememberMe": True},
        )
        access = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("medianest_access=")
        )
        assert f"Max-Age={30 * 24 * 3600}" in access


class TestRefresh:
    def test_refresh_rotates_and_old_token_reuse_ends_the_session(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        account = sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        rotated = assert_ok(
            anonymous.post("/api/v1/auth/refresh", json={"refreshToken": account.refresh_token})
        )
        assert rotated["refreshToken"] != account.refresh_token
        new_bearer = {"Authorization": f"Bearer {rotated['token']}"}
        assert_ok(anonymous.get("/api/v1/auth/me", headers=new_bearer))
        reused = anonymous.post(
            "/api/v1/auth/refresh", json={"refreshToken": account.refresh_token}
        )
        assert_error(reused, status=401, code="JWT_INVALID")
        # The theft signal ended the whole session, including the newest tokens.
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=new_bearer), status=401, code="JWT_INVALID"
        )
        again = anonymous.post(
            "/api/v1/auth/refresh", json={"refreshToken": rotated["refreshToken"]}
        )
        assert_error(again, status=401, code="JWT_INVALID")

    def test_refresh_from_the_cookie(self, admin: Account, anonymous: httpx.Client) -> None:
        sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        refreshed = anonymous.post("/api/v1/auth/refresh")
        assert_ok(refreshed)

    def test_garbage_refresh_token_is_401(self, anonymous: httpx.Client) -> None:
        response = anonymous.post("/api/v1/auth/refresh", json={"refreshToken": "not-a-token"})
        assert_error(response, status=401, code="JWT_INVALID")


class TestSignOut:
    def test_logout_revokes_the_token_at_once(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        account = sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        assert_ok(anonymous.post("/api/v1/auth/logout", headers=account.bearer))
        refused = anonymous.get("/api/v1/auth/me", headers=account.bearer)
        assert_error(refused, status=401, code="JWT_INVALID")
        refresh = anonymous.post(
            "/api/v1/auth/refresh", json={"refreshToken": account.refresh_token}
        )
        assert_error(refresh, status=401, code="JWT_INVALID")


class TestSessions:
    def test_list_and_end_own_sessions(self, admin: Account, anonymous: httpx.Client) -> None:
        first = sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        second = sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        page = assert_ok(anonymous.get("/api/v1/auth/sessions?limit=100", headers=second.bearer))
        current = [s for s in page["items"] if s["isCurrent"]]
        assert len(current) == 1
        first_id = assert_ok(anonymous.get("/api/v1/auth/session", headers=first.bearer))[
            "session"
        ]["id"]
        assert_ok(anonymous.delete(f"/api/v1/auth/sessions/{first_id}", headers=second.bearer))
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=first.bearer), status=401, code="JWT_INVALID"
        )
        assert_ok(anonymous.get("/api/v1/auth/me", headers=second.bearer))

    def test_someone_elses_session_is_404(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        admin_session = sign_in(anonymous, admin.email, ADMIN_PASSWORD)
        admin_session_id = assert_ok(
            anonymous.get("/api/v1/auth/session", headers=admin_session.bearer)
        )["session"]["id"]
        response = anonymous.delete(
            f"/api/v1/auth/sessions/{admin_session_id}", headers=friend.bearer
        )
        assert_error(response, status=404, code="NOT_FOUND")
        assert_ok(anonymous.get("/api/v1/auth/me", headers=admin_session.bearer))


class TestAccount:
    def test_change_password_ends_other_sessions(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        other_device = sign_in(anonymous, friend.email, USER_PASSWORD)
        new_password = "Brand-New-Lighthouse-77!"
        assert_ok(
            anonymous.post(
                "/api/v1/auth/change-password",
                json={"currentPassword": USER_PASSWORD, "newPassword": new_password},
                headers=friend.bearer,
            )
        )
        assert_ok(anonymous.get("/api/v1/auth/me", headers=friend.bearer))
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=other_device.bearer),
            status=401,
            code="JWT_INVALID",
        )
        sign_in(anonymous, friend.email, new_password)

    def test_weak_new_password_names_every_rule(
        self, admin: Account, anonymous: httpx.Client
    ) -> None:
        friend = create_user(anonymous, admin)
        response = anonymous.post(
            "/api/v1/auth/change-password",
            json={"currentPassword": USER_PASSWORD, "newPassword": "friend1"},
            headers=friend.bearer,
        )
        body = assert_error(response, status=400, code="VALIDATION_ERROR")
        messages = {item["message"] for item in body["error"]["details"]}
        assert "must be at least 8 characters long" in messages
        assert "must contain an uppercase letter" in messages
        assert "must contain a special character" in messages
        assert "must not contain your name, username or email" in messages

    def test_update_profile(self, admin: Account, anonymous: httpx.Client) -> None:
        friend = create_user(anonymous, admin)
        updated = assert_ok(
            anonymous.patch("/api/v1/auth/me", json={"name": "Francesca"}, headers=friend.bearer)
        )
        assert updated["name"] == "Francesca"
        taken = anonymous.patch(
            "/api/v1/auth/me",
            json={"email": admin.email, "currentPassword": friend.password},
            headers=friend.bearer,
        )
        assert_error(taken, status=409, code="CONFLICT")


class TestConcurrency:
    def test_parallel_sign_ins_and_failures_are_all_answered(
        self, admin: Account, live_server: LiveServer
    ) -> None:
        """Concurrent writers (sessions, audit rows of failures) must queue, not fail."""

        def attempt(index: int) -> int:
            password = ADMIN_PASSWORD if index % 2 else "Wrong-Guess-123!"
            with live_server.client() as http:
                response = http.post(
                    "/api/v1/auth/login", json={"email": admin.email, "password": password}
                )
                return response.status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(attempt, range(24)))
        assert sorted(set(statuses)) == [200, 401]
        assert statuses.count(200) == 12
