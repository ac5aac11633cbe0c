"""Announcements of request changes: `request:updated` to the requester and to admins."""

import uuid

from medianest.media_requests.schemas import RequestStatus
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import RequestUpdatedEvent


class RequestEvents:
    """The service calls these after its unit of work commits (never for a rollback)."""

    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def request_updated(
        self,
        *,
        user_id: uuid.UUID,
        request_id: uuid.UUID,
        status: RequestStatus,
        media_title: str,
        updated_by: str,
    ) -> None:
        """To the requester on `/authenticated` and `/media`, and a copy to `/admin`."""
        await self._emitter.emit_to_user(
            user_id,
            RequestUpdatedEvent(
                id=str(request_id),
                status=status.value,
                media_title=media_title,
                updated_by=updated_by,
            ),
        )
