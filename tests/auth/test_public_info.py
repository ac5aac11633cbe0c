"""`GET /api/v1/public/info`: what a signed-out browser learns of the installation."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest import __version__
from medianest.app import create_app
from tests.conftest import SettingsFactory
from tests.fixtures.accounts import ADMIN_PASSWORD
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_ok

PLEX_URL = "http://plex.internal.example:32400"
PLEX_TOKEN = "plex-token-that-must-stay-secret"
OVERSEERR_URL = "http://overseerr.internal.example:5055"
OVERSEERR_KEY = "overseerr-key-that-must-stay-secret"
SMTP_HOST = "mail.internal.example"

AppFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def fresh_database(backends: Backends) -> str:
    """An empty, migrated database: no admin yet."""
    return async_url(backends.new_database())


@pytest.fixture
def app_for(make_settings: SettingsFactory, fresh_database: str) -> AppFactory:
    @asynccontextmanager
    async def start(**overrides: object) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(make_settings(database_url=fresh_database, **overrides))
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
            ) as client,
        ):
            yield client

    return start


class TestPublicInfo:
    async def test_fresh_install_offers_setup_until_the_admin_exists(
        self, app_for: AppFactory
    ) -> None:
        async with app_for() as client:
            before = assert_ok(await client.get("/api/v1/public/info"))
            created = await client.post(
                "/api/v1/auth/admin",
                json={"email": "owner@example.com", "password": ADMIN_PASSWORD, "name": "O"},
            )
            assert_ok(created, status=201)
            after = assert_ok(await client.get("/api/v1/public/info"))
        assert before["setupDone"] is False
        assert after["setupDone"] is True
        assert before["title"] == "MediaNest"
        assert before["version"] == __version__

    async def test_nothing_configured_offers_password_sign_in_only(
        self, app_for: AppFactory
    ) -> None:
        async with app_for(app_title="Family Cinema") as client:
            info = assert_ok(await client.get("/api/v1/public/info"))
        assert info["title"] == "Family Cinema"
        assert info["signInMethods"] == {"password": True, "plex": False}
        assert info["services"] == {
            "plex": False,
            "overseerr": False,
            "youtube": True,
            "mail": False,
        }

    async def test_configured_services_are_named_without_addresses_or_secrets(
        self, app_for: AppFactory
    ) -> None:
        async with app_for(
            plex_url=PLEX_URL,
            plex_token=PLEX_TOKEN,
            overseerr_url=OVERSEERR_URL,
            overseerr_api_key=OVERSEERR_KEY,
            smtp_host=SMTP_HOST,
            plex_client_id="d5f7c3c2-4f7e-4c55-9a53-3f1f0b1f5e21",
            encryption_key="an-encryption-key-for-tests-only-0123456789",
        ) as client:
            response = await client.get("/api/v1/public/info")
        info = assert_ok(response)
        assert info["signInMethods"] == {"password": True, "plex": True}
        assert info["services"] == {
            "plex": True,
            "overseerr": True,
            "youtube": True,
            "mail": True,
        }
        for secret in (PLEX_URL, PLEX_TOKEN, OVERSEERR_URL, OVERSEERR_KEY, SMTP_HOST, "internal"):
            assert secret not in response.text

    async def test_answers_without_credentials_under_the_api_rate_limit(
        self, app_for: AppFactory
    ) -> None:
        async with app_for(rate_limit_api_per_ip="2/minute") as client:
            first = await client.get("/api/v1/public/info")
            await client.get("/api/v1/public/info")
            third = await client.get("/api/v1/public/info")
        assert first.status_code == 200
        assert first.headers["X-RateLimit-Limit"] == "2"
        assert third.status_code == 429
