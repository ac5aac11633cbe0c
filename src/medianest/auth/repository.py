"""Queries over users and sessions."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth import principal_cache
from medianest.auth.models import ApiKey, PasswordResetToken, Session, User
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

    async def get_by_plex_id(self, plex_id: str) -> User | None:
        return await self._session.scalar(select(User).where(User.plex_id == plex_id))

    async def username_taken(self, username: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(User.username == username))))

    async def admin_exists(self) -> bool:
        return bool(await self._session.scalar(select(exists().where(User.role == Role.ADMIN))))

    async def count_admins(self) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN)
        )
        return count or 0

    async def count_users(self, *, active_since: datetime) -> tuple[int, int, int]:
        """All accounts; those seen since `active_since` (a sign-in, a session refreshed,
        an API key used); and admins."""
        seen = or_(
            User.last_login_at >= active_since,
            exists().where(Session.user_id == User.id, Session.last_used_at >= active_since),
            exists().where(ApiKey.user_id == User.id, ApiKey.last_used_at >= active_since),
        )
        row = (
            await self._session.execute(
                select(
                    func.count(),
                    func.count().filter(seen),
                    func.count().filter(User.role == Role.ADMIN),
                ).select_from(User)
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    async def add(self, user: User) -> User:
        self._session.add(user)
        await self._session.flush()
        return user

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()

    async def page(
        self,
        *,
        offset: int,
        limit: int,
        search: str | None,
        role: Role | None,
        order_by: ColumnElement[Any],
    ) -> tuple[Sequence[User], int]:
        query = select(User)
        if search:
            # autoescape: `%` and `_` in the search are the characters, not wildcards.
            needle = search.lower()
            query = query.where(
                or_(
                    func.lower(User.email).contains(needle, autoescape=True),
                    func.lower(User.username).contains(needle, autoescape=True),
                    func.lower(User.name).contains(needle, autoescape=True),
                )
            )
        if role is not None:
            query = query.where(User.role == role)
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(order_by, User.id).offset(offset).limit(limit)
        )
        return rows.all(), total or 0


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, session_id: uuid.UUID) -> Session | None:
        return await self._session.get(Session, session_id)

    async def get_with_user(self, session_id: uuid.UUID) -> tuple[Session, User] | None:
        """The session and its user; from the principal cache when the request uses one."""
        cache = principal_cache.cache_of(self._session)
        if cache is None:
            return await self._load_with_user(session_id)
        key = str(session_id)
        cached = cache.get(principal_cache.SESSION_ENTRY, key)
        if cached is not None:
            session, user = cached
            return principal_cache.attach(self._session, cast(Session, session), user)
        generation = cache.generation
        found = await self._load_with_user(session_id)
        if found is not None:
            cache.put(principal_cache.SESSION_ENTRY, key, *found, generation)
        return found

    async def _load_with_user(self, session_id: uuid.UUID) -> tuple[Session, User] | None:
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


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: ApiKey) -> ApiKey:
        self._session.add(key)
        await self._session.flush()
        return key

    async def get(self, key_id: uuid.UUID) -> ApiKey | None:
        return await self._session.get(ApiKey, key_id)

    async def mark_used(self, key_id: uuid.UUID, when: datetime) -> None:
        await self._session.execute(
            update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when)
        )

    async def get_with_user_by_hash(self, key_hash: str) -> tuple[ApiKey, User] | None:
        """The key and its user; from the principal cache when the request uses one."""
        cache = principal_cache.cache_of(self._session)
        if cache is None:
            return await self._load_with_user_by_hash(key_hash)
        cached = cache.get(principal_cache.KEY_ENTRY, key_hash)
        if cached is not None:
            key, user = cached
            return principal_cache.attach(self._session, cast(ApiKey, key), user)
        generation = cache.generation
        found = await self._load_with_user_by_hash(key_hash)
        if found is not None:
            cache.put(principal_cache.KEY_ENTRY, key_hash, *found, generation)
        return found

    async def _load_with_user_by_hash(self, key_hash: str) -> tuple[ApiKey, User] | None:
        row = (
            await self._session.execute(
                select(ApiKey, User)
                .join(User, User.id == ApiKey.user_id)
                .where(ApiKey.key_hash == key_hash)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def revoke_all_for_user(self, user_id: uuid.UUID, *, now: datetime) -> int:
        result = await self._session.execute(
            update(ApiKey)
            .where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def list_for_user(self, user_id: uuid.UUID) -> Sequence[ApiKey]:
        rows = await self._session.scalars(
            select(ApiKey)
            .where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
            .order_by(ApiKey.created_at.desc())
        )
        return rows.all()


class PasswordResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: PasswordResetToken) -> PasswordResetToken:
        self._session.add(token)
        await self._session.flush()
        return token

    async def get_by_hash(self, token_hash: str) -> PasswordResetToken | None:
        return await self._session.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash)
        )

    async def consume(self, token_id: uuid.UUID, *, now: datetime) -> bool:
        """Mark the token used; False when another request used it first (compare-and-set)."""
        result = await self._session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.id == token_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete_unused_for_user(self, user_id: uuid.UUID) -> None:
        await self._session.execute(
            delete(PasswordResetToken).where(
                PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None)
            )
        )
