"""Queries over audit_logs."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.models import AuditLog
from medianest.audit.schemas import AuditLogFilter
from medianest.db.paging import Total, matching_rows


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, entry: AuditLog) -> None:
        self._session.add(entry)

    async def page(
        self, filters: AuditLogFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[AuditLog], Total]:
        """Newest first, `id` (in the same direction) breaking ties: an index read backwards."""
        conditions: list[ColumnElement[bool]] = []
        if filters.actor_id is not None:
            conditions.append(AuditLog.actor_id == filters.actor_id)
        if filters.action is not None:
            conditions.append(AuditLog.action == filters.action)
        if filters.since is not None:
            conditions.append(AuditLog.created_at >= filters.since)
        if filters.until is not None:
            conditions.append(AuditLog.created_at < filters.until)
        rows = await self._session.scalars(
            select(AuditLog)
            .where(*conditions)
            .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
            .offset(offset)
            .limit(limit)
        )
        page = rows.all()
        total = await matching_rows(
            self._session, AuditLog, conditions, offset=offset, limit=limit, shown=len(page)
        )
        return page, total
