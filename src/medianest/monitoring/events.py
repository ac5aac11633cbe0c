"""What a change of a service's state announces over socket.io: the event and its
publisher."""

from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from medianest.kit.clock import utc_now
from medianest.monitoring.schemas import ServiceState, StatusChange
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import Namespace


class ServiceStatusEvent(RealtimeEvent):
    name = "service:status"
    summary = (
        "A service MediaNest depends on (database, Redis, Plex, Overseerr, the queue, disk, "
        "yt-dlp) changed state, as the periodic service check found."
    )
    broadcast_namespaces = (Namespace.SYSTEM,)
    example: ClassVar[dict[str, Any]] = {
        "service": "plex",
        "status": "down",
        "previousStatus": "up",
        "message": "ConnectError: All connection attempts failed",
        "checkedAt": "2026-01-01T00:00:00Z",
        "responseMs": None,
    }

    service: str = Field(description="The service, named as in `GET /api/v1/services/status`.")
    status: ServiceState = Field(description="Its state now.")
    previous_status: ServiceState | None = Field(
        default=None, description="Its state at the check before; null for the first check."
    )
    message: str | None = Field(default=None, description="What the check found, for people.")
    checked_at: datetime = Field(default_factory=utc_now, description="When it was checked.")
    response_ms: float | None = Field(default=None, description="Round trip of the check.")


class ServiceStatusPublisher:
    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def publish_change(self, change: StatusChange) -> None:
        """`service:status` to everyone signed in, on `/system`."""
        outcome = change.outcome
        event = ServiceStatusEvent(
            service=outcome.service.value,
            status=outcome.status,
            previous_status=change.previous,
            message=outcome.message,
            checked_at=change.checked_at,
            response_ms=outcome.response_ms,
        )
        await self._emitter.broadcast(event)
