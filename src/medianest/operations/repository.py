"""Queries of the maintenance commands: what cleanup deletes, what doctor reads, the
checks a restored database goes through, and the installation's recorded secrets."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, inspect, or_, select, table, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from medianest.auth.models import PasswordResetToken, Session, User
from medianest.db.revision import stored_revision
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.schemas import ACTIVE_STATUSES
from medianest.kit.clock import utc_now
from medianest.system_config.models import SystemConfig


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class MaintenanceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delete_finished_sessions(self, now: datetime) -> int:
        """Sessions that expired or were signed out can never be used again."""
        result = await self._session.execute(
            delete(Session)
            .where(or_(Session.expires_at < now, Session.revoked_at.is_not(None)))
            .execution_options(synchronize_session=False)
        )
        return _count(result)

    async def delete_finished_reset_tokens(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(PasswordResetToken)
            .where(
                or_(PasswordResetToken.expires_at < now, PasswordResetToken.used_at.is_not(None))
            )
            .execution_options(synchronize_session=False)
        )
        return _count(result)

    async def first_account_created_at(self) -> datetime | None:
        """When the installation got its first account (its first data worth a backup)."""
        first: datetime | None = await self._session.scalar(select(func.min(User.created_at)))
        return first

    async def active_download_ids(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Of these downloads, the ones queued or running (their work folders are in use)."""
        wanted = list(ids)
        if not wanted:
            return set()
        rows = await self._session.scalars(
            select(YoutubeDownload.id).where(
                YoutubeDownload.id.in_(wanted), YoutubeDownload.status.in_(ACTIVE_STATUSES)
            )
        )
        return set(rows.all())


class DatabaseInspector:
    """Read-only checks of a whole database (a restored copy, or the restore target)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def table_names(self) -> list[str]:
        return await self._connection.run_sync(lambda sync: inspect(sync).get_table_names())

    async def integrity(self) -> str:
        """SQLite's own page-level check; PostgreSQL has none built in, so there a database
        that loaded without error and answers queries counts as sound."""
        if self._connection.dialect.name != "sqlite":
            await self._connection.execute(text("SELECT 1"))
            return "ok"
        rows = (await self._connection.execute(text("PRAGMA integrity_check"))).scalars().all()
        return "ok" if list(rows) == ["ok"] else "; ".join(str(row) for row in rows[:3])

    async def revision(self) -> str | None:
        return await self._connection.run_sync(stored_revision)

    async def row_counts(self, tables: Iterable[str]) -> dict[str, int]:
        present = set(await self.table_names())
        counts = {}
        for name in tables:
            if name in present:
                count = await self._connection.scalar(select(func.count()).select_from(table(name)))
                counts[name] = int(count or 0)
        return counts


class DatabaseAdmin:
    """Creates and drops the scratch PostgreSQL databases verification restores into."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create_database(self, name: str) -> None:
        await self._autocommit(f'CREATE DATABASE "{name}"')

    async def drop_database(self, name: str) -> None:
        await self._autocommit(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _autocommit(self, statement: str) -> None:
        async with self._engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text(statement))


class InstallationRepository:
    """Facts about the installation kept in its own database: the fingerprints of the secrets
    its processes share (a `system_config` row that no admin setting uses) and whether anyone
    has an account yet. Each method reads a database that may not be migrated yet."""

    FINGERPRINTS_KEY = "installation.secret_fingerprints"

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def fingerprints(self) -> dict[str, str] | None:
        if not await self._has_table(SystemConfig.__tablename__):
            return None
        value = await self._connection.scalar(
            select(SystemConfig.value).where(SystemConfig.key == self.FINGERPRINTS_KEY)
        )
        return {str(name): str(print_) for name, print_ in value.items()} if value else None

    async def add_fingerprints(self, fingerprints: dict[str, str]) -> None:
        """Record them; IntegrityError when another process recorded its own first."""
        await self._connection.execute(
            insert(SystemConfig).values(
                key=self.FINGERPRINTS_KEY, value=fingerprints, is_secret=False, updated_at=utc_now()
            )
        )

    async def replace_fingerprints(self, fingerprints: dict[str, str]) -> None:
        result = await self._connection.execute(
            update(SystemConfig)
            .where(SystemConfig.key == self.FINGERPRINTS_KEY)
            .values(value=fingerprints, updated_at=utc_now())
        )
        if not _count(result):
            await self.add_fingerprints(fingerprints)

    async def has_users(self) -> bool:
        if not await self._has_table(User.__tablename__):
            return False
        return await self._connection.scalar(select(func.count()).select_from(User)) != 0

    async def _has_table(self, name: str) -> bool:
        return await self._connection.run_sync(lambda sync: inspect(sync).has_table(name))
