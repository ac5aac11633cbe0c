"""Running one download job on the queue: claim it, download, report, finish, hand to Plex.

A job holds a lease on its row and renews it while it works. A worker killed mid-job
stops renewing; `recover()` then puts the job back on the queue (or fails it after
`MAX_ATTEMPTS`), so nothing is lost and nothing runs twice at once. yt-dlp writes in
`<library>/.incomplete/<job id>/` and moves only finished files into the library, so a
partial file never reaches Plex and goes with that folder.
"""

import asyncio
import contextlib
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.db.engine import unit_of_work
from medianest.downloads.events import DownloadEventPublisher
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.repository import DownloadRepository
from medianest.downloads.schemas import HAND_TO_PLEX, RUN, DownloadStatus
from medianest.integrations.ytdlp.client import YtDlpClient
from medianest.integrations.ytdlp.errors import DownloadCancelledError
from medianest.integrations.ytdlp.paths import INCOMPLETE_DIR_NAME
from medianest.integrations.ytdlp.presets import Container, DownloadOptions, Quality
from medianest.integrations.ytdlp.schemas import DownloadResult, ProgressUpdate
from medianest.jobs.context import JobContext
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError
from medianest.notifications.schemas import NotificationKind, Severity
from medianest.notifications.service import NotificationService
from medianest.realtime.throttle import ProgressThrottle

logger = structlog.get_logger(__name__)

DOWNLOADS_PAGE = "/youtube"
"""Where a download's notification leads in the web app: the queue."""

MAX_ATTEMPTS = 3
REQUEUE_DELAY_SECONDS = 3.0
_CLAIM_LOCK = 0x6D6E_646C  # PostgreSQL advisory lock: one claim at a time, across workers

Notifications = Callable[[AsyncSession], NotificationService]
"""The notification service within one of the runner's units of work."""


@dataclass(frozen=True, slots=True)
class RunnerConfig:
    worker: str
    library_dir: Path
    allowed_hosts: frozenset[str]
    ffmpeg: Path | None
    max_concurrent: int
    lease_seconds: float
    progress_per_second: float = 4.0

    @property
    def heartbeat_seconds(self) -> float:
        return max(0.5, self.lease_seconds / 3)


@dataclass(slots=True)
class _Job:
    id: uuid.UUID
    user_id: uuid.UUID
    url: str
    options: DownloadOptions


@dataclass(slots=True)
class _Progress:
    """Written by yt-dlp's thread, read by the job's event loop."""

    latest: ProgressUpdate | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


class _Wakeup:
    """Wakes the job's reporter from yt-dlp's thread when a progress update arrives.

    yt-dlp calls its hook for every block it reads, thousands of times a second on a fast
    link: a wake-up is scheduled on the event loop only when none is pending, and the
    reporter reads `_Progress.latest` after it wakes, so no update is missed.
    """

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        self._pending = False

    def notify(self) -> None:
        """From any thread."""
        if self._pending:
            return
        self._pending = True
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is listening
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        self._pending = False
        self._event.set()

    def set(self) -> None:
        """From the event loop: wake the reporter now (to see that it should stop)."""
        self._event.set()

    async def wait(self) -> None:
        await self._event.wait()
        self._event.clear()


class DownloadRunner:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: RunnerConfig,
        publisher: DownloadEventPublisher,
        jobs: JobContext,
        notifications: Notifications,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._notifications = notifications
        self._config = config
        self._publisher = publisher
        self._jobs = jobs

    # ------------------------------------------------------------------ one job

    async def run(self, download_id: uuid.UUID) -> DownloadStatus | None:
        """Run the job if this worker can claim it; its final status, or None."""
        job = await self._claim(download_id)
        if job is None:
            return None
        work_dir = self._work_dir(job.id)
        shutil.rmtree(work_dir, ignore_errors=True)  # what an interrupted attempt left
        state = _Progress()
        try:
            result = await self._download(job, work_dir, state)
        except DownloadCancelledError:
            return await self._finish_cancelled(job, work_dir)
        except Exception as exc:
            return await self._finish_failed(job, work_dir, exc)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        return await self._finish_completed(job, result)

    def _work_dir(self, download_id: uuid.UUID) -> Path:
        return self._config.library_dir / INCOMPLETE_DIR_NAME / str(download_id)

    async def _claim(self, download_id: uuid.UUID) -> _Job | None:
        now = utc_now()
        async with unit_of_work(self._sessionmaker) as db:
            if db.get_bind().dialect.name == "postgresql":
                await db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})
            downloads = DownloadRepository(db)
            if await downloads.running_count(now) >= self._config.max_concurrent:
                busy = True
            else:
                busy = False
                until = now + timedelta(seconds=self._config.lease_seconds)
                claimed = await downloads.claim(
                    download_id, owner=self._config.worker, now=now, until=until
                )
                if not claimed:
                    return None
                row = await downloads.get(download_id)
                if row is None:
                    return None
                await downloads.refresh(row)
                job = _job_of(row)
        if busy:
            logger.info("downloads.waiting_for_a_slot", download_id=str(download_id))
            await self._jobs.enqueue(RUN, str(download_id), delay_seconds=REQUEUE_DELAY_SECONDS)
            return None
        logger.info("downloads.started", download_id=str(download_id), worker=self._config.worker)
        return job

    async def _download(self, job: _Job, work_dir: Path, state: _Progress) -> DownloadResult:
        downloader = YtDlpClient(
            self._config.library_dir,
            allowed_hosts=self._config.allowed_hosts,
            ffmpeg=self._config.ffmpeg,
            work_dir=work_dir,
        )

        wakeup = _Wakeup()

        def on_progress(update: ProgressUpdate) -> None:
            state.latest = update
            wakeup.notify()

        stop = asyncio.Event()
        reporter = asyncio.create_task(self._report(job, state, wakeup, stop))
        heartbeats = asyncio.create_task(self._heartbeats(job, state, stop))
        try:
            return await anyio.to_thread.run_sync(
                lambda: downloader.download(
                    job.url,
                    job.options,
                    on_progress=on_progress,
                    should_cancel=state.cancel.is_set,
                )
            )
        finally:
            # Let both finish their round rather than cancel them: a heartbeat cancelled
            # mid-transaction could leave the row locked and the job's own finish waiting.
            stop.set()
            wakeup.set()
            await asyncio.gather(reporter, heartbeats)

    async def _report(
        self, job: _Job, state: _Progress, wakeup: _Wakeup, stop: asyncio.Event
    ) -> None:
        """A progress event as soon as yt-dlp reports, unless one went out less than
        1 / `progress_per_second` ago: that update is dropped, not delayed (a delayed one
        would be stale when it left; the next report carries newer numbers). The final
        state is the job's finish's to send."""
        throttle = ProgressThrottle(self._config.progress_per_second)
        sent: ProgressUpdate | None = None
        while True:
            await wakeup.wait()
            if stop.is_set():
                return
            update = state.latest
            if update is None or update is sent or not throttle.allow(str(job.id)):
                continue
            sent = update
            try:
                await self._publisher.publish_progress(
                    job.user_id,
                    job.id,
                    progress=_percent(update),
                    status=DownloadStatus.RUNNING,
                    speed=update.speed,
                    eta=None if update.eta is None else int(update.eta),
                )
            except Exception:  # one lost event; the next one carries newer numbers anyway
                logger.exception("downloads.progress_not_sent", download_id=str(job.id))

    async def _heartbeats(self, job: _Job, state: _Progress, stop: asyncio.Event) -> None:
        """Every `heartbeat_seconds` (the claim has just set the lease): the lease renewed,
        the progress stored, the cancel flag read. Its own task, so that a slow database
        never holds up a progress event."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._config.heartbeat_seconds)
            if stop.is_set():
                return
            try:
                await self._heartbeat(job, state)
            except Exception:  # a busy or briefly unreachable database: try again next beat
                logger.exception("downloads.heartbeat_failed", download_id=str(job.id))

    async def _heartbeat(self, job: _Job, state: _Progress) -> None:
        until = utc_now() + timedelta(seconds=self._config.lease_seconds)
        update = state.latest
        async with unit_of_work(self._sessionmaker) as db:
            downloads = DownloadRepository(db)
            held = await downloads.update_held(
                job.id,
                self._config.worker,
                lease_expires_at=until,
                progress=_percent(update) if update else 0.0,
                speed=update.speed if update else None,
                eta=int(update.eta) if update and update.eta is not None else None,
            )
            row = await downloads.get(job.id)
            if row is not None:
                await downloads.refresh(row)
            cancel = not held or row is None or row.cancel_requested
        if cancel:
            state.cancel.set()

    # ------------------------------------------------------------------ outcomes

    async def _finish_completed(self, job: _Job, result: DownloadResult) -> DownloadStatus:
        files = _library_files(result, self._config.library_dir)
        relative = [entry["path"] for entry in files]
        async with unit_of_work(self._sessionmaker) as db:
            done = await DownloadRepository(db).update_held(
                job.id,
                self._config.worker,
                status=DownloadStatus.COMPLETED,
                title=result.title,
                playlist_title=result.playlist_title,
                is_playlist=result.playlist_title is not None,
                files=files,
                progress=100.0,
                eta=0,
                finished_at=utc_now(),
                lease_owner=None,
                lease_expires_at=None,
            )
            if done:
                await _notify_completed(self._notifications(db), job, result.title, relative)
        if not done:  # cancelled, or the lease was lost: the files stay, reported by nobody
            logger.warning("downloads.lost_lease_at_finish", download_id=str(job.id))
            return DownloadStatus.CANCELLED
        logger.info("downloads.completed", download_id=str(job.id), files=len(files))
        await self._publisher.publish_progress(
            job.user_id, job.id, progress=100.0, status=DownloadStatus.COMPLETED, speed=None, eta=0
        )
        await self._publisher.publish_completed(
            job.user_id, job.id, title=result.title, files=relative
        )
        await self._jobs.enqueue(HAND_TO_PLEX, str(job.id), 0)
        return DownloadStatus.COMPLETED

    async def _finish_cancelled(self, job: _Job, work_dir: Path) -> DownloadStatus:
        shutil.rmtree(work_dir, ignore_errors=True)
        await self._end(job, DownloadStatus.CANCELLED, error="Cancelled.")
        await self._publisher.publish_failed(job.user_id, job.id, error="Cancelled.")
        return DownloadStatus.CANCELLED

    async def _finish_failed(self, job: _Job, work_dir: Path, exc: Exception) -> DownloadStatus:
        shutil.rmtree(work_dir, ignore_errors=True)
        reason = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
        logger.warning("downloads.failed", download_id=str(job.id), error=reason[:500])
        await self._end(job, DownloadStatus.FAILED, error=reason[:2000], notify_failure=True)
        await self._publisher.publish_failed(job.user_id, job.id, error=reason[:500])
        return DownloadStatus.FAILED

    async def _end(
        self, job: _Job, status: DownloadStatus, *, error: str, notify_failure: bool = False
    ) -> None:
        async with unit_of_work(self._sessionmaker) as db:
            ended = await DownloadRepository(db).update_held(
                job.id,
                self._config.worker,
                status=status,
                error=error,
                finished_at=utc_now(),
                lease_owner=None,
                lease_expires_at=None,
            )
            if ended and notify_failure:
                await _notify_failed(self._notifications(db), job.user_id, job.id, job.url, error)

    # ------------------------------------------------------------------ recovery

    async def recover(self) -> int:
        """Requeue jobs whose worker died (or fail them after MAX_ATTEMPTS), and enqueue
        again queued jobs the queue may have lost. Safe to run anywhere, any time."""
        now = utc_now()
        requeue: list[uuid.UUID] = []
        async with unit_of_work(self._sessionmaker) as db:
            downloads = DownloadRepository(db)
            for row in await downloads.stalled(now):
                shutil.rmtree(self._work_dir(row.id), ignore_errors=True)
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = DownloadStatus.FAILED
                    row.error = f"Interrupted {row.attempts} times; giving up."
                    row.finished_at = now
                    await _notify_failed(
                        self._notifications(db), row.user_id, row.id, row.url, row.error
                    )
                else:
                    row.status = DownloadStatus.QUEUED
                    requeue.append(row.id)
                row.lease_owner = None
                row.lease_expires_at = None
                logger.warning("downloads.recovered", download_id=str(row.id), status=row.status)
            stale = now - timedelta(seconds=self._config.lease_seconds * 2)
            requeue.extend(row.id for row in await downloads.queued_before(stale))
        for download_id in requeue:
            await self._jobs.enqueue(RUN, str(download_id))
        return len(requeue)


async def _notify_completed(
    notifications: NotificationService, job: _Job, title: str | None, files: list[str]
) -> None:
    """In the unit of work that marks the job completed: one notification per completion,
    kept or dropped with it."""
    await notifications.notify(
        job.user_id,
        kind=NotificationKind.DOWNLOAD_COMPLETED,
        title="Download finished",
        message=f"{title or job.url} is in your library.",
        severity=Severity.SUCCESS,
        link=DOWNLOADS_PAGE,
        data={"downloadId": str(job.id), "title": title, "files": files},
    )


async def _notify_failed(
    notifications: NotificationService,
    user_id: uuid.UUID,
    download_id: uuid.UUID,
    url: str,
    error: str,
) -> None:
    """In the unit of work that marks the job failed, like `_notify_completed`."""
    await notifications.notify(
        user_id,
        kind=NotificationKind.DOWNLOAD_FAILED,
        title="Download failed",
        message=f"{url} could not be downloaded: {error[:500]}",
        severity=Severity.ERROR,
        link=DOWNLOADS_PAGE,
        data={"downloadId": str(download_id), "error": error[:500]},
    )


def _job_of(row: YoutubeDownload) -> _Job:
    return _Job(
        id=row.id,
        user_id=row.user_id,
        url=row.url,
        options=DownloadOptions(
            quality=Quality(row.quality),
            container=Container(row.format),
            audio_only=row.audio_only,
            playlist_items=row.playlist_items,
        ),
    )


def _percent(update: ProgressUpdate) -> float:
    share = update.fraction or 0.0
    if update.playlist_count and update.playlist_index:
        return 100.0 * ((update.playlist_index - 1) + share) / update.playlist_count
    return 100.0 * share


def _library_files(result: DownloadResult, library: Path) -> list[dict[str, Any]]:
    """What landed, relative to the library."""
    root = library.resolve()
    return [
        {
            "path": path.resolve().relative_to(root).as_posix(),
            "size_bytes": path.stat().st_size if path.exists() else 0,
        }
        for path in result.files
    ]
