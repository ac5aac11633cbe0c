"""Sign in with Plex, end to end: a running MediaNest, the fake plex.tv and the fake Plex
server, over real HTTP."""

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import text

from medianest.db.engine import create_engine
from tests.conftest import ServerEnv, StartAppServer
from tests.fakes.plex import (
    PLEX_FRIEND,
    PLEX_OWNER,
    PLEX_STRANGER,
    FakePlexServer,
    FakePlexTv,
    plex_env,
)
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.plex import sign_in_with_plex, start_pin
from tests.fixtures.server import LiveServer, start_server

PLEX_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def database_url(backends: Backends) -> str:
    return backends.new_database()


@pytest.fixture(scope="module")
def server(
    server_env: ServerEnv,
    database_url: str,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """A server with no admin yet, its Plex server and plex.tv being the fakes."""
    env = server_env(
        database_url=database_url,
        PLEX_TIMEOUT_SECONDS=str(PLEX_TIMEOUT),
        **plex_env(plex_tv, plex_server),
    )
    live = start_server(env, workdir=tmp_path_factory.mktemp("plex-signin"))
    yield live
    live.stop()


@pytest.fixture
def browser(server: LiveServer, plex: object) -> Iterator[httpx.Client]:
    """A fresh browser (its own cookie jar); `plex` resets the fakes after the test."""
    with server.client() as client:
        yield client


def test_the_server_owner_signs_in_with_plex_and_becomes_the_first_admin(
    browser: httpx.Client, plex_tv: FakePlexTv
) -> None:
    pin = start_pin(browser)
    assert len(pin["code"]) >= 25
    assert pin["expiresIn"] > 0
    auth_url = urlsplit(pin["authUrl"])
    assert (auth_url.scheme, auth_url.netloc) == ("https", "app.plex.tv")
    query = parse_qs(auth_url.fragment.split("?", 1)[1])
    assert query["code"] == [pin["code"]]
    assert query["context[device][product]"] == ["MediaNest"]
    assert pin["qrUrl"].startswith("data:image/svg+xml")

    verify = {"pinId": pin["id"], "rememberMe": True}
    pending = browser.post("/api/v1/auth/plex/verify", json=verify)
    assert pending.status_code == 202, pending.text
    assert pending.json()["data"]["status"] == "pending"

    plex_tv.claim(pin["id"], PLEX_OWNER)
    signed_in = assert_ok(browser.post("/api/v1/auth/plex/verify", json=verify))

    user = signed_in["user"]
    assert user["role"] == "admin"
    assert user["plexUsername"] == PLEX_OWNER.username
    assert user["email"] == PLEX_OWNER.email
    assert user["avatarUrl"] == PLEX_OWNER.thumb
    # Browsers get the same cookies as a password sign-in; API clients the bearer token.
    assert {"medianest_access", "medianest_csrf"} <= set(browser.cookies.keys())
    me = assert_ok(browser.get("/api/v1/auth/me"))
    assert me["id"] == user["id"]
    bearer = {"Authorization": f"Bearer {signed_in['token']}"}
    assert assert_ok(browser.get("/api/v1/auth/me", headers=bearer))["id"] == user["id"]
    # The Plex token stays on the server.
    assert PLEX_OWNER.token not in str(signed_in)

    audit = assert_ok(
        browser.get("/api/v1/admin/audit-logs", params={"action": "auth.sign_in"}, headers=bearer)
    )
    assert audit["items"][0]["details"] == {"method": "plex"}
    # The account came from Plex on this first sign-in; no admin created it.
    joined = assert_ok(
        browser.get(
            "/api/v1/admin/audit-logs", params={"action": "auth.plex_user_created"}, headers=bearer
        )
    )
    assert [(entry["actorId"], entry["details"]) for entry in joined["items"]] == [
        (user["id"], {"role": "admin"})
    ]
    created_by_admin = browser.get(
        "/api/v1/admin/audit-logs", params={"action": "admin.user_created"}, headers=bearer
    )
    assert assert_ok(created_by_admin)["items"] == []
    # plex.tv always sees this install under the one identifier it generated and kept.
    identifiers = {request.headers.get("x-plex-client-identifier") for request in plex_tv.requests}
    assert identifiers == set(query["clientID"])
    assert {request.headers.get("x-plex-product") for request in plex_tv.requests} == {"MediaNest"}


async def test_the_plex_token_is_stored_encrypted(
    browser: httpx.Client, plex_tv: FakePlexTv, database_url: str
) -> None:
    sign_in_with_plex(browser, plex_tv, PLEX_OWNER)

    engine = create_engine(async_url(database_url))
    try:
        async with engine.connect() as connection:
            stored = await connection.scalar(
                text("SELECT plex_token_encrypted FROM users WHERE plex_id = :id"),
                {"id": str(PLEX_OWNER.id)},
            )
    finally:
        await engine.dispose()
    assert stored
    assert PLEX_OWNER.token not in stored


def test_signing_in_again_finds_the_same_user(browser: httpx.Client, plex_tv: FakePlexTv) -> None:
    first = sign_in_with_plex(browser, plex_tv, PLEX_OWNER)
    again = sign_in_with_plex(browser, plex_tv, PLEX_OWNER)
    assert again["user"]["id"] == first["user"]["id"]


def test_a_friend_the_server_is_shared_with_signs_in_as_a_user(
    browser: httpx.Client, plex_tv: FakePlexTv
) -> None:
    sign_in_with_plex(browser, plex_tv, PLEX_OWNER)  # the admin exists from here on
    friend = sign_in_with_plex(browser, plex_tv, PLEX_FRIEND)
    assert friend["user"]["role"] == "user"
    assert friend["user"]["plexUsername"] == PLEX_FRIEND.username


def test_an_account_without_the_server_is_refused_and_the_attempt_audited(
    browser: httpx.Client, plex_tv: FakePlexTv
) -> None:
    admin = sign_in_with_plex(browser, plex_tv, PLEX_OWNER)
    with httpx.Client(base_url=str(browser.base_url)) as stranger:
        pin = start_pin(stranger)
        plex_tv.claim(pin["id"], PLEX_STRANGER)
        refused = stranger.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]})
        body = assert_error(refused, status=403, code="PLEX_ACCESS_DENIED")
        assert "share" in body["error"]["message"]
        assert "medianest_access" not in stranger.cookies

    bearer = {"Authorization": f"Bearer {admin['token']}"}
    failures = assert_ok(
        browser.get(
            "/api/v1/admin/audit-logs", params={"action": "auth.sign_in_failed"}, headers=bearer
        )
    )
    assert failures["items"][0]["details"]["plexUsername"] == PLEX_STRANGER.username


def test_an_expired_pin_asks_to_start_again(browser: httpx.Client, plex_tv: FakePlexTv) -> None:
    pin = start_pin(browser)
    plex_tv.expire(pin["id"])
    response = browser.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]})
    assert_error(response, status=410, code="PLEX_PIN_EXPIRED")


def test_a_pin_only_signs_in_the_browser_that_started_it_and_only_once(
    browser: httpx.Client, server: LiveServer, plex_tv: FakePlexTv
) -> None:
    pin = start_pin(browser)
    plex_tv.claim(pin["id"], PLEX_OWNER)
    with server.client() as other_browser:
        stolen = other_browser.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]})
        assert_error(stolen, status=410, code="PLEX_PIN_EXPIRED")
        assert "medianest_access" not in other_browser.cookies

    cookie = browser.cookies.get("medianest_plex_pin")
    assert_ok(browser.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]}))
    assert "medianest_plex_pin" not in browser.cookies
    browser.cookies.set("medianest_plex_pin", cookie or "", path="/api/v1/auth/plex")
    replay = browser.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]})
    assert_error(replay, status=410, code="PLEX_PIN_EXPIRED")


@pytest.mark.parametrize("body", [{}, {"pinId": "abc"}, {"pinId": -1}, {"pinId": 2**60}])
def test_a_malformed_verify_request_is_a_validation_error(
    browser: httpx.Client, body: dict[str, object]
) -> None:
    response = browser.post("/api/v1/auth/plex/verify", json=body)
    assert_error(response, status=400, code="VALIDATION_ERROR")


def test_plex_tv_down_answers_503_plex_unreachable(
    browser: httpx.Client, plex_tv: FakePlexTv
) -> None:
    with plex_tv.down():
        response = browser.post("/api/v1/auth/plex/pin")
    assert_error(response, status=503, code="PLEX_UNREACHABLE")


def test_a_slow_plex_tv_answers_503_within_the_timeout(
    browser: httpx.Client, plex_tv: FakePlexTv
) -> None:
    started = time.monotonic()
    with plex_tv.slow(PLEX_TIMEOUT * 4):
        response = browser.post("/api/v1/auth/plex/pin")
    assert_error(response, status=503, code="PLEX_UNREACHABLE")
    assert time.monotonic() - started < PLEX_TIMEOUT * 4


def test_owner_is_not_made_admin_when_an_admin_exists(
    make_app_server: StartAppServer,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    plex: object,
) -> None:
    live = make_app_server(**plex_env(plex_tv, plex_server))
    with live.client() as http:
        bootstrap_admin(http)
        owner = sign_in_with_plex(http, plex_tv, PLEX_OWNER)
    assert owner["user"]["role"] == "user"


def test_owner_is_not_made_admin_when_the_setting_is_off(
    make_app_server: StartAppServer,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    plex: object,
) -> None:
    live = make_app_server(PLEX_OWNER_BECOMES_ADMIN="false", **plex_env(plex_tv, plex_server))
    with live.client() as http:
        owner = sign_in_with_plex(http, plex_tv, PLEX_OWNER)
    assert owner["user"]["role"] == "user"


def test_without_a_plex_server_plex_sign_in_is_not_offered(
    make_app_server: StartAppServer, tmp_path: Path
) -> None:
    live = make_app_server()
    with live.client() as http:
        response = http.post("/api/v1/auth/plex/pin")
    assert_error(response, status=503, code="PLEX_NOT_CONFIGURED")
