"""Queries of stored notifications, and of who receives the ones sent to many."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth.models import User
from medianest.auth.schemas import Role
from medianest.db.paging import Total, matching_rows
from medianest.notifications.models import Notification


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add_all(self, notifications: Sequence[Notification]) -> None:
        self._session.add_all(notifications)

    async def flush(self) -> None:
        await self._session.flush()

    async def page(
        self, user_id: uuid.UUID, *, unread_only: bool, offset: int, limit: int
    ) -> tuple[Sequence[Notification], Total]:
        """Newest first, `id` breaking ties: the user's part of an index read backwards."""
        conditions = [Notification.user_id == user_id]
        if unread_only:
            conditions.append(Notification.read_at.is_(None))
        rows = await self._session.scalars(
            select(Notification)
            .where(*conditions)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(offset)
            .limit(limit)
        )
        page = rows.all()
        total = await matching_rows(
            self._session, Notification, conditions, offset=offset, limit=limit, shown=len(page)
        )
        return page, total

    async def unread_count(self, user_id: uuid.UUID) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        return count or 0

    async def get_owned(
        self, user_id: uuid.UUID, notification_id: uuid.UUID
    ) -> Notification | None:
        return await self._session.scalar(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == user_id
            )
        )

    async def mark_all_read(self, user_id: uuid.UUID, now: datetime) -> int:
        result = await self._session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def delete(self, notification: Notification) -> None:
        await self._session.execute(delete(Notification).where(Notification.id == notification.id))

    async def active_user_ids(self, *, admins_only: bool = False) -> list[uuid.UUID]:
        query = select(User.id).where(User.is_active.is_(True))
        if admins_only:
            query = query.where(User.role == Role.ADMIN)
        return list((await self._session.scalars(query.order_by(User.id))).all())

    async def existing_user_ids(self, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        rows = await self._session.scalars(select(User.id).where(User.id.in_(user_ids)))
        return set(rows.all())
