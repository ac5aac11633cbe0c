"""Queries over audit_logs."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.models import AuditLog
from medianest.audit.schemas import AuditLogFilter


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, entry: AuditLog) -> None:
        self._session.add(entry)

    async def page(
        self, filters: AuditLogFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[AuditLog], int]:
        query = select(AuditLog)
        if filters.actor_id is not None:
            query = query.where(AuditLog.actor_id == filters.actor_id)
        if filters.action is not None:
            query = query.where(AuditLog.action == filters.action)
        if filters.since is not None:
            query = query.where(AuditLog.created_at >= filters.since)
        if filters.until is not None:
            query = query.where(AuditLog.created_at < filters.until)
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(AuditLog.created_at.desc(), AuditLog.id).offset(offset).limit(limit)
        )
        return rows.all(), total or 0
