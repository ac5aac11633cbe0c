"""Recording and reading the audit log."""

import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.models import AuditLog
from medianest.audit.repository import AuditRepository
from medianest.audit.schemas import AuditLogFilter, ClientInfo
from medianest.db.paging import Total
from medianest.kit.clock import utc_now


class AuditAction(StrEnum):
    SIGN_IN = "auth.sign_in"
    SIGN_IN_FAILED = "auth.sign_in_failed"
    SIGN_OUT = "auth.sign_out"
    ADMIN_BOOTSTRAPPED = "auth.admin_bootstrapped"
    PLEX_USER_CREATED = "auth.plex_user_created"
    PASSWORD_CHANGED = "auth.password_changed"
    PROFILE_UPDATED = "auth.profile_updated"
    SESSION_REVOKED = "auth.session_revoked"
    API_KEY_CREATED = "auth.api_key_created"
    API_KEY_REVOKED = "auth.api_key_revoked"
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"
    PASSWORD_RESET = "auth.password_reset"
    USER_CREATED = "admin.user_created"
    USER_INVITED = "admin.user_invited"
    USER_DELETED = "admin.user_deleted"
    USER_SESSIONS_REVOKED = "admin.user_sessions_revoked"
    ROLE_CHANGED = "admin.role_changed"
    REFRESH_TOKEN_REUSED = "auth.refresh_token_reused"
    REQUEST_APPROVED = "requests.approved"
    REQUEST_DECLINED = "requests.declined"
    REQUEST_DELETED = "requests.deleted"
    SETTINGS_UPDATED = "settings.updated"
    NOTIFICATIONS_BROADCAST = "notifications.broadcast"


class AuditService:
    """Entries join the caller's unit of work: they are kept exactly when the change is."""

    def __init__(self, session: AsyncSession) -> None:
        self._repository = AuditRepository(session)

    def record(
        self,
        action: AuditAction,
        *,
        client: ClientInfo,
        actor_id: uuid.UUID | None = None,
        target: tuple[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._repository.add(_entry(action, client, actor_id, target, details))

    async def page(
        self, filters: AuditLogFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[AuditLog], Total]:
        return await self._repository.page(filters, offset=offset, limit=limit)


def _entry(
    action: AuditAction,
    client: ClientInfo,
    actor_id: uuid.UUID | None,
    target: tuple[str, str] | None,
    details: dict[str, Any] | None,
) -> AuditLog:
    return AuditLog(
        action=action.value,
        actor_id=actor_id,
        target_type=target[0] if target else None,
        target_id=target[1] if target else None,
        details=details or {},
        ip_address=client.ip_address,
        user_agent=(client.user_agent or "")[:500] or None,
        correlation_id=client.correlation_id,
        created_at=utc_now(),
    )
