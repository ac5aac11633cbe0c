"""Password reset and invitations, through a real SMTP server and the mailed links."""

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import USER_PASSWORD, Account, create_user, sign_in
from tests.fixtures.envelope import assert_error, assert_ok

NEW_PASSWORD = "Moonlit-Orchard-Breeze-88!"


def link_in(text: str | None) -> str:
    assert text is not None
    match = re.search(r"https?://\S+", text)
    assert match, text
    return match.group(0)


def token_of(link: str) -> str:
    return parse_qs(urlparse(link).query)["token"][0]


class TestPasswordReset:
    def test_reset_through_the_mailed_link(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        friend = create_user(anonymous, admin)
        accepted = anonymous.post(
            "/api/v1/auth/password-reset/request", json={"email": friend.email}
        )
        assert assert_ok(accepted, status=202)["message"]
        mail = smtp_server.wait_for(friend.email)
        assert mail.subject == "Reset your MediaNest password"
        link = link_in(mail.text)
        assert urlparse(link).path == "/reset-password"
        token = token_of(link)
        checked = assert_ok(
            anonymous.post("/api/v1/auth/password-reset/verify", json={"token": token})
        )
        assert checked["email"] == friend.email
        assert checked["purpose"] == "reset"
        assert_ok(
            anonymous.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "newPassword": NEW_PASSWORD},
            )
        )
        # Every session of the account ended; the old password is gone, the new one works.
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=friend.bearer), status=401, code="JWT_INVALID"
        )
        refused = anonymous.post(
            "/api/v1/auth/login", json={"email": friend.email, "password": USER_PASSWORD}
        )
        assert_error(refused, status=401, code="UNAUTHORIZED")
        sign_in(anonymous, friend.email, NEW_PASSWORD)
        # Single use.
        again = anonymous.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": token, "newPassword": NEW_PASSWORD + "x"},
        )
        assert_error(again, status=400, code="VALIDATION_ERROR")

    def test_reset_revokes_every_api_key_of_the_account(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        friend = create_user(anonymous, admin)
        created = anonymous.post(
            "/api/v1/auth/api-keys",
            json={"name": "script", "scopes": ["read", "write"]},
            headers=friend.bearer,
        )
        key = {"X-Api-Key": assert_ok(created, status=201)["key"]}
        assert_ok(anonymous.get("/api/v1/auth/me", headers=key))
        anonymous.post("/api/v1/auth/password-reset/request", json={"email": friend.email})
        mail = smtp_server.wait_for(friend.email)
        assert "revokes every API key" in (mail.text or "")
        assert_ok(
            anonymous.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token_of(link_in(mail.text)), "newPassword": NEW_PASSWORD},
            )
        )
        assert_error(
            anonymous.get("/api/v1/auth/me", headers=key), status=401, code="API_KEY_INVALID"
        )
        again = sign_in(anonymous, friend.email, NEW_PASSWORD)
        keys = assert_ok(anonymous.get("/api/v1/auth/api-keys", headers=again.bearer))
        assert keys["items"] == []

    def test_unknown_address_gets_the_same_answer_and_no_mail(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        known = create_user(anonymous, admin)
        for_known = anonymous.post(
            "/api/v1/auth/password-reset/request", json={"email": known.email}
        )
        for_unknown = anonymous.post(
            "/api/v1/auth/password-reset/request", json={"email": "nobody-here@example.com"}
        )
        assert for_known.status_code == for_unknown.status_code == 202
        assert for_known.json()["data"] == for_unknown.json()["data"]
        smtp_server.wait_for(known.email)
        assert all("nobody-here@example.com" not in mail.rcpt_tos for mail in smtp_server.messages)

    def test_a_new_request_replaces_the_old_link(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        friend = create_user(anonymous, admin)
        anonymous.post("/api/v1/auth/password-reset/request", json={"email": friend.email})
        first = token_of(link_in(smtp_server.wait_for(friend.email).text))
        smtp_server.clear()
        anonymous.post("/api/v1/auth/password-reset/request", json={"email": friend.email})
        second = token_of(link_in(smtp_server.wait_for(friend.email).text))
        assert first != second
        stale = anonymous.post("/api/v1/auth/password-reset/verify", json={"token": first})
        assert_error(stale, status=400, code="VALIDATION_ERROR")
        assert_ok(anonymous.post("/api/v1/auth/password-reset/verify", json={"token": second}))

    def test_weak_password_keeps_the_link_usable(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        friend = create_user(anonymous, admin)
        anonymous.post("/api/v1/auth/password-reset/request", json={"email": friend.email})
        token = token_of(link_in(smtp_server.wait_for(friend.email).text))
        weak = anonymous.post(
            "/api/v1/auth/password-reset/confirm", json={"token": token, "newPassword": "password"}
        )
        assert_error(weak, status=400, code="VALIDATION_ERROR")
        assert_ok(anonymous.post("/api/v1/auth/password-reset/verify", json={"token": token}))

    @pytest.mark.parametrize("token", ["x" * 20, "", "a\u0000" * 10, "y" * 10_000])
    def test_bad_tokens_are_400(self, anonymous: httpx.Client, token: str) -> None:
        response = anonymous.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": token, "newPassword": NEW_PASSWORD},
        )
        assert_error(response, status=400, code="VALIDATION_ERROR")


class TestInvitation:
    def test_invited_user_sets_a_password_from_the_mail_and_signs_in(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        email = "invited-guest@example.com"
        created = anonymous.post(
            "/api/v1/admin/users", json={"email": email, "name": "Gwen Guest"}, headers=admin.bearer
        )
        user = assert_ok(created, status=201)
        mail = smtp_server.wait_for(email)
        assert mail.subject == "You are invited to MediaNest"
        link = link_in(mail.text)
        assert urlparse(link).path == "/set-password"
        token = token_of(link)
        checked = assert_ok(
            anonymous.post("/api/v1/auth/password-reset/verify", json={"token": token})
        )
        assert checked["purpose"] == "invite"
        assert_ok(
            anonymous.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "newPassword": NEW_PASSWORD},
            )
        )
        account = sign_in(anonymous, email, NEW_PASSWORD)
        assert account.id == user["id"]
        trail = assert_ok(
            anonymous.get(
                "/api/v1/admin/audit-logs?action=admin.user_invited", headers=admin.bearer
            )
        )
        assert trail["items"][0]["targetId"] == user["id"]

    def test_invitation_is_undone_when_the_mail_cannot_be_sent(
        self, admin: Account, anonymous: httpx.Client, smtp_server: FakeSmtpServer
    ) -> None:
        smtp_server.fail_next(451)
        response = anonymous.post(
            "/api/v1/admin/users",
            json={"email": "unlucky@example.com", "name": "Una Lucky"},
            headers=admin.bearer,
        )
        assert_error(response, status=503, code="SERVICE_UNAVAILABLE")
        users = assert_ok(anonymous.get("/api/v1/admin/users?search=unlucky", headers=admin.bearer))
        assert users["items"] == []


class TestResetLimit:
    def test_fourth_request_for_one_address_in_an_hour_is_429(
        self, anonymous: httpx.Client
    ) -> None:
        email = "limited@example.com"
        for _ in range(3):
            assert (
                anonymous.post(
                    "/api/v1/auth/password-reset/request", json={"email": email}
                ).status_code
                == 202
            )
        response = anonymous.post(
            "/api/v1/auth/password-reset/request", json={"email": email.upper()}
        )
        body = assert_error(response, status=429, code="RATE_LIMIT_EXCEEDED")
        assert body["error"]["details"]["retryAfter"] > 0
