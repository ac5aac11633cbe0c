"""Periodic jobs inside the server process: each runs on its own timer, one run at a time.

A failing run is logged and the next one happens on schedule. Jobs must be idempotent:
with several server processes, each runs them.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from medianest.kit.tasks import cancel_and_wait

logger = structlog.get_logger(__name__)


STOP_GRACE_SECONDS = 5.0
"""How long stopping waits for a run in progress to end before cancelling it."""


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]
    run_at_start: bool = False
    listens: bool = False
    """The run follows a subscription until cancelled: stopping cancels it at once."""


class PeriodicRunner:
    def __init__(self) -> None:
        self._tasks: list[tuple[PeriodicJob, asyncio.Task[None]]] = []
        self._stopping = asyncio.Event()

    def start(self, job: PeriodicJob) -> None:
        task = asyncio.create_task(self._loop(job), name=f"periodic:{job.name}")
        self._tasks.append((job, task))

    async def _loop(self, job: PeriodicJob) -> None:
        if not job.run_at_start and await self._stops_within(job.interval_seconds):
            return
        while True:
            try:
                result = await job.run()
            except Exception:
                logger.exception("periodic.failed", job=job.name)
            else:
                logger.debug("periodic.ran", job=job.name, result=result)
            if await self._stops_within(job.interval_seconds):
                return

    async def _stops_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()

    async def aclose(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Stop every job. A run in progress may finish first (up to `grace_seconds`):
        cancelled mid-statement, a run would leave its database connection to be torn down
        while the process stops. Listeners are cancelled at once."""
        self._stopping.set()
        listeners = [task for job, task in self._tasks if job.listens]
        await asyncio.gather(*(cancel_and_wait(task) for task in listeners))
        running = [task for job, task in self._tasks if not job.listens and not task.done()]
        if running:
            _done, late = await asyncio.wait(running, timeout=grace_seconds)
            await asyncio.gather(*(cancel_and_wait(task) for task in late))
        self._tasks.clear()
