"""Who may do what with which credential: the whole table, checked against every operation of
the OpenAPI document (a new route without a row here fails the test).

Each operation maps to a rule; each rule says, per credential, whether the call gets past
authentication and authorization (`ALLOW`: any answer but 401/403, never a 500), or is refused
with 401 (`UNAUTHORIZED`) or 403 (`FORBIDDEN`). Requests carry input that is invalid or names
nothing that exists, so an allowed call is answered 400/404 and changes nothing; the checks of
who is calling all come before the input is read.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from tests.conftest import SettingsFactory
from tests.fixtures.accounts import ADMIN_PASSWORD, USER_PASSWORD
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_ok

METRICS_TOKEN = "metrics-token-of-the-permission-table"
WEBHOOK_SECRET = "webhook-secret-of-the-permission-table"


class Credential(StrEnum):
    ANONYMOUS = "anonymous"
    USER_BEARER = "user bearer session"
    USER_COOKIE = "user cookie session + CSRF header"
    USER_COOKIE_NO_CSRF = "user cookie session, no CSRF header"
    USER_KEY_READ = "user key [read]"
    USER_KEY_WRITE = "user key [read, write]"
    ADMIN_BEARER = "admin bearer session"
    ADMIN_COOKIE = "admin cookie session + CSRF header"
    ADMIN_KEY_WRITE = "admin key [read, write]"
    ADMIN_KEY_ADMIN_READ = "admin key [read, admin]"
    ADMIN_KEY_ALL = "admin key [read, write, admin]"


class Outcome(StrEnum):
    ALLOW = "allow"
    UNAUTHORIZED = "401"
    FORBIDDEN = "403"


class Rule(StrEnum):
    PUBLIC = "anyone, signed in or not"
    SIGNED_IN_READ = "any signed-in credential"
    SIGNED_IN_WRITE = "a session, or a key with the write scope"
    SESSION_ONLY = "a session (bearer or cookie), never an API key"
    ADMIN_READ = "an admin's session, or their key with the admin scope"
    ADMIN_WRITE = "an admin's session, or their key with the write and admin scopes"
    SERVICE_SECRET = "only the service's own secret (METRICS_TOKEN, the webhook secret)"


C, A, U, F = Credential, Outcome.ALLOW, Outcome.UNAUTHORIZED, Outcome.FORBIDDEN

ACCESS: Mapping[Rule, Mapping[Credential, Outcome]] = {
    Rule.PUBLIC: dict.fromkeys(C, A),
    Rule.SIGNED_IN_READ: {**dict.fromkeys(C, A), C.ANONYMOUS: U},
    Rule.SIGNED_IN_WRITE: {
        **dict.fromkeys(C, A),
        C.ANONYMOUS: U,
        C.USER_COOKIE_NO_CSRF: F,
        C.USER_KEY_READ: F,
        C.ADMIN_KEY_ADMIN_READ: F,
    },
    Rule.SESSION_ONLY: {
        C.ANONYMOUS: U,
        C.USER_BEARER: A,
        C.USER_COOKIE: A,
        C.USER_COOKIE_NO_CSRF: F,
        C.USER_KEY_READ: F,
        C.USER_KEY_WRITE: F,
        C.ADMIN_BEARER: A,
        C.ADMIN_COOKIE: A,
        C.ADMIN_KEY_WRITE: F,
        C.ADMIN_KEY_ADMIN_READ: F,
        C.ADMIN_KEY_ALL: F,
    },
    Rule.ADMIN_READ: {
        C.ANONYMOUS: U,
        C.USER_BEARER: F,
        C.USER_COOKIE: F,
        C.USER_COOKIE_NO_CSRF: F,
        C.USER_KEY_READ: F,
        C.USER_KEY_WRITE: F,
        C.ADMIN_BEARER: A,
        C.ADMIN_COOKIE: A,
        C.ADMIN_KEY_WRITE: F,
        C.ADMIN_KEY_ADMIN_READ: A,
        C.ADMIN_KEY_ALL: A,
    },
    Rule.ADMIN_WRITE: {
        C.ANONYMOUS: U,
        C.USER_BEARER: F,
        C.USER_COOKIE: F,
        C.USER_COOKIE_NO_CSRF: F,
        C.USER_KEY_READ: F,
        C.USER_KEY_WRITE: F,
        C.ADMIN_BEARER: A,
        C.ADMIN_COOKIE: A,
        C.ADMIN_KEY_WRITE: F,
        C.ADMIN_KEY_ADMIN_READ: F,
        C.ADMIN_KEY_ALL: A,
    },
    Rule.SERVICE_SECRET: dict.fromkeys(C, U),
}
"""The table itself: rule by credential."""

READS_ONLY_AS_READ = {C.USER_COOKIE_NO_CSRF}
"""A cookie without the CSRF header is refused only where the method changes something."""


@dataclass(frozen=True)
class Case:
    """One call of an operation: its rule for this input, and the body that exercises it."""

    rule: Rule
    body: Any = None
    note: str = ""


NOT_AN_OBJECT: list[object] = []
"""A JSON body no operation accepts: an allowed call stops at validation (400)."""

EMAIL_CHANGE = {"email": "taken-over@example.com", "currentPassword": "Not-The-Password-1!"}

R, W, S = Rule.SIGNED_IN_READ, Rule.SIGNED_IN_WRITE, Rule.SESSION_ONLY
AR, AW, P = Rule.ADMIN_READ, Rule.ADMIN_WRITE, Rule.PUBLIC

OPERATIONS: Mapping[tuple[str, str], tuple[Case, ...]] = {
    ("GET", "/health"): (Case(P),),
    ("GET", "/metrics"): (Case(Rule.SERVICE_SECRET),),
    ("GET", "/api/v1/health"): (Case(P),),
    ("GET", "/api/v1/public/info"): (Case(P),),
    # --- sign-in and the account
    ("POST", "/api/v1/auth/admin"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/login"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/plex/pin"): (Case(P),),
    ("POST", "/api/v1/auth/plex/verify"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/refresh"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/logout"): (Case(S, note="ends the session: fresh ones per call"),),
    ("GET", "/api/v1/auth/session"): (Case(R),),
    ("GET", "/api/v1/auth/me"): (Case(R),),
    ("PATCH", "/api/v1/auth/me"): (
        Case(W, NOT_AN_OBJECT, note="the name"),
        Case(S, EMAIL_CHANGE, note="the email: where password resets go"),
    ),
    ("POST", "/api/v1/auth/change-password"): (Case(S, NOT_AN_OBJECT),),
    ("GET", "/api/v1/auth/sessions"): (Case(R),),
    ("DELETE", "/api/v1/auth/sessions/{session_id}"): (Case(W),),
    ("POST", "/api/v1/auth/api-keys"): (Case(S, NOT_AN_OBJECT),),
    ("GET", "/api/v1/auth/api-keys"): (Case(R),),
    ("DELETE", "/api/v1/auth/api-keys/{key_id}"): (Case(W),),
    ("POST", "/api/v1/auth/password-reset/request"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/password-reset/verify"): (Case(P, NOT_AN_OBJECT),),
    ("POST", "/api/v1/auth/password-reset/confirm"): (Case(P, NOT_AN_OBJECT),),
    ("GET", "/api/v1/csrf/token"): (Case(P),),
    ("POST", "/api/v1/csrf/refresh"): (Case(P),),
    # --- Plex
    ("GET", "/api/v1/plex/server"): (Case(R),),
    ("GET", "/api/v1/plex/libraries"): (Case(R),),
    ("GET", "/api/v1/plex/libraries/{key}/items"): (Case(R),),
    ("GET", "/api/v1/plex/libraries/{key}/collections"): (Case(R),),
    ("GET", "/api/v1/plex/collections/{key}"): (Case(R),),
    ("GET", "/api/v1/plex/search"): (Case(R),),
    ("GET", "/api/v1/plex/recently-added"): (Case(R),),
    ("GET", "/api/v1/plex/image"): (Case(R),),
    # --- media requests
    ("GET", "/api/v1/media/search"): (Case(R),),
    ("POST", "/api/v1/media/request"): (Case(W, NOT_AN_OBJECT),),
    ("GET", "/api/v1/media/request/quota"): (Case(R),),
    ("GET", "/api/v1/media/requests"): (Case(R),),
    ("GET", "/api/v1/media/requests/{request_id}"): (Case(R),),
    ("DELETE", "/api/v1/media/requests/{request_id}"): (Case(W),),
    ("GET", "/api/v1/media/requests/{request_id}/comments"): (Case(R),),
    ("POST", "/api/v1/media/requests/{request_id}/comments"): (Case(W, NOT_AN_OBJECT),),
    ("GET", "/api/v1/media/{media_type}/{tmdb_id}"): (Case(R),),
    ("GET", "/api/v1/media/discover/{row}"): (Case(R),),
    ("GET", "/api/v1/images/tmdb/{size}/{file_name}"): (Case(R),),
    ("GET", "/api/v1/admin/requests"): (Case(AR),),
    ("POST", "/api/v1/admin/requests/{request_id}/approve"): (Case(AW),),
    ("POST", "/api/v1/admin/requests/{request_id}/decline"): (Case(AW, NOT_AN_OBJECT),),
    ("POST", "/api/v1/admin/requests/reconcile"): (Case(AW),),
    ("POST", "/api/v1/webhooks/overseerr"): (Case(Rule.SERVICE_SECRET, NOT_AN_OBJECT),),
    # --- downloads
    ("POST", "/api/v1/youtube/download"): (Case(W, NOT_AN_OBJECT),),
    ("GET", "/api/v1/youtube/quota"): (Case(R),),
    ("GET", "/api/v1/youtube/downloads"): (Case(R),),
    ("GET", "/api/v1/youtube/downloads/{download_id}"): (Case(R),),
    ("DELETE", "/api/v1/youtube/downloads/{download_id}"): (Case(W),),
    ("POST", "/api/v1/youtube/downloads/{download_id}/cancel"): (Case(W),),
    ("POST", "/api/v1/youtube/downloads/{download_id}/retry"): (Case(W),),
    ("GET", "/api/v1/youtube/metadata"): (Case(R),),
    # --- administration
    ("POST", "/api/v1/admin/users"): (Case(AW, NOT_AN_OBJECT),),
    ("GET", "/api/v1/admin/users"): (Case(AR),),
    ("GET", "/api/v1/admin/users/{user_id}"): (Case(AR),),
    ("DELETE", "/api/v1/admin/users/{user_id}"): (Case(AW),),
    ("POST", "/api/v1/admin/users/{user_id}/revoke-sessions"): (Case(AW),),
    ("PATCH", "/api/v1/admin/users/{user_id}/role"): (Case(AW, NOT_AN_OBJECT),),
    ("GET", "/api/v1/admin/audit-logs"): (Case(AR),),
    ("GET", "/api/v1/admin/settings"): (Case(AR),),
    ("PUT", "/api/v1/admin/settings"): (Case(AW, NOT_AN_OBJECT),),
    ("POST", "/api/v1/admin/settings/{service}/test"): (Case(AW, NOT_AN_OBJECT),),
    ("GET", "/api/v1/admin/stats"): (Case(AR),),
    ("GET", "/api/v1/admin/services"): (Case(AR),),
    ("POST", "/api/v1/admin/notifications"): (Case(AW, NOT_AN_OBJECT),),
    # --- dashboard and notifications
    ("GET", "/api/v1/dashboard/notifications"): (Case(R),),
    ("POST", "/api/v1/dashboard/notifications/read-all"): (Case(W),),
    ("POST", "/api/v1/dashboard/notifications/{notification_id}/read"): (Case(W),),
    ("DELETE", "/api/v1/dashboard/notifications/{notification_id}"): (Case(W),),
    ("GET", "/api/v1/dashboard/stats"): (Case(R),),
    ("GET", "/api/v1/services/status"): (Case(R),),
    ("GET", "/api/v1/dashboard/status"): (Case(R),),
    ("GET", "/api/v1/dashboard/status/{service}"): (Case(R),),
    # --- diagnostics
    ("POST", "/api/v1/errors/report"): (Case(W, NOT_AN_OBJECT),),
    ("GET", "/api/v1/errors/recent"): (Case(AR),),
    ("GET", "/api/v1/performance/metrics"): (Case(AR),),
    ("GET", "/api/v1/performance/health"): (Case(AR),),
    ("GET", "/api/v1/performance/database"): (Case(AR),),
    ("GET", "/api/v1/performance/recommendations"): (Case(AR),),
    ("POST", "/api/v1/performance/optimize"): (Case(AW, NOT_AN_OBJECT),),
}
"""Every operation of the API, with the rule (or rules, by input) it follows."""

CONSUMES_THE_SESSION = {("POST", "/api/v1/auth/logout")}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def expected(rule: Rule, credential: Credential, method: str) -> Outcome:
    outcome = ACCESS[rule][credential]
    if credential in READS_ONLY_AS_READ and method in SAFE_METHODS:
        return ACCESS[rule][C.USER_BEARER]
    return outcome


def outcome_of(response: httpx.Response) -> Outcome:
    if response.status_code == 401:
        return Outcome.UNAUTHORIZED
    if response.status_code == 403:
        return Outcome.FORBIDDEN
    return Outcome.ALLOW


@dataclass(frozen=True)
class SignedIn:
    token: str
    csrf: str


class Callers:
    """The headers each credential sends; sessions are signed in on demand."""

    def __init__(self, client: httpx.AsyncClient, user_email: str) -> None:
        self._client = client
        self._user_email = user_email
        self.keys: dict[Credential, str] = {}
        self.sessions: dict[str, SignedIn] = {}

    async def sign_in(self, who: str) -> SignedIn:
        email, password = (
            ("admin@example.com", ADMIN_PASSWORD)
            if who == "admin"
            else (self._user_email, USER_PASSWORD)
        )
        self._client.cookies.clear()
        data = assert_ok(
            await self._client.post(
                "/api/v1/auth/login", json={"email": email, "password": password}
            )
        )
        self._client.cookies.clear()
        return SignedIn(token=data["token"], csrf=data["csrfToken"])

    async def fresh_sessions(self) -> None:
        self.sessions = {who: await self.sign_in(who) for who in ("user", "admin")}

    async def create_key(self, who: str, scopes: list[str]) -> str:
        session = self.sessions[who]
        created = assert_ok(
            await self._client.post(
                "/api/v1/auth/api-keys",
                json={"name": "table", "scopes": scopes},
                headers={"Authorization": f"Bearer {session.token}"},
            ),
            status=201,
        )
        key: str = created["key"]
        return key

    def headers(self, credential: Credential) -> dict[str, str]:
        if credential is C.ANONYMOUS:
            return {}
        if credential in self.keys:
            return {"X-Api-Key": self.keys[credential]}
        session = self.sessions["admin" if credential.name.startswith("ADMIN") else "user"]
        if credential in {C.USER_BEARER, C.ADMIN_BEARER}:
            return {"Authorization": f"Bearer {session.token}"}
        cookies = {"Cookie": f"medianest_access={session.token}; medianest_csrf={session.csrf}"}
        if credential is C.USER_COOKIE_NO_CSRF:
            return cookies
        return {**cookies, "X-CSRF-Token": session.csrf}


@pytest.fixture
async def table_app(
    make_settings: SettingsFactory, backends: Backends
) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process on a database of its own, with both service secrets set."""
    settings = make_settings(
        database_url=async_url(await asyncio.to_thread(backends.new_database)),
        metrics_token=METRICS_TOKEN,
        overseerr_webhook_secret=WEBHOOK_SECRET,
        rate_limit_api_per_ip="100000/minute",
        rate_limit_api_per_user="100000/minute",
        rate_limit_login="1000/minute",
    )
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield client


async def callers_for(client: httpx.AsyncClient) -> Callers:
    admin = assert_ok(
        await client.post(
            "/api/v1/auth/admin",
            json={"email": "admin@example.com", "password": ADMIN_PASSWORD, "name": "Ada Admin"},
        ),
        status=201,
    )
    user_email = "friend@example.com"
    assert_ok(
        await client.post(
            "/api/v1/admin/users",
            json={
                "email": user_email,
                "name": "Francesca",
                "role": "user",
                "password": USER_PASSWORD,
            },
            headers={"Authorization": f"Bearer {admin['token']}"},
        ),
        status=201,
    )
    callers = Callers(client, user_email)
    await callers.fresh_sessions()
    for credential, who, scopes in (
        (C.USER_KEY_READ, "user", ["read"]),
        (C.USER_KEY_WRITE, "user", ["read", "write"]),
        (C.ADMIN_KEY_WRITE, "admin", ["read", "write"]),
        (C.ADMIN_KEY_ADMIN_READ, "admin", ["read", "admin"]),
        (C.ADMIN_KEY_ALL, "admin", ["read", "write", "admin"]),
    ):
        callers.keys[credential] = await callers.create_key(who, scopes)
    return callers


def operations_of(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def concrete(path: str) -> str:
    """Fill every path parameter with an id nothing has."""
    parts = [str(uuid.uuid4()) if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


async def call(
    client: httpx.AsyncClient, method: str, path: str, case: Case, headers: dict[str, str]
) -> httpx.Response:
    client.cookies.clear()
    if case.body is None:
        return await client.request(method, concrete(path), headers=headers)
    return await client.request(method, concrete(path), json=case.body, headers=headers)


async def test_every_operation_has_a_row(table_app: httpx.AsyncClient) -> None:
    schema = (await table_app.get("/openapi.json")).json()
    assert operations_of(schema) == set(OPERATIONS)


async def test_every_cell_of_the_table_holds(table_app: httpx.AsyncClient) -> None:
    callers = await callers_for(table_app)
    wrong: list[str] = []
    for (method, path), cases in OPERATIONS.items():
        for case in cases:
            for credential in Credential:
                if (method, path) in CONSUMES_THE_SESSION:
                    await callers.fresh_sessions()
                response = await call(table_app, method, path, case, callers.headers(credential))
                want = expected(case.rule, credential, method)
                got = outcome_of(response)
                if got != want or response.status_code == 500:
                    wrong.append(
                        f"{method} {path} {case.note} as {credential}: expected {want}, "
                        f"got {response.status_code} {response.text[:120]}"
                    )
    assert not wrong, "\n".join(wrong)
