"""Shared fixtures: backends, settings, in-process apps and live servers."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

# Helpers imported below assert too: have pytest rewrite them before they are imported.
pytest.register_assert_rewrite("tests.fakes", "tests.fixtures")
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from medianest.db.engine import create_engine, create_sessionmaker
from medianest.settings import GENERATED_VALUES, Environment, Settings
from tests.fakes.smtp import FakeSmtpServer, smtp_env
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.apps import InProcessServer, in_process, settings_fields
from tests.fixtures.backends import Backends, async_url, backends_for
from tests.fixtures.server import LiveServer, start_server

pytest_plugins = [
    "tests.fakes.smtp",
    "tests.fakes.plex",
    "tests.fakes.overseerr",
    "tests.fakes.videos",
]

TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-production-use-0123456789"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres` or `redis` run only on the leg that has that server."""
    for marker, variable in (("postgres", "TEST_DATABASE_URL"), ("redis", "TEST_REDIS_URL")):
        if item.get_closest_marker(marker) is not None and not os.environ.get(variable):
            pytest.skip(f"needs {variable}")


@pytest.fixture(scope="session")
def backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    yield from backends_for(tmp_path_factory.mktemp("backends"))


@pytest.fixture(scope="session")
def shared_database_url(backends: Backends) -> str:
    return backends.new_database()


@pytest.fixture
async def engine(backends: Backends) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh database built by the migrations, for in-process tests."""
    engine = create_engine(async_url(await asyncio.to_thread(backends.new_database)))
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


ServerEnv = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def server_env(
    backends: Backends,
    tmp_path_factory: pytest.TempPathFactory,
    smtp_server_session: FakeSmtpServer,
) -> ServerEnv:
    """Environment for a `medianest serve` process on this run's backends and mail server."""

    def build(*, database_url: str | None = None, **overrides: str) -> dict[str, str]:
        env = {
            "MEDIANEST_ENV": "test",
            "MEDIANEST_DATA_DIR": str(tmp_path_factory.mktemp("data")),
            "JWT_SECRET": TEST_JWT_SECRET,
            "LOG_LEVEL": "info",
            # Every test signs in from 127.0.0.1; the limit's own test sets it back.
            "RATE_LIMIT_LOGIN": "1000/minute",
            "DATABASE_URL": database_url or backends.new_database(),
        }
        env.update(smtp_env(smtp_server_session))
        if backends.redis_url:
            env["REDIS_URL"] = backends.redis_url
            # One installation per environment: servers sharing Redis but not a database
            # must not share a job queue (one would take the other's jobs).
            env["REDIS_KEY_PREFIX"] = f"{backends.redis_prefix}{uuid.uuid4().hex[:8]}:"
        env.update(overrides)
        return env

    return build


@pytest.fixture(scope="module")
def live_server(
    server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One real server per test module, on a fresh copy of the migrated template database."""
    server = start_server(server_env(), workdir=tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client() as client:
        yield client


@pytest.fixture(scope="module")
def admin(live_server: LiveServer) -> Iterator[Account]:
    """The module server's admin, bootstrapped through the API."""
    with live_server.client() as http:
        yield bootstrap_admin(http)


@pytest.fixture
def anonymous(live_server: LiveServer) -> Iterator[httpx.Client]:
    """A client without cookies from earlier tests."""
    with live_server.client() as http:
        yield http


StartServer = Callable[..., LiveServer]


@pytest.fixture
def make_server(server_env: ServerEnv, tmp_path: Path) -> Iterator[StartServer]:
    """Start a server with extra settings; stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(*, base_path: str = "", **env: str) -> LiveServer:
        server = start_server(server_env(**env), workdir=tmp_path, base_path=base_path)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(backends: Backends, shared_database_url: str, tmp_path: Path) -> SettingsFactory:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "env": Environment.TEST,
            "data_dir": tmp_path / "data",
            "jwt_secret": TEST_JWT_SECRET,
            "database_url": async_url(shared_database_url),
            "redis_url": backends.redis_url,
            "redis_key_prefix": backends.redis_prefix,
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
async def app_client(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process (lifespan run), for tests that need no separate process."""
    async with in_process(make_settings()) as client:
        yield client


AppClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def make_app_client(make_settings: SettingsFactory, backends: Backends) -> AppClient:
    """The app in-process with extra settings, as `make_server` starts a process with extra
    environment: `async with make_app_client(cors_origins="*") as http: ...`."""

    def start(
        *, base_path: str = "", **overrides: Any
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        # Its own Redis namespace, as each server has: limits and queues are not shared.
        prefix = f"{backends.redis_prefix}{uuid.uuid4().hex[:8]}:"
        if base_path:
            overrides["base_path"] = base_path
        settings = make_settings(redis_key_prefix=prefix, **overrides)
        return in_process(settings, base_path=base_path)

    return start


StartAppServer = Callable[..., InProcessServer]


@pytest.fixture
def make_app_server(
    make_settings: SettingsFactory, backends: Backends, tmp_path: Path
) -> Iterator[StartAppServer]:
    """`make_server` in process, for tests that need only HTTP semantics: the app with extra
    settings (the same environment variable names) on a fresh database, stopped at the end of
    the test; its `client()` is synchronous, as a `LiveServer`'s is."""
    started: list[InProcessServer] = []

    def start(*, base_path: str = "", **env: str) -> InProcessServer:
        values: dict[str, Any] = {
            "database_url": async_url(backends.new_database()),
            # Its own Redis namespace, as each server has: limits and queues are not shared.
            "redis_key_prefix": f"{backends.redis_prefix}{uuid.uuid4().hex[:8]}:",
            "rate_limit_login": "1000/minute",
            "data_dir": tmp_path / uuid.uuid4().hex[:8],
            # The secrets `medianest serve` generates into the data dir when they are not set.
            **settings_fields(
                {name: generate() for name, generate in GENERATED_VALUES.items()}
                | {"JWT_SECRET": TEST_JWT_SECRET}
                | env
            ),
        }
        server = InProcessServer(make_settings(**values), base_path=base_path)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()
