"""Periodic jobs inside the server process: each runs on its own timer, one run at a time.

A failing run is logged and the next one happens on schedule. Jobs must be idempotent:
with several server processes, each runs them.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from medianest.kit.tasks import cancel_and_wait

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]
    run_at_start: bool = False


class PeriodicRunner:
    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, job: PeriodicJob) -> None:
        self._tasks.append(asyncio.create_task(self._loop(job), name=f"periodic:{job.name}"))

    async def _loop(self, job: PeriodicJob) -> None:
        if not job.run_at_start:
            await asyncio.sleep(job.interval_seconds)
        while True:
            try:
                result = await job.run()
            except Exception:
                logger.exception("periodic.failed", job=job.name)
            else:
                logger.debug("periodic.ran", job=job.name, result=result)
            await asyncio.sleep(job.interval_seconds)

    async def aclose(self) -> None:
        await asyncio.gather(*(cancel_and_wait(task) for task in self._tasks))
        self._tasks.clear()
