"""Settings from the browser: an admin changes Plex, Overseerr, YouTube, mail and rate limits
through the API, every process uses them at once, and secrets never come back out."""

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from medianest.db.engine import create_engine, create_sessionmaker
from medianest.system_config.models import SystemConfig
from tests.conftest import StartServer
from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr, overseerr_env
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer
from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import free_port
from tests.system_config.conftest import Site

SETTINGS = "/api/v1/admin/settings"
SEARCH = "/api/v1/media/search"


def searches(fake: FakeOverseerr) -> int:
    return sum(call.operation == "GET /api/v1/search" for call in fake.api_calls)


def search(http: httpx.Client, account: Account) -> Any:
    return assert_ok(http.get(SEARCH, params={"query": "dune"}, headers=account.bearer))


def put(http: httpx.Client, admin: Account, body: dict[str, Any]) -> httpx.Response:
    return http.put(SETTINGS, json=body, headers=admin.bearer)


def wait_until_search_reaches(
    http: httpx.Client, account: Account, fake: FakeOverseerr, *, within: float = 30
) -> None:
    """Search until `fake` answers one (another process picks changes up on its own)."""
    deadline = time.monotonic() + within
    while True:
        before = searches(fake)
        http.get(SEARCH, params={"query": "dune"}, headers=account.bearer)
        if searches(fake) > before:
            return
        assert time.monotonic() < deadline, "the change never reached this server"
        time.sleep(0.2)


# ---------------------------------------------------------------------- the Overseerr move


def test_changing_the_overseerr_url_sends_the_next_search_to_the_new_one(
    site: Site, overseerr: FakeOverseerr, moved_overseerr: FakeOverseerr
) -> None:
    with site.server.client() as http:
        before = assert_ok(http.get(SETTINGS, headers=site.admin.bearer))
        assert before["overseerr"]["url"] == {"value": overseerr.url, "source": "environment"}
        assert before["overseerr"]["apiKey"] == {"isSet": True, "source": "environment"}
        search(http, site.user)
        assert (searches(overseerr), searches(moved_overseerr)) == (1, 0)

        saved = assert_ok(put(http, site.admin, {"overseerr": {"url": moved_overseerr.url}}))
        assert saved["overseerr"]["url"] == {"value": moved_overseerr.url, "source": "database"}
        assert saved["overseerr"]["apiKey"] == {"isSet": True, "source": "environment"}
        found = search(http, site.user)
        assert found["items"]
        assert (searches(overseerr), searches(moved_overseerr)) == (1, 1)

        # null forgets the stored value: the environment's Overseerr is back.
        cleared = assert_ok(put(http, site.admin, {"overseerr": {"url": None}}))
        assert cleared["overseerr"]["url"] == {"value": overseerr.url, "source": "environment"}
        search(http, site.user)
        assert (searches(overseerr), searches(moved_overseerr)) == (2, 1)


@pytest.mark.parametrize("with_redis", [False, True], ids=["refresh", "pubsub"])
def test_a_second_server_on_the_same_database_follows_the_change(
    with_redis: bool,
    make_server: StartServer,
    backends: Backends,
    overseerr: FakeOverseerr,
    moved_overseerr: FakeOverseerr,
) -> None:
    if with_redis and not backends.redis_url:
        pytest.skip("needs TEST_REDIS_URL")
    shared = {
        "DATABASE_URL": backends.new_database(),
        "ENCRYPTION_KEY": f"one-installation-one-key-{uuid.uuid4().hex}",
        "PLEX_CLIENT_ID": str(uuid.uuid4()),  # one installation: every secret the same
        # With Redis the announcement must do it: the timer is far too slow to.
        "SETTINGS_REFRESH_SECONDS": "600" if with_redis else "0.5",
        **overseerr_env(overseerr),
    }
    if backends.redis_url:
        shared["REDIS_KEY_PREFIX"] = f"{backends.redis_prefix}{uuid.uuid4().hex[:8]}:"
    first, second = make_server(**shared), make_server(**shared)
    with first.client() as one, second.client() as two:
        admin = bootstrap_admin(one)
        search(two, admin)
        assert searches(moved_overseerr) == 0

        assert_ok(put(one, admin, {"overseerr": {"url": moved_overseerr.url}}))
        wait_until_search_reaches(two, admin, moved_overseerr)
        view = assert_ok(two.get(SETTINGS, headers=admin.bearer))
        assert view["overseerr"]["url"] == {"value": moved_overseerr.url, "source": "database"}


# ---------------------------------------------------------------------- secrets


def test_secrets_are_stored_encrypted_and_never_shown(
    make_server: StartServer, backends: Backends, moved_overseerr: FakeOverseerr
) -> None:
    database_url = backends.new_database()
    server = make_server(DATABASE_URL=database_url)
    secrets = {
        "plex": {"token": f"plex-token-{uuid.uuid4().hex}"},
        "overseerr": {
            "url": moved_overseerr.url,
            "apiKey": OVERSEERR_API_KEY,
            "webhookSecret": f"Bearer hook-{uuid.uuid4().hex}",
        },
        "mail": {"password": f"smtp-pass-{uuid.uuid4().hex}"},
    }
    shown: list[str] = []
    with server.client() as http:
        admin = bootstrap_admin(http)
        unconfigured = http.get(SEARCH, params={"query": "dune"}, headers=admin.bearer)
        assert_error(unconfigured, status=503, code="OVERSEERR_NOT_CONFIGURED")
        saved = put(http, admin, secrets)
        shown.append(saved.text)
        view = assert_ok(saved)
        assert view["plex"]["token"] == {"isSet": True, "source": "database"}
        assert view["overseerr"]["apiKey"] == {"isSet": True, "source": "database"}
        assert view["overseerr"]["webhookSecret"] == {"isSet": True, "source": "database"}
        assert view["mail"]["password"] == {"isSet": True, "source": "database"}

        # The stored key works: searches go to Overseerr with it.
        search(http, admin)
        assert moved_overseerr.api_calls[-1].headers["x-api-key"] == OVERSEERR_API_KEY
        # ...and so does the stored webhook secret.
        webhook = http.post(
            "/api/v1/webhooks/overseerr",
            json={"notification_type": "TEST_NOTIFICATION", "subject": "Test"},
            headers={"Authorization": secrets["overseerr"]["webhookSecret"]},
        )
        assert webhook.status_code == 200, webhook.text

        shown.append(http.get(SETTINGS, headers=admin.bearer).text)
        shown.append(put(http, admin, {"mail": {"username": "mailer"}}).text)
        audit = http.get("/api/v1/admin/audit-logs", headers=admin.bearer)
        entries = assert_ok(audit)["items"]
        shown.append(audit.text)
    update = next(entry for entry in entries if entry["action"] == "settings.updated")
    assert update["details"]["changed"] == ["mail.username"]
    first = [entry for entry in entries if entry["action"] == "settings.updated"][-1]
    assert "overseerr.apiKey" in first["details"]["changed"]

    values = [secrets["plex"]["token"], OVERSEERR_API_KEY, secrets["mail"]["password"]]
    values.append(secrets["overseerr"]["webhookSecret"])
    for text in shown:
        for secret in values:
            assert secret not in text

    rows = asyncio.run(_stored_rows(database_url))
    assert rows["overseerr_url"] == (moved_overseerr.url, False)
    for key in ("plex_token", "overseerr_api_key", "overseerr_webhook_secret", "smtp_password"):
        value, is_secret = rows[key]
        assert is_secret
        assert isinstance(value, str)
        assert all(secret not in value for secret in values)


async def _stored_rows(database_url: str) -> dict[str, tuple[Any, bool]]:
    engine = create_engine(async_url(database_url))
    try:
        async with create_sessionmaker(engine)() as session:
            rows = (await session.scalars(select(SystemConfig))).all()
            return {row.key: (row.value, row.is_secret) for row in rows}
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("plex", "url", "http://169.254.169.254/latest/meta-data/"),
        ("plex", "url", "http://[fe80::1]:32400"),
        ("overseerr", "url", "http://metadata.google.internal"),
        ("overseerr", "url", "http://[fd00:ec2::254]"),
        ("overseerr", "url", "http://[::ffff:169.254.169.254]:5055"),
        ("mail", "host", "169.254.10.10"),
    ],
)
def test_link_local_and_metadata_addresses_are_refused(
    site: Site, section: str, key: str, value: str
) -> None:
    with site.server.client() as http:
        before = assert_ok(http.get(SETTINGS, headers=site.admin.bearer))
        body = assert_error(
            put(http, site.admin, {section: {key: value}}), status=400, code="VALIDATION_ERROR"
        )
        assert [detail["field"] for detail in body["error"]["details"]] == [f"{section}.{key}"]
        message = body["error"]["details"][0]["message"]
        assert "link-local" in message or "metadata" in message
        assert assert_ok(http.get(SETTINGS, headers=site.admin.bearer)) == before


def test_home_network_addresses_are_fine(site: Site) -> None:
    with site.server.client() as http:
        view = assert_ok(
            put(
                http,
                site.admin,
                {"plex": {"url": "http://192.168.1.10:32400"}, "mail": {"host": "localhost"}},
            )
        )
        assert view["plex"]["url"] == {"value": "http://192.168.1.10:32400", "source": "database"}
        assert view["mail"]["host"] == {"value": "localhost", "source": "database"}
        assert_ok(put(http, site.admin, {"plex": {"url": None}, "mail": {"host": None}}))


def test_an_invalid_value_names_its_field_and_nothing_is_saved(site: Site) -> None:
    with site.server.client() as http:
        before = assert_ok(http.get(SETTINGS, headers=site.admin.bearer))
        change = {
            "rateLimits": {"login": "lots", "downloads": "9/hour"},
            "youtube": {"maxConcurrentDownloads": 0},
        }
        body = assert_error(put(http, site.admin, change), status=400, code="VALIDATION_ERROR")
        fields = {detail["field"]: detail["message"] for detail in body["error"]["details"]}
        assert fields.keys() == {"rateLimits.login", "youtube.maxConcurrentDownloads"}
        assert "1200/minute" in fields["rateLimits.login"]
        assert "lots" not in body["error"]["message"]

        wrongs: list[dict[str, Any]] = [
            {"plex": {"url": "ftp://plex.local"}},
            {"youtube": {"defaultQuality": "8k"}},
            {"youtube": {"allowedHosts": []}},
            {"mail": {"port": 70000}},
            {"mail": {"security": "ssl"}},
            {"nosuch": {"x": 1}},
            {"plex": {"tokn": "typo"}},
        ]
        for wrong in wrongs:
            assert_error(put(http, site.admin, wrong), status=400, code="VALIDATION_ERROR")
        assert assert_ok(http.get(SETTINGS, headers=site.admin.bearer)) == before


@pytest.mark.parametrize(
    ("section", "key"),
    [("plex", "token"), ("overseerr", "apiKey"), ("overseerr", "webhookSecret")],
)
@pytest.mark.parametrize("secret", ["pasted\u00a0token", "token\n", "t\u00f6ken", " spaced"])
def test_a_secret_a_header_cannot_carry_is_refused(
    site: Site, section: str, key: str, secret: str
) -> None:
    with site.server.client() as http:
        before = assert_ok(http.get(SETTINGS, headers=site.admin.bearer))
        change = {section: {key: secret}}
        if section == "plex":
            change["plex"]["url"] = "http://192.168.1.10:32400"
        body = assert_error(put(http, site.admin, change), status=400, code="VALIDATION_ERROR")
        assert [detail["field"] for detail in body["error"]["details"]] == [f"{section}.{key}"]
        assert secret not in body["error"]["message"]
        assert assert_ok(http.get(SETTINGS, headers=site.admin.bearer)) == before
        assert assert_ok(http.get("/api/v1/health"))["status"]
        assert_ok(http.get(SEARCH, params={"query": "dune"}, headers=site.user.bearer))


def test_only_admins_see_or_change_settings(site: Site) -> None:
    with site.server.client() as http:
        user = site.user.bearer
        assert_error(http.get(SETTINGS, headers=user), status=403, code="FORBIDDEN")
        assert_error(http.put(SETTINGS, json={}, headers=user), status=403, code="FORBIDDEN")
        test = http.post(f"{SETTINGS}/overseerr/test", headers=user)
        assert_error(test, status=403, code="FORBIDDEN")
        assert_error(http.get(SETTINGS), status=401, code="UNAUTHORIZED")


# ---------------------------------------------------------------------- YouTube and limits


def test_youtube_settings_and_quotas_apply_to_the_next_download(make_server: StartServer) -> None:
    server = make_server()
    with server.client() as http:
        admin = bootstrap_admin(http)
        host = f"127.0.0.1:{free_port()}"
        url = f"http://{host}/watch?v=settings"
        refused = http.post("/api/v1/youtube/download", json={"url": url}, headers=admin.bearer)
        assert_error(refused, status=400, code="UNSAFE_URL")

        view = assert_ok(
            put(
                http,
                admin,
                {
                    "youtube": {"allowedHosts": [host], "defaultQuality": "720p"},
                    "rateLimits": {"downloads": "1/hour"},
                },
            )
        )
        assert view["youtube"]["allowedHosts"] == {"value": [host], "source": "database"}
        assert view["rateLimits"]["downloads"] == {"value": "1/hour", "source": "database"}
        assert view["youtube"]["libraryDir"]["source"] == "default"

        queued = http.post("/api/v1/youtube/download", json={"url": url}, headers=admin.bearer)
        assert assert_ok(queued, status=201)["quality"] == "720p"
        again = http.post("/api/v1/youtube/download", json={"url": url}, headers=admin.bearer)
        assert_error(again, status=429, code="RATE_LIMIT_EXCEEDED")


# ---------------------------------------------------------------------- connection tests


def test_connection_tests_report_what_happened(
    site: Site,
    moved_overseerr: FakeOverseerr,
    plex_server: FakePlexServer,
    smtp_server_session: FakeSmtpServer,
) -> None:
    with site.server.client() as http:
        admin = site.admin.bearer
        before = assert_ok(http.get(SETTINGS, headers=admin))

        current = assert_ok(http.post(f"{SETTINGS}/overseerr/test", headers=admin))
        assert current["ok"] is True
        assert current["responseMs"] >= 0

        candidate = {"url": moved_overseerr.url, "apiKey": OVERSEERR_API_KEY}
        tried = http.post(f"{SETTINGS}/overseerr/test", json=candidate, headers=admin)
        assert assert_ok(tried)["ok"] is True
        assert searches(moved_overseerr) == 0
        assert moved_overseerr.api_calls  # it was this one that answered

        down = {"url": f"http://127.0.0.1:{free_port()}", "apiKey": OVERSEERR_API_KEY}
        result = assert_ok(http.post(f"{SETTINGS}/overseerr/test", json=down, headers=admin))
        assert result["ok"] is False
        assert result["message"]

        wrong_key = {"apiKey": "not-the-key"}
        refused = assert_ok(http.post(f"{SETTINGS}/overseerr/test", json=wrong_key, headers=admin))
        assert refused["ok"] is False
        assert "not-the-key" not in refused["message"]

        unconfigured = assert_ok(http.post(f"{SETTINGS}/plex/test", headers=admin))
        assert unconfigured["ok"] is False
        assert "not configured" in unconfigured["message"]
        plex = {"url": plex_server.url, "token": ADMIN_TOKEN}
        assert assert_ok(http.post(f"{SETTINGS}/plex/test", json=plex, headers=admin))["ok"]

        mail = assert_ok(http.post(f"{SETTINGS}/mail/test", headers=admin))
        assert mail["ok"] is True, mail
        no_mail = {"host": "127.0.0.1", "port": free_port()}
        assert not assert_ok(http.post(f"{SETTINGS}/mail/test", json=no_mail, headers=admin))["ok"]

        unsafe = {"url": "http://169.254.169.254"}
        assert_error(
            http.post(f"{SETTINGS}/overseerr/test", json=unsafe, headers=admin),
            status=400,
            code="VALIDATION_ERROR",
        )
        assert_error(
            http.post(f"{SETTINGS}/sonarr/test", headers=admin), status=404, code="NOT_FOUND"
        )
        # Trying values saves none of them.
        assert assert_ok(http.get(SETTINGS, headers=admin)) == before
        assert smtp_server_session.port


def test_a_stored_secret_is_only_sent_to_its_own_server(
    site: Site, moved_overseerr: FakeOverseerr, plex_server: FakePlexServer
) -> None:
    with site.server.client() as http:
        admin = site.admin.bearer
        for url in (moved_overseerr.url, moved_overseerr.url.replace("127.0.0.1", "localhost")):
            response = http.post(f"{SETTINGS}/overseerr/test", json={"url": url}, headers=admin)
            body = assert_error(response, status=400, code="VALIDATION_ERROR")
            assert body["error"]["details"][0]["field"] == "overseerr.apiKey"
        assert moved_overseerr.api_calls == [], "the stored key went to another server"

        saved = put(http, site.admin, {"plex": {"url": plex_server.url, "token": ADMIN_TOKEN}})
        assert_ok(saved)
        try:
            elsewhere = {"url": moved_overseerr.url}
            refused = http.post(f"{SETTINGS}/plex/test", json=elsewhere, headers=admin)
            body = assert_error(refused, status=400, code="VALIDATION_ERROR")
            assert body["error"]["details"][0]["field"] == "plex.token"
            assert moved_overseerr.api_calls == []
            same = {"url": plex_server.url}
            assert assert_ok(http.post(f"{SETTINGS}/plex/test", json=same, headers=admin))["ok"]
        finally:
            assert_ok(put(http, site.admin, {"plex": {"url": None, "token": None}}))


# ---------------------------------------------------------------------- mail


def test_mail_goes_through_the_mail_server_set_from_the_browser(site: Site) -> None:
    password = f"mail-pass-{uuid.uuid4().hex}"
    with (
        FakeSmtpServer(credentials=("mailer", password)) as new_server,
        site.server.client() as http,
    ):
        admin = site.admin.bearer
        change = {
            "mail": {
                "host": new_server.host,
                "port": new_server.port,
                "username": "mailer",
                "password": password,
                "security": "none",
                "from": "Home Cinema <cinema@example.com>",
            }
        }
        saved = put(http, site.admin, change)
        assert password not in saved.text
        assert assert_ok(saved)["mail"]["from"] == {
            "value": "Home Cinema <cinema@example.com>",
            "source": "database",
        }
        checked = assert_ok(http.post(f"{SETTINGS}/mail/test", headers=admin))
        assert checked["ok"] is True, checked
        wrong = {"password": "not-it"}
        refused = assert_ok(http.post(f"{SETTINGS}/mail/test", json=wrong, headers=admin))
        assert refused["ok"] is False
        elsewhere = http.post(f"{SETTINGS}/mail/test", json={"port": free_port()}, headers=admin)
        body = assert_error(elsewhere, status=400, code="VALIDATION_ERROR")
        assert body["error"]["details"][0]["field"] == "mail.password"
        own_secret = {"port": free_port(), "password": "its-own-password"}
        tried = assert_ok(http.post(f"{SETTINGS}/mail/test", json=own_secret, headers=admin))
        assert tried["ok"] is False

        accepted = http.post("/api/v1/auth/password-reset/request", json={"email": site.user.email})
        assert_ok(accepted, status=202)
        mail = new_server.wait_for(site.user.email)
        assert mail.message["From"] == "Home Cinema <cinema@example.com>"

        cleared = dict.fromkeys(change["mail"])
        view = assert_ok(put(http, site.admin, {"mail": cleared}))
        assert view["mail"]["password"] == {"isSet": False, "source": "default"}
        assert view["mail"]["host"]["source"] == "environment"
