"""API keys: created by a signed-in session, scoped, revocable, and checked on every call."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth import tokens
from medianest.auth.errors import ApiKeyInvalidError
from medianest.auth.models import ApiKey
from medianest.auth.repository import ApiKeyRepository
from medianest.auth.schemas import ApiKeyCreate, ApiKeyScope
from medianest.auth.service.principal import CredentialSource, Principal, ensure_owned
from medianest.db.engine import after_commit, unit_of_work
from medianest.kit.clock import utc_now
from medianest.kit.errors import ForbiddenError, NotFoundError, ValidationError

KEY_USE_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` of an API key is written at most this often (no write per request)."""


class ApiKeyService:
    def __init__(
        self,
        db: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`sessionmaker` serves the write of a key's last use, after the request."""
        self._db = db
        self._sessionmaker = sessionmaker
        self._api_keys = ApiKeyRepository(db)
        self._audit = AuditService(db)
        self._now = clock

    async def authenticate_api_key(self, key: str) -> Principal:
        found = await self._api_keys.get_with_user_by_hash(tokens.digest(key))
        now = self._now()
        if found is None:
            raise ApiKeyInvalidError(
                "The API key in the X-Api-Key header is not one of this server's: check that "
                "it was copied whole, or create a new one."
            )
        api_key, user = found
        expired = api_key.expires_at is not None and api_key.expires_at <= now
        if api_key.revoked_at is not None or expired or not user.is_active:
            raise ApiKeyInvalidError(
                "The API key in the X-Api-Key header has been revoked or has expired: create a "
                "new one."
            )
        if api_key.last_used_at is None or now - api_key.last_used_at > KEY_USE_RESOLUTION:
            self._stamp_key_use(api_key.id, now)
        return Principal(user=user, source=CredentialSource.API_KEY, api_key=api_key)

    def _stamp_key_use(self, key_id: uuid.UUID, now: datetime) -> None:
        """Record the key's use after the request, in a write of its own: the request itself
        may be a read that must not take the write lock."""
        sessionmaker = self._sessionmaker

        async def stamp() -> None:
            async with unit_of_work(sessionmaker) as db:
                await ApiKeyRepository(db).mark_used(key_id, now)

        after_commit(self._db, stamp)

    async def create_api_key(
        self, principal: Principal, data: ApiKeyCreate, *, client: ClientInfo
    ) -> tuple[ApiKey, str]:
        """A new key for the caller; returned in full this once, stored as a hash."""
        principal.require_session()
        if ApiKeyScope.ADMIN in data.scopes and not principal.is_admin:
            raise ForbiddenError("Only admins can create keys with the admin scope.")
        if data.expires_at is not None and (
            data.expires_at.tzinfo is None or data.expires_at <= self._now()
        ):
            raise ValidationError(
                "expiresAt must be a future, timezone-aware time.",
                details=[
                    {
                        "field": "expiresAt",
                        "message": "must be in the future",
                        "type": "value_error",
                    }
                ],
            )
        key, prefix = tokens.new_api_key()
        api_key = await self._api_keys.add(
            ApiKey(
                user_id=principal.user.id,
                name=data.name,
                prefix=prefix,
                key_hash=tokens.digest(key),
                scopes=sorted({scope.value for scope in data.scopes}),
                created_at=self._now(),
                expires_at=data.expires_at,
            )
        )
        self._audit.record(
            AuditAction.API_KEY_CREATED,
            client=client,
            actor_id=principal.user.id,
            target=("api_key", str(api_key.id)),
            details={"name": data.name, "scopes": api_key.scopes},
        )
        return api_key, key

    async def list_api_keys(self, principal: Principal) -> Sequence[ApiKey]:
        return await self._api_keys.list_for_user(principal.user.id)

    async def revoke_api_key(
        self, principal: Principal, key_id: uuid.UUID, *, client: ClientInfo
    ) -> None:
        """Revoke one of the caller's own keys; anyone else's is reported as not found, to
        admins too (as with sessions: they act on other accounts through the admin routes)."""
        api_key = await self._api_keys.get(key_id)
        if api_key is None or api_key.revoked_at is not None:
            raise NotFoundError("No such API key.")
        ensure_owned(principal, api_key.user_id, admin_sees_all=False)
        api_key.revoked_at = self._now()
        self._audit.record(
            AuditAction.API_KEY_REVOKED,
            client=client,
            actor_id=principal.user.id,
            target=("api_key", str(key_id)),
        )
        await self._db.flush()
