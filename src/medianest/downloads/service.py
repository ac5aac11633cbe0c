"""Download jobs as users see them: queue, list, cancel, retry, remove files.

The work itself happens in `runner.py`, on the job queue. This side only records intent
(a queued row, a cancel request) and enqueues jobs once the database has committed.
"""

import shutil
import uuid
from collections.abc import Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth.models import User
from medianest.auth.service.principal import Principal
from medianest.db.paging import Total
from medianest.downloads.errors import DownloadActiveError, DownloadNotRetryableError
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.repository import DownloadRepository
from medianest.downloads.schemas import (
    ACTIVE_STATUSES,
    RUN,
    DownloadCreate,
    DownloadStatus,
)
from medianest.integrations.ytdlp.client import YtDlpClient
from medianest.integrations.ytdlp.presets import DownloadOptions, Quality
from medianest.jobs.context import JobContext
from medianest.kit.clock import utc_now
from medianest.kit.errors import NotFoundError

logger = structlog.get_logger(__name__)


class DownloadService:
    def __init__(
        self,
        session: AsyncSession,
        ytdlp: YtDlpClient,
        jobs: JobContext,
        *,
        default_quality: Quality = Quality.BEST,
    ) -> None:
        self._db = session
        self._downloads = DownloadRepository(session)
        self._ytdlp = ytdlp
        self._jobs = jobs
        self._default_quality = default_quality

    def refuse_impossible(self, data: DownloadCreate) -> DownloadOptions:
        """ValidationError for what cannot be done (a URL off the allow-list, a format that
        needs the missing ffmpeg): checked before the quota is spent, so a refusal is free."""
        options = DownloadOptions(
            quality=data.quality or self._default_quality,
            container=data.format,
            audio_only=data.audio_only,
            playlist_items=data.playlist_items,
        )
        self._ytdlp.check_url(str(data.url))
        self._ytdlp.check_options(options)
        return options

    async def create(self, user: User, data: DownloadCreate) -> YoutubeDownload:
        """Refuse what cannot be done now, then queue the job."""
        options = self.refuse_impossible(data)
        download = await self._downloads.add(
            YoutubeDownload(
                user_id=user.id,
                url=str(data.url),
                quality=options.quality,
                format=data.format,
                audio_only=data.audio_only,
                playlist_items=data.playlist_items,
                status=DownloadStatus.QUEUED,
                files=[],
                created_at=utc_now(),
            )
        )
        self._enqueue_after_commit(download.id)
        return download

    async def visible(self, principal: Principal, download_id: uuid.UUID) -> YoutubeDownload:
        download = await self._downloads.get(download_id)
        if download is None or (download.user_id != principal.user.id and not principal.is_admin):
            raise NotFoundError("No such download.")
        return download

    async def page(
        self, principal: Principal, *, status: DownloadStatus | None, offset: int, limit: int
    ) -> tuple[Sequence[YoutubeDownload], Total]:
        """The caller's downloads; an admin sees everyone's."""
        owner = None if principal.is_admin else principal.user.id
        return await self._downloads.page(user_id=owner, status=status, offset=offset, limit=limit)

    async def cancel(
        self, principal: Principal, download_id: uuid.UUID, *, delete_files: bool
    ) -> YoutubeDownload:
        """Stop a queued or running job (its worker notices within a second or two) and,
        when asked, remove the files it made."""
        download = await self.visible(principal, download_id)
        if download.status is DownloadStatus.QUEUED:
            download.status = DownloadStatus.CANCELLED
            download.finished_at = utc_now()
        elif download.status is DownloadStatus.RUNNING:
            download.cancel_requested = True
        if delete_files:
            self._delete_files(download)
        await self._db.flush()
        return download

    async def delete(
        self, principal: Principal, download_id: uuid.UUID, *, delete_files: bool
    ) -> None:
        """Take a finished, failed or cancelled download off the list and, when asked,
        remove the files it made (they stay in the library otherwise)."""
        download = await self.visible(principal, download_id)
        if download.status in ACTIVE_STATUSES:
            raise DownloadActiveError()
        if delete_files:
            self._delete_files(download)
        await self._downloads.delete(download)

    async def retry(self, principal: Principal, download_id: uuid.UUID) -> YoutubeDownload:
        download = await self.visible(principal, download_id)
        if download.status in ACTIVE_STATUSES or download.status is DownloadStatus.COMPLETED:
            raise DownloadNotRetryableError()
        download.status = DownloadStatus.QUEUED
        download.cancel_requested = False
        download.error = None
        download.progress = 0.0
        download.finished_at = None
        download.lease_owner = None
        download.lease_expires_at = None
        await self._db.flush()
        self._enqueue_after_commit(download.id)
        return download

    def _enqueue_after_commit(self, download_id: uuid.UUID) -> None:
        self._jobs.enqueue_after_commit(self._db, RUN, str(download_id))

    def _delete_files(self, download: YoutubeDownload) -> None:
        root = self._ytdlp.library_root.resolve()
        for entry in download.files:
            path = (root / str(entry["path"])).resolve()
            if not path.is_relative_to(root) or path == root:
                logger.warning("downloads.refused_delete", path=str(path))
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        download.files = []


async def count_by_status(
    session: AsyncSession, *, user_id: uuid.UUID | None = None
) -> dict[DownloadStatus, int]:
    """Downloads per status, of one user or of everyone: what the dashboards show. Needs no
    downloader, so it is not a method of `DownloadService`."""
    return await DownloadRepository(session).count_by_status(user_id=user_id)
