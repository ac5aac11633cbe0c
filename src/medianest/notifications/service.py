"""Storing notifications for users and announcing them on socket.io once stored.

Rows join the caller's unit of work, so a notification exists exactly when the change it
tells of does; the `system:notification` event goes out only after that unit commits.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.db.engine import after_commit
from medianest.db.paging import Total
from medianest.kit.clock import utc_now
from medianest.kit.errors import NotFoundError, ValidationError
from medianest.notifications.events import NotificationPublisher, SystemNotificationEvent
from medianest.notifications.models import Notification
from medianest.notifications.repository import NotificationRepository
from medianest.notifications.schemas import BroadcastCreate, NotificationKind, Severity
from medianest.realtime.emitter import Emitter


class NotificationService:
    def __init__(
        self,
        session: AsyncSession,
        emitter: Emitter,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = session
        self._notifications = NotificationRepository(session)
        self._publisher = NotificationPublisher(emitter)
        self._now = clock

    # ------------------------------------------------------------------ sending

    async def notify(
        self,
        user_id: uuid.UUID,
        *,
        kind: str,
        title: str,
        message: str,
        severity: str = Severity.INFO,
        link: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Notification:
        """Store a notification for one user; `system:notification` reaches their
        connections on `/authenticated` after commit."""
        (notification,) = self._store([user_id], kind, title, message, severity, link, data)
        await self._notifications.flush()
        self._publish_to_user(user_id, _event(notification))
        return notification

    async def notify_admins(
        self,
        *,
        kind: str,
        title: str,
        message: str,
        severity: str = Severity.INFO,
        link: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> int:
        """One stored notification per active admin; one `system:notification` to the
        admins' room on `/admin` after commit. How many admins it was stored for."""
        admin_ids = await self._notifications.active_user_ids(admins_only=True)
        stored = self._store(admin_ids, kind, title, message, severity, link, data)
        await self._notifications.flush()
        if stored:
            self._publish_to_admins(_event(stored[0]))
        return len(stored)

    async def broadcast(
        self, body: BroadcastCreate, *, actor_id: uuid.UUID, client: ClientInfo
    ) -> int:
        """An admin's message to the users named, or to every active user (then announced
        once on `/system`). Audited; how many users got it."""
        if body.user_ids is None:
            recipients = await self._notifications.active_user_ids()
        else:
            recipients = list(dict.fromkeys(body.user_ids))
            await self._check_users_exist(recipients)
        stored = self._store(
            recipients,
            NotificationKind.BROADCAST,
            body.title,
            body.message,
            body.severity,
            None,
            {"sentBy": str(actor_id)},
        )
        await self._notifications.flush()
        AuditService(self._db).record(
            AuditAction.NOTIFICATIONS_BROADCAST,
            client=client,
            actor_id=actor_id,
            details={
                "title": body.title,
                "severity": body.severity.value,
                "recipients": len(stored),
                "toEveryone": body.user_ids is None,
            },
        )
        if stored:
            self._publish_broadcast(stored, to_everyone=body.user_ids is None)
        return len(stored)

    async def _check_users_exist(self, user_ids: Sequence[uuid.UUID]) -> None:
        known = await self._notifications.existing_user_ids(user_ids)
        unknown = [str(user_id) for user_id in user_ids if user_id not in known]
        if unknown:
            raise ValidationError(
                "Some users do not exist.", details=[{"field": "userIds", "unknown": unknown}]
            )

    def _store(
        self,
        user_ids: Sequence[uuid.UUID],
        kind: str,
        title: str,
        message: str,
        severity: str,
        link: str | None,
        data: dict[str, Any] | None,
    ) -> list[Notification]:
        level = Severity(severity)
        now = self._now()
        rows = [
            Notification(
                user_id=user_id,
                kind=str(kind),
                severity=level.value,
                title=title[:200],
                message=message,
                link=link,
                data=data or {},
                created_at=now,
            )
            for user_id in user_ids
        ]
        self._notifications.add_all(rows)
        return rows

    def _publish_broadcast(self, stored: Sequence[Notification], *, to_everyone: bool) -> None:
        event = _event(stored[0])
        if to_everyone:
            self._publish_to_everyone(event)
            return
        for notification in stored:
            self._publish_to_user(notification.user_id, event)

    def _publish_to_user(self, user_id: uuid.UUID, event: SystemNotificationEvent) -> None:
        publisher = self._publisher

        async def publish_to_user() -> None:
            await publisher.publish_to_user(user_id, event)

        after_commit(self._db, publish_to_user)

    def _publish_to_admins(self, event: SystemNotificationEvent) -> None:
        publisher = self._publisher

        async def publish_to_admins() -> None:
            await publisher.publish_to_admins(event)

        after_commit(self._db, publish_to_admins)

    def _publish_to_everyone(self, event: SystemNotificationEvent) -> None:
        publisher = self._publisher

        async def publish_to_everyone() -> None:
            await publisher.publish_to_everyone(event)

        after_commit(self._db, publish_to_everyone)

    # ------------------------------------------------------------------ reading

    async def page(
        self, user_id: uuid.UUID, *, unread_only: bool, offset: int, limit: int
    ) -> tuple[Sequence[Notification], Total]:
        """The user's notifications, newest first, and how many match."""
        return await self._notifications.page(
            user_id, unread_only=unread_only, offset=offset, limit=limit
        )

    async def unread_count(self, user_id: uuid.UUID) -> int:
        return await self._notifications.unread_count(user_id)

    async def mark_read(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
        """Mark one of the user's notifications read (reading it again changes nothing)."""
        notification = await self._owned(user_id, notification_id)
        if notification.read_at is None:
            notification.read_at = self._now()
            await self._notifications.flush()
        return notification

    async def mark_all_read(self, user_id: uuid.UUID) -> int:
        """Mark every unread notification of the user read; how many there were."""
        return await self._notifications.mark_all_read(user_id, self._now())

    async def delete(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> None:
        await self._notifications.delete(await self._owned(user_id, notification_id))

    async def _owned(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
        notification = await self._notifications.get_owned(user_id, notification_id)
        if notification is None:
            raise NotFoundError("No such notification.")
        return notification


def _event(notification: Notification) -> SystemNotificationEvent:
    return SystemNotificationEvent(
        type=Severity(notification.severity),
        title=notification.title,
        message=notification.message,
        timestamp=notification.created_at,
    )
