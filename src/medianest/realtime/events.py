"""The catalogue of realtime events: each socket.io event's name, payload and namespaces.

Payloads are pydantic models, camelCase on the wire like the REST API. Where an event goes
is declared on its class, so the emitter's routing and the generated reference
(docs/reference/realtime.md) come from the same place.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import ConfigDict, Field

from medianest.kit.clock import utc_now
from medianest.kit.schemas import CamelModel
from medianest.realtime.namespaces import Namespace

USER_MEDIA_NAMESPACES = (Namespace.AUTHENTICATED, Namespace.MEDIA)


def _add_example(schema: dict[str, Any], model: type[Any]) -> None:
    schema["examples"] = [model.example]


class RealtimeEvent(CamelModel):
    """Base of every event: the class names the socket.io event and says where it goes; the
    fields are its payload."""

    model_config = ConfigDict(frozen=True, json_schema_extra=_add_example)

    name: ClassVar[str]
    summary: ClassVar[str]
    example: ClassVar[dict[str, Any]]
    """A payload as clients receive it, for the JSON schema and the reference."""
    user_namespaces: ClassVar[tuple[Namespace, ...]] = ()
    """Namespaces that deliver it to the user it concerns (room `user:<id>`)."""
    copy_to_admins: ClassVar[bool] = False
    """Whether an event sent to a user also goes to every admin on `/admin`."""
    broadcast_namespaces: ClassVar[tuple[Namespace, ...]] = ()
    """Namespaces where it may go to every connection at once."""

    def payload(self) -> dict[str, Any]:
        """The JSON object clients receive."""
        return self.model_dump(mode="json")


class DownloadProgressEvent(RealtimeEvent):
    name = "download:progress"
    summary = (
        "A download of the user's moved on. Sent at most a few times a second per download "
        "(`REALTIME_PROGRESS_PER_SECOND`); the final state always arrives."
    )
    user_namespaces = USER_MEDIA_NAMESPACES
    copy_to_admins = True
    example: ClassVar[dict[str, Any]] = {
        "id": "0b5f3c1e-8f1a-4a53-9c3e-2f7d6a0c9b11",
        "progress": 45.0,
        "status": "running",
        "speed": 1258291.2,
        "eta": 330,
    }

    id: str = Field(description="The download's id.")
    progress: float = Field(ge=0, le=100, description="Percent done, from 0 to 100.")
    status: str = Field(
        description="The download's status, as the downloads API reports it: `running` "
        "while it downloads, `completed` with the final 100."
    )
    speed: float | None = Field(
        default=None,
        ge=0,
        description="Current rate in bytes per second (show it as e.g. `1.2 MB/s`); null "
        "when unknown.",
    )
    eta: int | None = Field(
        default=None,
        ge=0,
        description="Seconds left (show it as e.g. `5m 30s`); null when unknown.",
    )


class DownloadCompletedEvent(RealtimeEvent):
    name = "download:completed"
    summary = "A download of the user's finished; its files are in the library folder."
    user_namespaces = USER_MEDIA_NAMESPACES
    copy_to_admins = True
    example: ClassVar[dict[str, Any]] = {
        "id": "0b5f3c1e-8f1a-4a53-9c3e-2f7d6a0c9b11",
        "title": "Big Buck Bunny",
        "files": ["YouTube/Blender/Big Buck Bunny [aqz-KE-bpKQ].mp4"],
    }

    id: str = Field(description="The download's id.")
    title: str | None = Field(
        default=None, description="The video's or playlist's title; null when unknown."
    )
    files: list[str] = Field(
        default_factory=list,
        description="The files written, relative to the library folder.",
    )


class DownloadFailedEvent(RealtimeEvent):
    name = "download:failed"
    summary = "A download of the user's failed for good (after its retries)."
    user_namespaces = USER_MEDIA_NAMESPACES
    copy_to_admins = True
    example: ClassVar[dict[str, Any]] = {
        "id": "0b5f3c1e-8f1a-4a53-9c3e-2f7d6a0c9b11",
        "error": "This video is private.",
    }

    id: str = Field(description="The download's id.")
    error: str = Field(description="Why it failed, for people.")


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


class NotificationType(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


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

    type: NotificationType = Field(description="How to present it.")
    title: str = Field(description="A short headline.")
    message: str = Field(description="The text.")
    timestamp: datetime = Field(default_factory=utc_now, description="When it was sent (UTC).")


class ServiceState(StrEnum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
    NOT_CONFIGURED = "not_configured"


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


CATALOGUE: tuple[type[RealtimeEvent], ...] = (
    DownloadProgressEvent,
    DownloadCompletedEvent,
    DownloadFailedEvent,
    RequestUpdatedEvent,
    SystemNotificationEvent,
    ServiceStatusEvent,
)
"""Every event MediaNest sends, in the order the reference lists them."""

EVENTS_BY_NAME: dict[str, type[RealtimeEvent]] = {event.name: event for event in CATALOGUE}
