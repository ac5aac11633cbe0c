"""Units of work and column types on the test backend (SQLite or PostgreSQL)."""

import socket
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from medianest.db.engine import (
    create_engine,
    create_sessionmaker,
    record_even_on_failure,
    unit_of_work,
)
from medianest.kit.errors import DatabaseUnavailableError
from medianest.system_config.models import SystemConfig


class RefusedError(Exception):
    """A failure of the caller's own, not of the database."""


async def select_one(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sessions) as session:
        await session.execute(text("SELECT 1"))


class TestUnitOfWork:
    async def test_commits_when_the_block_succeeds(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async with unit_of_work(sessions) as session:
            session.add(SystemConfig(key="site.name", value={"text": "Nest"}))
        async with sessions() as session:
            row = await session.get(SystemConfig, "site.name")
        assert row is not None
        assert row.value == {"text": "Nest"}

    async def test_rolls_back_when_the_block_raises(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async def add_then_fail() -> None:
            async with unit_of_work(sessions) as session:
                session.add(SystemConfig(key="half.done", value=1))
                await session.flush()
                raise RuntimeError

        with pytest.raises(RuntimeError):
            await add_then_fail()
        async with sessions() as session:
            assert await session.get(SystemConfig, "half.done") is None

    async def test_savepoints_work(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        async with unit_of_work(sessions) as session:
            session.add(SystemConfig(key="kept", value=1))
            nested = await session.begin_nested()
            session.add(SystemConfig(key="undone", value=2))
            await nested.rollback()
        async with sessions() as session:
            keys = set((await session.scalars(select(SystemConfig.key))).all())
        assert keys == {"kept"}

    async def test_a_record_outlives_the_rollback_of_its_unit_of_work(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async def record(session: AsyncSession) -> None:
            session.add(SystemConfig(key="refusal.recorded", value=1))

        async def write_then_refuse() -> None:
            async with unit_of_work(sessions) as session:
                session.add(SystemConfig(key="half.done", value=1))
                await session.flush()
                record_even_on_failure(session, record)
                raise RefusedError

        with pytest.raises(RefusedError):
            await write_then_refuse()
        async with sessions() as session:
            keys = set((await session.scalars(select(SystemConfig.key))).all())
        assert keys == {"refusal.recorded"}

    async def test_a_record_is_written_once_when_the_unit_of_work_commits(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async def record(session: AsyncSession) -> None:
            session.add(SystemConfig(key="recorded", value=1))

        async with unit_of_work(sessions) as session:
            session.add(SystemConfig(key="done", value=1))
            record_even_on_failure(session, record)
        async with sessions() as session:
            keys = set((await session.scalars(select(SystemConfig.key))).all())
        assert keys == {"done", "recorded"}

    async def test_a_record_needs_a_unit_of_work(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        async def record(session: AsyncSession) -> None:
            raise AssertionError("never called")

        async with sessions() as session:
            with pytest.raises(RuntimeError, match="unit_of_work"):
                record_even_on_failure(session, record)

    async def test_unreachable_database_becomes_database_error(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        engine = create_engine(f"postgresql+asyncpg://x@127.0.0.1:{port}/x", timeout_seconds=2)
        try:
            with pytest.raises(DatabaseUnavailableError):
                await select_one(create_sessionmaker(engine))
        finally:
            await engine.dispose()


class TestUTCDateTime:
    async def test_round_trips_as_aware_utc(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        paris = datetime(2026, 6, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
        async with unit_of_work(sessions) as session:
            session.add(SystemConfig(key="when", value=None, updated_at=paris))
        async with sessions() as session:
            row = await session.get(SystemConfig, "when")
        assert row is not None
        assert row.updated_at == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
        assert row.updated_at.tzinfo is not None

    async def test_naive_datetimes_are_refused(
        self, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test

        async def store_naive() -> None:
            async with unit_of_work(sessions) as session:
                session.add(SystemConfig(key="naive", value=None, updated_at=naive))

        with pytest.raises(Exception, match="naive datetimes"):
            await store_naive()


class TestSqlitePragmas:
    async def test_foreign_keys_and_wal_are_on(self, engine: AsyncEngine) -> None:
        if engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
