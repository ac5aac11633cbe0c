"""What a stored notification announces over socket.io: `system:notification` and its
publisher."""

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from medianest.kit.clock import utc_now
from medianest.notifications.schemas import Severity
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import ADMINS_ROOM, Namespace


class SystemNotificationEvent(RealtimeEvent):
    name = "system:notification"
    summary = (
        "A message to show: to one user on `/authenticated`, to everyone signed in on "
        "`/system`, or to admins on `/admin`."
    )
    user_namespaces = (Namespace.AUTHENTICATED,)
    broadcast_namespaces = (Namespace.SYSTEM,)
    example: ClassVar[dict[str, Any]] = {
        "type": "info",
        "title": "System Update",
        "message": "New version available",
        "timestamp": "2026-01-01T00:00:00Z",
    }

    type: Severity = Field(description="How to present it.")
    title: str = Field(description="A short headline.")
    message: str = Field(description="The text.")
    timestamp: datetime = Field(default_factory=utc_now, description="When it was sent (UTC).")


class NotificationPublisher:
    """Sends `system:notification` to one user, to the admins or to everyone signed in."""

    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def publish_to_user(self, user_id: uuid.UUID, event: SystemNotificationEvent) -> None:
        """On `/authenticated`, to the user's connections."""
        await self._emitter.emit_to_user(user_id, event)

    async def publish_to_admins(self, event: SystemNotificationEvent) -> None:
        """On `/admin`, to every admin's connections."""
        await self._emitter.emit(
            event.name, event.payload(), namespace=Namespace.ADMIN, room=ADMINS_ROOM
        )

    async def publish_to_everyone(self, event: SystemNotificationEvent) -> None:
        """On `/system`, to every signed-in connection."""
        await self._emitter.broadcast(event)
