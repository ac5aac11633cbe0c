"""What a request's change announces over socket.io: `request:updated` to the requester and
to admins, and its publisher."""

import uuid
from typing import Any, ClassVar

from pydantic import Field

from medianest.media_requests.schemas import RequestStatus
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import USER_MEDIA_NAMESPACES


class RequestUpdatedEvent(RealtimeEvent):
    name = "request:updated"
    summary = (
        "A media request of the user's changed status: an admin decided, Overseerr's "
        "webhook reported progress, or reconciliation caught up."
    )
    user_namespaces = USER_MEDIA_NAMESPACES
    copy_to_admins = True
    example: ClassVar[dict[str, Any]] = {
        "id": "5d0c2b7e-3f4a-4c1b-9a8e-7b6c5d4e3f21",
        "status": "approved",
        "mediaTitle": "Dune: Part Two",
        "updatedBy": "admin",
    }

    id: str = Field(description="The request's id in MediaNest.")
    status: str = Field(
        description="The new status: `pending`, `approved`, `processing`, "
        "`partially_available`, `available`, `declined` or `failed`."
    )
    media_title: str = Field(description="The film's or show's title.")
    updated_by: str = Field(
        description="Who made the change: an admin's username, or `webhook` / "
        "`reconciliation` when Overseerr did."
    )


class RequestEventPublisher:
    """The service calls it after its unit of work commits (never for a rollback)."""

    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def publish_updated(
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
