"""The accounts story of issue 3, start to finish, against one running server."""

import re
from urllib.parse import parse_qs, urlparse

from tests.conftest import StartServer
from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import bootstrap_admin, sign_in
from tests.fixtures.envelope import assert_error, assert_ok

GUEST_PASSWORD = "Amber-Kestrel-Dances-31!"


def mailed_token(text: str | None) -> str:
    assert text is not None
    link = re.search(r"https?://\S+", text)
    assert link is not None
    return parse_qs(urlparse(link.group(0)).query)["token"][0]


def test_accounts_journey(make_server: StartServer, smtp_server: FakeSmtpServer) -> None:
    server = make_server()
    with server.client() as api, server.client() as browser:
        admin = bootstrap_admin(api)

        # Invite a friend, who sets a password from the mailed link and signs in.
        friend = assert_ok(
            api.post(
                "/api/v1/admin/users",
                json={"email": "gail@example.com", "name": "Gail Guest"},
                headers=admin.bearer,
            ),
            status=201,
        )
        token = mailed_token(smtp_server.wait_for("gail@example.com").text)
        assert_ok(
            api.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "newPassword": GUEST_PASSWORD},
            )
        )

        # The friend uses a browser: cookies, and CSRF on changes.
        signed_in = sign_in(browser, "gail@example.com", GUEST_PASSWORD)
        assert assert_ok(browser.get("/api/v1/auth/me"))["id"] == friend["id"]
        csrf = {"X-CSRF-Token": signed_in.csrf_token}
        assert_error(
            browser.patch("/api/v1/auth/me", json={"name": "G"}),
            status=403,
            code="CSRF_TOKEN_MISMATCH",
        )
        assert_ok(browser.patch("/api/v1/auth/me", json={"name": "Gail G."}, headers=csrf))

        # Refresh from the cookie, then sign out: the old access token is refused at once.
        refreshed = assert_ok(browser.post("/api/v1/auth/refresh"))
        assert_ok(
            browser.post("/api/v1/auth/logout", headers={"X-CSRF-Token": refreshed["csrfToken"]})
        )
        stale = {"Authorization": f"Bearer {refreshed['token']}"}
        assert_error(api.get("/api/v1/auth/me", headers=stale), status=401, code="JWT_INVALID")

        # Forgotten password, through a real SMTP message.
        smtp_server.clear()
        api.post("/api/v1/auth/password-reset/request", json={"email": "gail@example.com"})
        reset = mailed_token(smtp_server.wait_for("gail@example.com").text)
        new_password = "Second-Kestrel-Glides-54!"
        assert_ok(
            api.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": reset, "newPassword": new_password},
            )
        )
        gail = sign_in(api, "gail@example.com", new_password)

        # An API key for her scripts.
        key = assert_ok(
            api.post(
                "/api/v1/auth/api-keys",
                json={"name": "cron", "scopes": ["read"]},
                headers=gail.bearer,
            ),
            status=201,
        )["key"]
        assert (
            assert_ok(api.get("/api/v1/auth/me", headers={"X-Api-Key": key}))["name"] == "Gail G."
        )

        # Promotion takes effect on the next request.
        assert_error(
            api.get("/api/v1/admin/users", headers=gail.bearer), status=403, code="FORBIDDEN"
        )
        assert_ok(
            api.patch(
                f"/api/v1/admin/users/{friend['id']}/role",
                json={"role": "admin"},
                headers=admin.bearer,
            )
        )
        assert_ok(api.get("/api/v1/admin/users", headers=gail.bearer))

        # The audit trail tells the whole story.
        trail = assert_ok(api.get("/api/v1/admin/audit-logs?limit=100", headers=admin.bearer))
        actions = {item["action"] for item in trail["items"]}
        assert {
            "auth.admin_bootstrapped",
            "admin.user_invited",
            "auth.password_reset",
            "auth.sign_in",
            "auth.sign_out",
            "auth.password_reset_requested",
            "auth.api_key_created",
            "admin.role_changed",
        } <= actions
        sign_out = next(item for item in trail["items"] if item["action"] == "auth.sign_out")
        assert sign_out["actorId"] == friend["id"]
        assert sign_out["ipAddress"] == "127.0.0.1"
        assert sign_out["userAgent"].startswith("python-httpx")
        assert sign_out["correlationId"]
