"""What a download announces to its owner (and the admins) over socket.io: the events and
their publisher."""

import uuid
from typing import Any, ClassVar

from pydantic import Field

from medianest.downloads.schemas import DownloadStatus
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import USER_MEDIA_NAMESPACES


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


class DownloadEventPublisher:
    """Sends a download's events to its owner's connections and the admins'."""

    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def publish_progress(
        self,
        user_id: uuid.UUID,
        download_id: uuid.UUID,
        *,
        progress: float,
        status: DownloadStatus,
        speed: float | None,
        eta: int | None,
    ) -> None:
        event = DownloadProgressEvent(
            id=str(download_id),
            progress=round(min(100.0, max(0.0, progress)), 1),
            status=status.value,
            speed=speed if speed is None or speed >= 0 else None,
            eta=eta if eta is None or eta >= 0 else None,
        )
        await self._emitter.emit_to_user(user_id, event)

    async def publish_completed(
        self, user_id: uuid.UUID, download_id: uuid.UUID, *, title: str | None, files: list[str]
    ) -> None:
        event = DownloadCompletedEvent(id=str(download_id), title=title, files=files)
        await self._emitter.emit_to_user(user_id, event)

    async def publish_failed(
        self, user_id: uuid.UUID, download_id: uuid.UUID, *, error: str
    ) -> None:
        await self._emitter.emit_to_user(
            user_id, DownloadFailedEvent(id=str(download_id), error=error)
        )
