"""The downloads domain's jobs, as the queue runs them (by name, with an id)."""

import asyncio
import uuid

import structlog

from medianest.downloads.handoff import hand_to_plex
from medianest.downloads.schemas import HAND_TO_PLEX, RUN
from medianest.downloads.wiring import download_runner
from medianest.jobs.context import JobContext
from medianest.jobs.periodic import PeriodicJob
from medianest.jobs.queue import TaskFunction
from medianest.runtime.state import AppState

logger = structlog.get_logger(__name__)


def download_tasks(context: JobContext) -> dict[str, TaskFunction]:
    """The functions the queue's workers call; each runs in an event loop of its own."""

    async def run(download_id: uuid.UUID) -> None:
        async with context.database() as sessionmaker, context.emitter() as emitter:
            await download_runner(context, sessionmaker, emitter).run(download_id)

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
        jobs = state.jobs
        if jobs is None:
            return 0
        return await download_runner(jobs, state.sessionmaker, state.emitter).recover()

    return PeriodicJob(
        name="downloads.recover",
        interval_seconds=state.settings.download_lease_seconds,
        run=run,
        run_at_start=True,
    )
