"""Queries of the service check history, and of the download queue's backlog."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.downloads.models import YoutubeDownload
from medianest.downloads.schemas import DownloadStatus
from medianest.monitoring.models import ServiceCheck

HISTORY_LOCK = 0x6D6F6E69746F72
"""PostgreSQL advisory lock that queues writers of the history one behind the other."""


class ServiceCheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_history(self) -> None:
        """Hold the history until this transaction ends, so that every process adds its
        rows (and compares them with the row before) in turn. On SQLite, beginning the
        transaction takes the write lock that does the same."""
        connection = await self._session.connection()
        if connection.dialect.name == "postgresql":
            await connection.execute(select(func.pg_advisory_xact_lock(HISTORY_LOCK)))

    async def add(self, check: ServiceCheck) -> ServiceCheck:
        self._session.add(check)
        await self._session.flush()
        return check

    async def status_before(self, check: ServiceCheck) -> str | None:
        """The state of the service at the check stored just before this one (by any
        process); None when this is its first."""
        previous: str | None = await self._session.scalar(
            select(ServiceCheck.status)
            .where(
                ServiceCheck.service == check.service,
                ServiceCheck.checked_at < check.checked_at,
            )
            .order_by(ServiceCheck.checked_at.desc())
            .limit(1)
        )
        return previous

    async def latest_per_service(self, services: Iterable[str]) -> dict[str, ServiceCheck]:
        """Each service's newest check: one index lookup per service (a GROUP BY would read
        the whole history)."""
        newest = [
            select(ServiceCheck.id)
            .where(ServiceCheck.service == service)
            .order_by(ServiceCheck.checked_at.desc())
            .limit(1)
            .subquery()
            for service in services
        ]
        if not newest:
            return {}
        ids = union_all(*(select(subquery.c.id) for subquery in newest))
        rows = await self._session.scalars(select(ServiceCheck).where(ServiceCheck.id.in_(ids)))
        return {row.service: row for row in rows}

    async def status_counts(
        self, *, since: datetime, recent_since: datetime
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """How many checks found each service in each state since `since`, and how many of
        those since `recent_since` (later than `since`), in one pass over the index."""
        rows = await self._session.execute(
            select(
                ServiceCheck.service,
                ServiceCheck.status,
                func.count(),
                func.count().filter(ServiceCheck.checked_at >= recent_since),
            )
            .where(ServiceCheck.checked_at >= since)
            .group_by(ServiceCheck.service, ServiceCheck.status)
        )
        return {(service, status): (total, recent) for service, status, total, recent in rows}

    async def recent(self, service: str, *, limit: int) -> Sequence[ServiceCheck]:
        rows = await self._session.scalars(
            select(ServiceCheck)
            .where(ServiceCheck.service == service)
            .order_by(ServiceCheck.checked_at.desc())
            .limit(limit)
        )
        return rows.all()

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Forget checks made before `cutoff`; how many were deleted."""
        result = await self._session.execute(
            delete(ServiceCheck)
            .where(ServiceCheck.checked_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class QueueBacklogRepository:
    """Downloads waiting for a worker, read from their rows (the truth the queue serves)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def waiting(self) -> tuple[int, datetime | None]:
        """How many downloads are queued, and when the oldest of them was queued."""
        row = (
            await self._session.execute(
                select(func.count(), func.min(YoutubeDownload.created_at)).where(
                    YoutubeDownload.status == DownloadStatus.QUEUED
                )
            )
        ).one()
        count, oldest = row
        return int(count), oldest
