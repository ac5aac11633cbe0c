"""Shared fixtures: backends, settings, in-process apps and live servers."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

# Helpers imported below assert too: have pytest rewrite them before they are imported.
pytest.register_assert_rewrite("tests.fakes", "tests.fixtures")
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from medianest.db.engine import create_engine, create_sessionmaker
from medianest.settings import Settings
from tests.fakes.smtp import FakeSmtpServer
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.apps import InProcessServer, in_process
from tests.fixtures.backends import Backends, async_url, backends_for
from tests.fixtures.environments import (
    TEST_JWT_SECRET,
    AppClient,
    ServerEnv,
    SettingsFactory,
    StartAppServer,
    StartServer,
    app_server_settings,
    in_process_settings,
    installation_prefix,
    server_environment,
)
from tests.fixtures.server import LiveServer, start_server

# The helpers' names stay importable from here, where tests found them first.
__all__ = [
    "TEST_JWT_SECRET",
    "AppClient",
    "ServerEnv",
    "SettingsFactory",
    "StartAppServer",
    "StartServer",
]

pytest_plugins = [
    "tests.fakes.smtp",
    "tests.fakes.plex",
    "tests.fakes.overseerr",
    "tests.fakes.tmdb",
    "tests.fakes.videos",
]


LONGEST_FIRST = (
    "tests/contracts/test_schemathesis_admin.py",
    "tests/contracts/test_schemathesis_user.py",
    "tests/operations/test_maintenance.py",
    "tests/cli/test_cli.py",
    "tests/docs/test_examples.py",
    "tests/downloads/test_downloads.py",
    "tests/operations/test_backup_restore.py",
    "tests/operations/test_shared_secrets.py",
    "tests/browser/test_admin_system.py",
    "tests/browser/test_admin_people.py",
    "tests/system_config/test_settings.py",
    "tests/auth/test_attacks.py",
)
"""The files that take longest (CPU and waiting, measured in bench/README.md's "Test suite"),
longest first. `--dist loadfile --no-loadscope-reorder` hands files to the xdist workers in
collection order: these go first, so that none of them starts last and runs alone."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


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


@pytest.fixture(scope="session")
def server_env(
    backends: Backends,
    tmp_path_factory: pytest.TempPathFactory,
    smtp_server_session: FakeSmtpServer,
) -> ServerEnv:
    """Environment for a `medianest serve` process on this run's backends and mail server."""

    def build(*, database_url: str | None = None, **overrides: str) -> dict[str, str]:
        data_dir = tmp_path_factory.mktemp("data")
        return server_environment(
            backends, smtp_server_session, data_dir, database_url=database_url, **overrides
        )

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


@pytest.fixture
def make_settings(backends: Backends, shared_database_url: str, tmp_path: Path) -> SettingsFactory:
    def build(**overrides: Any) -> Settings:
        return in_process_settings(backends, shared_database_url, tmp_path / "data", **overrides)

    return build


@pytest.fixture
async def app_client(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process (lifespan run), for tests that need no separate process."""
    async with in_process(make_settings()) as client:
        yield client


@pytest.fixture
def make_app_client(make_settings: SettingsFactory, backends: Backends) -> AppClient:
    """The app in-process with extra settings, as `make_server` starts a process with extra
    environment: `async with make_app_client(cors_origins="*") as http: ...`."""

    def start(
        *, base_path: str = "", **overrides: Any
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        if base_path:
            overrides["base_path"] = base_path
        # Its own Redis namespace, as each server has: limits and queues are not shared.
        settings = make_settings(redis_key_prefix=installation_prefix(backends), **overrides)
        return in_process(settings, base_path=base_path)

    return start


@pytest.fixture
def make_app_server(
    make_settings: SettingsFactory, backends: Backends, tmp_path: Path
) -> Iterator[StartAppServer]:
    """`make_server` in process, for tests that need only HTTP semantics: the app with extra
    settings (the same environment variable names) on a fresh database, stopped at the end of
    the test; its `client()` is synchronous, as a `LiveServer`'s is."""
    started: list[InProcessServer] = []

    def start(*, base_path: str = "", **env: str) -> InProcessServer:
        data_dir = tmp_path / uuid.uuid4().hex[:8]
        settings = app_server_settings(make_settings, backends, data_dir, env)
        server = InProcessServer(settings, base_path=base_path)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()
