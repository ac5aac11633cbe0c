"""Queries over users and sessions."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth.models import Session, User
from medianest.auth.schemas import Role


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self._session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self._session.scalar(
            select(User).where(func.lower(User.email) == email.lower())
        )

    async def username_taken(self, username: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(User.username == username))))

    async def admin_exists(self) -> bool:
        return bool(await self._session.scalar(select(exists().where(User.role == Role.ADMIN))))

    async def count_admins(self) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN)
        )
        return count or 0

    async def add(self, user: User) -> User:
        self._session.add(user)
        await self._session.flush()
        return user


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, session_id: uuid.UUID) -> Session | None:
        return await self._session.get(Session, session_id)

    async def get_with_user(self, session_id: uuid.UUID) -> tuple[Session, User] | None:
        row = (
            await self._session.execute(
                select(Session, User)
                .join(User, User.id == Session.user_id)
                .where(Session.id == session_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def add(self, session: Session) -> Session:
        self._session.add(session)
        await self._session.flush()
        return session

    async def list_active_for_user(self, user_id: uuid.UUID, *, now: datetime) -> Sequence[Session]:
        rows = await self._session.scalars(
            select(Session)
            .where(
                Session.user_id == user_id, Session.revoked_at.is_(None), Session.expires_at > now
            )
            .order_by(Session.last_used_at.desc())
        )
        return rows.all()

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, now: datetime, keep: uuid.UUID | None = None
    ) -> int:
        statement = (
            update(Session)
            .where(Session.user_id == user_id, Session.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        if keep is not None:
            statement = statement.where(Session.id != keep)
        result = await self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]
