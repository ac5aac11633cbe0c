"""What a download announces to its owner (and the admins) over socket.io."""

import uuid

from medianest.downloads.schemas import DownloadStatus
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import (
    DownloadCompletedEvent,
    DownloadFailedEvent,
    DownloadProgressEvent,
)


class DownloadEvents:
    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def progress(
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

    async def completed(
        self, user_id: uuid.UUID, download_id: uuid.UUID, *, title: str | None, files: list[str]
    ) -> None:
        event = DownloadCompletedEvent(id=str(download_id), title=title, files=files)
        await self._emitter.emit_to_user(user_id, event)

    async def failed(self, user_id: uuid.UUID, download_id: uuid.UUID, *, error: str) -> None:
        await self._emitter.emit_to_user(
            user_id, DownloadFailedEvent(id=str(download_id), error=error)
        )
