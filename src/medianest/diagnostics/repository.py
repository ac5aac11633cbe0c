"""Queries of error reports, and the wholesale reset of the development endpoints."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.db.base import Base
from medianest.diagnostics.models import ErrorReport
from medianest.diagnostics.schemas import ErrorSource


class ErrorReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_all(self, reports: Sequence[ErrorReport]) -> None:
        self._session.add_all(reports)
        await self._session.flush()

    async def page(
        self, *, source: ErrorSource | None, offset: int, limit: int
    ) -> tuple[Sequence[ErrorReport], int]:
        """Newest first."""
        query = select(ErrorReport)
        if source is not None:
            query = query.where(ErrorReport.source == source)
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(ErrorReport.created_at.desc(), ErrorReport.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return rows.all(), total or 0

    async def count_since(self, since: datetime, *, source: ErrorSource | None = None) -> int:
        query = select(func.count()).select_from(ErrorReport).where(ErrorReport.created_at >= since)
        if source is not None:
            query = query.where(ErrorReport.source == source)
        return await self._session.scalar(query) or 0

    async def count_identical_since(
        self, since: datetime, *, source: ErrorSource, message: str
    ) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(ErrorReport)
                .where(
                    ErrorReport.created_at >= since,
                    ErrorReport.source == source,
                    ErrorReport.message == message,
                )
            )
            or 0
        )

    async def delete_older_than(self, cutoff: datetime) -> int:
        result = await self._session.execute(
            delete(ErrorReport)
            .where(ErrorReport.created_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class DataRepository:
    """Every table of the schema at once (the development reset)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def empty_all_tables(self) -> dict[str, int]:
        """Delete every row of every mapped table, children before parents; the rows
        deleted per table. `alembic_version` is not mapped, so the schema stays migrated."""
        deleted: dict[str, int] = {}
        for table in reversed(Base.metadata.sorted_tables):
            result = await self._session.execute(delete(table))
            deleted[table.name] = int(getattr(result, "rowcount", 0) or 0)
        return deleted
