"""Services of the downloads domain for a request."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio
from fastapi import Depends

from medianest.downloads.metadata import probe_metadata
from medianest.downloads.schemas import RUN, MetadataRead
from medianest.downloads.service import DownloadService
from medianest.http.deps import SessionDep, StateDep
from medianest.integrations.ytdlp.client import YtDlpClient
from medianest.integrations.ytdlp.presets import Quality
from medianest.kit.errors import ServiceUnavailableError

MetadataProbe = Callable[[str], Awaitable[MetadataRead]]


async def get_download_service(session: SessionDep, state: StateDep) -> DownloadService:
    queue = state.queue
    if queue is None:
        raise ServiceUnavailableError("The download queue is not running.")

    async def enqueue(download_id: uuid.UUID) -> None:
        await anyio.to_thread.run_sync(queue.enqueue, RUN, str(download_id))

    settings = state.settings
    return DownloadService(
        session,
        YtDlpClient.from_settings(settings),
        enqueue,
        default_quality=Quality(settings.youtube_default_quality),
    )


async def get_metadata_probe(state: StateDep) -> MetadataProbe:
    client = YtDlpClient.from_settings(state.settings)

    async def probe(url: str) -> MetadataRead:
        return await probe_metadata(client, url)

    return probe


DownloadServiceDep = Annotated[DownloadService, Depends(get_download_service)]
MetadataProbeDep = Annotated[MetadataProbe, Depends(get_metadata_probe)]
