"""YouTube downloads: queue, follow, cancel, retry, delete; metadata before downloading."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status

from medianest.auth.deps import (
    SIGNED_IN_ERRORS,
    CurrentPrincipal,
    UserQuota,
    get_principal,
    peek_user_quota,
    spend_user_quota,
)
from medianest.auth.schemas import QuotaRead
from medianest.downloads.deps import DownloadServiceDep, MetadataProbeDep
from medianest.downloads.errors import DownloadActiveError, DownloadNotRetryableError
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.schemas import (
    DownloadCreate,
    DownloadFile,
    DownloadRead,
    DownloadStatus,
    MetadataRead,
)
from medianest.http.deps import PageDep, StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.integrations.ytdlp.errors import MetadataLookupFailedError
from medianest.kit.errors import NotFoundError, RateLimitExceededError, ValidationError
from medianest.kit.schemas import Page

DOWNLOAD_QUOTA = UserQuota("download", "rate_limit_downloads")

router = APIRouter(prefix="/youtube", tags=["downloads"], responses=SIGNED_IN_ERRORS)

DownloadId = Annotated[uuid.UUID, Path(description="The download's id.")]


@router.post(
    "/download",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ValidationError, RateLimitExceededError),
)
async def create_download(
    body: DownloadCreate,
    principal: CurrentPrincipal,
    downloads: DownloadServiceDep,
    state: StateDep,
    request: Request,
) -> Envelope[DownloadRead]:
    """Queue a video or a whole playlist. Only YouTube URLs (`YOUTUBE_ALLOWED_HOSTS`); at
    most `RATE_LIMIT_DOWNLOADS` (5 an hour) per user. Progress arrives as `download:progress`
    events on socket.io, or by polling `GET /youtube/downloads/{id}`."""
    downloads.refuse_impossible(body)
    await spend_user_quota(state, request, principal, DOWNLOAD_QUOTA)
    return ok(_read(await downloads.create(principal.user, body)))


@router.get("/quota")
async def get_download_quota(principal: CurrentPrincipal, state: StateDep) -> Envelope[QuotaRead]:
    """How many downloads you have left this window (`RATE_LIMIT_DOWNLOADS`), without
    spending one: what `POST /youtube/download` reports in its `X-RateLimit-*` headers."""
    return ok(await peek_user_quota(state, principal, DOWNLOAD_QUOTA))


@router.get("/downloads")
async def list_downloads(
    principal: CurrentPrincipal,
    downloads: DownloadServiceDep,
    page: PageDep,
    status_filter: Annotated[
        DownloadStatus | None, Query(alias="status", description="Only downloads in this state.")
    ] = None,
) -> Envelope[Page[DownloadRead]]:
    """Your downloads, newest first (admins: everyone's)."""
    rows, total = await downloads.page(
        principal, status=status_filter, offset=page.offset, limit=page.limit
    )
    return ok(
        Page[DownloadRead].build(
            [_read(row) for row in rows],
            page=page.page,
            limit=page.limit,
            total_items=total.items,
            total_exact=total.exact,
        )
    )


@router.get("/downloads/{download_id}", responses=error_responses(NotFoundError))
async def get_download(
    download_id: DownloadId, principal: CurrentPrincipal, downloads: DownloadServiceDep
) -> Envelope[DownloadRead]:
    """A download's progress, files and error."""
    return ok(_read(await downloads.visible(principal, download_id)))


DeleteFiles = Annotated[
    bool, Query(alias="deleteFiles", description="Also remove the files it made.")
]


@router.post("/downloads/{download_id}/cancel", responses=error_responses(NotFoundError))
async def cancel_download(
    download_id: DownloadId,
    principal: CurrentPrincipal,
    downloads: DownloadServiceDep,
    delete_files: DeleteFiles = False,
) -> Envelope[DownloadRead]:
    """Cancel a queued or running download (a running one stops within a second or two:
    `status` says `running` until then); `?deleteFiles=true` also removes its files. A
    finished one is left as it is."""
    return ok(_read(await downloads.cancel(principal, download_id, delete_files=delete_files)))


@router.delete(
    "/downloads/{download_id}", responses=error_responses(NotFoundError, DownloadActiveError)
)
async def delete_download(
    download_id: DownloadId,
    principal: CurrentPrincipal,
    downloads: DownloadServiceDep,
    delete_files: DeleteFiles = False,
) -> Envelope[None]:
    """Take a finished, failed or cancelled download off the list; its files stay in the
    library unless `?deleteFiles=true`. 409 while it is queued or running: cancel it first."""
    await downloads.delete(principal, download_id, delete_files=delete_files)
    return ok(None)


@router.post(
    "/downloads/{download_id}/retry",
    responses=error_responses(NotFoundError, DownloadNotRetryableError),
)
async def retry_download(
    download_id: DownloadId, principal: CurrentPrincipal, downloads: DownloadServiceDep
) -> Envelope[DownloadRead]:
    """Queue a failed or cancelled download again."""
    return ok(_read(await downloads.retry(principal, download_id)))


@router.get(
    "/metadata",
    dependencies=[Depends(get_principal)],
    responses=error_responses(ValidationError, MetadataLookupFailedError),
)
async def get_metadata(
    probe: MetadataProbeDep,
    url: Annotated[str, Query(min_length=8, max_length=2000, description="A YouTube URL.")],
) -> Envelope[MetadataRead]:
    """Title, uploader, duration, thumbnail, what formats there are and, for a playlist,
    how many entries — without downloading anything."""
    return ok(await probe(url))


def _read(download: YoutubeDownload) -> DownloadRead:
    return DownloadRead(
        id=download.id,
        user_id=download.user_id,
        url=download.url,
        title=download.title,
        playlist_title=download.playlist_title,
        is_playlist=download.is_playlist,
        quality=download.quality,
        format=download.format,
        audio_only=download.audio_only,
        playlist_items=download.playlist_items,
        status=download.status,
        progress=download.progress,
        speed_bytes_per_second=download.speed,
        eta_seconds=download.eta,
        files=[DownloadFile.model_validate(entry) for entry in download.files],
        error=download.error,
        attempts=download.attempts,
        created_at=download.created_at,
        started_at=download.started_at,
        finished_at=download.finished_at,
    )
