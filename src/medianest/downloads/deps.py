"""Services of the downloads domain for a request."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from medianest.downloads.metadata import probe_metadata
from medianest.downloads.schemas import MetadataRead
from medianest.downloads.service import DownloadService
from medianest.downloads.wiring import download_service
from medianest.http.deps import SessionDep, StateDep
from medianest.integrations.ytdlp.client import YtDlpClient

MetadataProbe = Callable[[str], Awaitable[MetadataRead]]


async def get_download_service(session: SessionDep, state: StateDep) -> DownloadService:
    return download_service(session, state)


async def get_metadata_probe(state: StateDep) -> MetadataProbe:
    client = YtDlpClient.from_settings(state.settings)

    async def probe(url: str) -> MetadataRead:
        return await probe_metadata(client, url)

    return probe


DownloadServiceDep = Annotated[DownloadService, Depends(get_download_service)]
MetadataProbeDep = Annotated[MetadataProbe, Depends(get_metadata_probe)]
