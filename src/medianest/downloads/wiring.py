"""The downloads domain's service and runner made from the process's resources: the routes,
the queue's jobs and the periodic recovery build them here, and enqueue through the process's
`JobContext` alone."""

from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.downloads.events import DownloadEventPublisher
from medianest.downloads.runner import DownloadRunner, RunnerConfig
from medianest.downloads.service import DownloadService
from medianest.integrations.ytdlp.client import YtDlpClient, find_ffmpeg
from medianest.integrations.ytdlp.presets import Quality
from medianest.jobs.context import JobContext
from medianest.kit.errors import ServiceUnavailableError
from medianest.notifications.service import NotificationService
from medianest.realtime.emitter import Emitter
from medianest.runtime.state import AppState
from medianest.settings import Settings


def download_service(session: AsyncSession, state: AppState) -> DownloadService:
    jobs = state.jobs
    if jobs is None:
        raise ServiceUnavailableError("The download queue is not running.")
    settings = state.settings
    return DownloadService(
        session,
        YtDlpClient.from_settings(settings),
        jobs,
        default_quality=Quality(settings.youtube_default_quality),
    )


def download_runner(
    jobs: JobContext, sessionmaker: async_sessionmaker[AsyncSession], emitter: Emitter
) -> DownloadRunner:
    """A runner with the settings in force now (admins may have changed them)."""
    return DownloadRunner(
        sessionmaker,
        runner_config(jobs.settings, jobs.worker),
        DownloadEventPublisher(emitter),
        jobs,
        partial(NotificationService, emitter=emitter),
    )


def runner_config(settings: Settings, worker: str) -> RunnerConfig:
    return RunnerConfig(
        worker=worker,
        library_dir=settings.youtube_library_path,
        allowed_hosts=frozenset(settings.youtube_allowed_hosts),
        ffmpeg=find_ffmpeg(settings.ffmpeg_path),
        max_concurrent=settings.max_concurrent_downloads,
        lease_seconds=settings.download_lease_seconds,
        progress_per_second=settings.realtime_progress_per_second,
    )
