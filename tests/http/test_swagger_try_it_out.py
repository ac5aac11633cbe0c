"""Swagger UI's "Authorize" and "Try it out", done as Swagger UI does them: the credentials
entered per security scheme are sent for an operation only as its `security` in
/openapi.json declares, each scheme where its definition says (swagger-client's
`applySecurities`). So the declarations are proved against the running app.

A browser never lets a page set cookies on a request: the session cookie scheme is satisfied
by the cookies the browser holds since signing in (`medianest_access`, `medianest_csrf`), which
it sends whatever the description says."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import StartAppServer
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.envelope import assert_error, assert_ok

READ = ("GET", "/api/v1/auth/me")
WRITE = ("POST", "/api/v1/dashboard/notifications/read-all")
SESSION_ONLY = ("POST", "/api/v1/auth/api-keys")


@dataclass
class Swagger:
    """What Swagger UI knows: the description it loaded and what "Authorize" was given."""

    spec: dict[str, Any]
    http: httpx.Client

    def request(
        self,
        operation: tuple[str, str],
        authorized: dict[str, str],
        *,
        browser_cookies: dict[str, str] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        method, path = operation
        headers: dict[str, str] = {}
        cookies = dict(browser_cookies or {})
        schemes = self.spec["components"]["securitySchemes"]
        for requirement in self.spec["paths"][path][method.lower()]["security"]:
            for name in requirement:
                if name not in authorized:
                    continue
                scheme, value = schemes[name], authorized[name]
                if scheme["type"] == "http" and scheme["scheme"] == "bearer":
                    headers["Authorization"] = f"Bearer {value}"
                elif scheme["type"] == "apiKey" and scheme["in"] == "header":
                    headers[scheme["name"]] = value
                elif scheme["type"] == "apiKey" and scheme["in"] == "cookie":
                    cookies[scheme["name"]] = value  # in a browser: the cookie it holds
        cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if cookie_header:
            headers["Cookie"] = cookie_header
        self.http.cookies.clear()
        return self.http.request(method, path, headers=headers, json=json)

    def security_of(self, operation: tuple[str, str]) -> list[dict[str, list[str]]]:
        method, path = operation
        operation_object: dict[str, Any] = self.spec["paths"][path][method.lower()]
        return list(operation_object["security"])


@pytest.fixture
def signed_in(make_app_server: StartAppServer) -> Iterator[tuple[Swagger, Account, str]]:
    """Swagger UI on a fresh installation, with an admin's session and a read+write API key."""
    server = make_app_server()
    with server.client() as http:
        admin = bootstrap_admin(http)
        key = assert_ok(
            http.post(
                "/api/v1/auth/api-keys",
                json={"name": "swagger", "scopes": ["read", "write"]},
                headers=admin.bearer,
            ),
            status=201,
        )["key"]
        yield Swagger(spec=http.get("/openapi.json").json(), http=http), admin, key


def credentials(admin: Account, key: str) -> dict[str, str]:
    """What a user types into "Authorize", per scheme."""
    return {"bearerAuth": admin.token, "apiKeyAuth": key, "csrfToken": admin.csrf_token}


def browser_of(admin: Account) -> dict[str, str]:
    """The cookies a browser holds once `admin` signed in with it."""
    return {"medianest_access": admin.token, "medianest_csrf": admin.csrf_token}


@pytest.mark.parametrize("operation", [READ, WRITE], ids=["read", "write"])
def test_each_declared_requirement_alone_is_accepted(
    signed_in: tuple[Swagger, Account, str], operation: tuple[str, str]
) -> None:
    swagger, admin, key = signed_in
    every = credentials(admin, key)
    requirements = swagger.security_of(operation)
    assert {name for requirement in requirements for name in requirement} >= {
        "bearerAuth",
        "apiKeyAuth",
    }
    for requirement in requirements:
        authorized = {name: every[name] for name in requirement if name in every}
        cookies = browser_of(admin) if "cookieAuth" in requirement else None
        response = swagger.request(operation, authorized, browser_cookies=cookies)
        assert response.status_code == 200, (requirement, response.text)


def test_bearer_token_alone_signs_in_the_call(signed_in: tuple[Swagger, Account, str]) -> None:
    swagger, admin, _key = signed_in
    me = assert_ok(swagger.request(READ, {"bearerAuth": admin.token}))
    assert me["id"] == admin.id


def test_api_key_alone_signs_in_the_call(signed_in: tuple[Swagger, Account, str]) -> None:
    swagger, admin, key = signed_in
    me = assert_ok(swagger.request(READ, {"apiKeyAuth": key}))
    assert me["id"] == admin.id
    assert_ok(swagger.request(WRITE, {"apiKeyAuth": key}))


def test_cookie_change_needs_the_csrf_scheme_of_its_requirement(
    signed_in: tuple[Swagger, Account, str],
) -> None:
    swagger, admin, _key = signed_in
    assert {"cookieAuth": [], "csrfToken": []} in swagger.security_of(WRITE)
    browser = browser_of(admin)
    assert_ok(swagger.request(READ, {}, browser_cookies=browser))
    assert_error(
        swagger.request(WRITE, {}, browser_cookies=browser),
        status=403,
        code="CSRF_TOKEN_MISMATCH",
    )
    assert_ok(swagger.request(WRITE, {"csrfToken": admin.csrf_token}, browser_cookies=browser))


def test_a_key_is_not_sent_where_only_a_session_is_declared(
    signed_in: tuple[Swagger, Account, str],
) -> None:
    """Creating a key takes a session, never a key: Swagger UI sends the key nowhere there."""
    swagger, admin, key = signed_in
    body = {"name": "another", "scopes": ["read"]}
    assert_error(
        swagger.request(SESSION_ONLY, {"apiKeyAuth": key}, json=body),
        status=401,
        code="UNAUTHORIZED",
    )
    assert_ok(swagger.request(SESSION_ONLY, {"bearerAuth": admin.token}, json=body), status=201)
