"""The downloads domain's jobs, as the queue runs them (by name, with an id)."""

import asyncio
import uuid
from functools import partial

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.downloads.events import DownloadEvents
from medianest.downloads.handoff import hand_to_plex
from medianest.downloads.runner import DownloadRunner, RunnerConfig
from medianest.downloads.schemas import HAND_TO_PLEX, RUN
from medianest.http.state import AppState
from medianest.integrations.ytdlp.client import find_ffmpeg
from medianest.jobs.context import JobContext
from medianest.jobs.periodic import PeriodicJob
from medianest.jobs.queue import TaskFunction, worker_id
from medianest.notifications.service import NotificationService
from medianest.realtime.emitter import Emitter
from medianest.settings import Settings

logger = structlog.get_logger(__name__)


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


def _runner(
    context: JobContext, sessionmaker: async_sessionmaker[AsyncSession], emitter: Emitter
) -> DownloadRunner:
    async def enqueue(download_id: uuid.UUID, delay_seconds: float | None = None) -> None:
        await context.enqueue(RUN, str(download_id), delay_seconds=delay_seconds)

    async def after_download(download_id: uuid.UUID) -> None:
        await context.enqueue(HAND_TO_PLEX, str(download_id), 0)

    return DownloadRunner(
        sessionmaker,
        runner_config(context.settings, context.worker),
        DownloadEvents(emitter),
        enqueue,
        partial(NotificationService, emitter=emitter),
        after_download=after_download,
    )


def download_tasks(context: JobContext) -> dict[str, TaskFunction]:
    """The functions the queue's workers call; each runs in an event loop of its own."""

    async def run(download_id: uuid.UUID) -> None:
        async with context.database() as sessionmaker, context.emitter() as emitter:
            await _runner(context, sessionmaker, emitter).run(download_id)

    async def hand_over(download_id: uuid.UUID, attempt: int) -> None:
        async with context.database() as sessionmaker:
            again = await hand_to_plex(context.settings, sessionmaker, download_id, attempt)
        if again is not None:
            await context.enqueue(HAND_TO_PLEX, str(download_id), attempt + 1, delay_seconds=again)

    def run_task(download_id: str) -> None:
        asyncio.run(run(uuid.UUID(download_id)))

    def hand_over_task(download_id: str, attempt: int) -> None:
        asyncio.run(hand_over(uuid.UUID(download_id), attempt))

    return {RUN: run_task, HAND_TO_PLEX: hand_over_task}


def recovery_job(state: AppState) -> PeriodicJob:
    """Requeue downloads whose worker died; every lease period, in every process that runs
    periodic jobs (servers and workers)."""

    async def run() -> int:
        queue = state.queue
        if queue is None:
            return 0

        async def enqueue(download_id: uuid.UUID, delay_seconds: float | None = None) -> None:
            queue.enqueue(RUN, str(download_id), delay_seconds=delay_seconds)

        runner = DownloadRunner(
            state.sessionmaker,
            runner_config(state.settings, worker_id()),
            DownloadEvents(state.emitter),
            enqueue,
            partial(NotificationService, emitter=state.emitter),
        )
        return await runner.recover()

    return PeriodicJob(
        name="downloads.recover",
        interval_seconds=state.settings.download_lease_seconds,
        run=run,
        run_at_start=True,
    )
