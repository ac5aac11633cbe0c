"""What a job needs from the process it runs in.

Jobs run in the queue's worker threads, each in an event loop of its own, so they open
their own database engine (async engines belong to one loop) and reach socket.io through
an emitter that is safe to use from any loop (`LoopHopEmitter` inside `medianest serve`,
the write-only Redis emitter in `medianest worker`).
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.db.engine import after_commit, create_engine, create_sessionmaker, dispose_engine
from medianest.jobs.queue import JobQueue, worker_id
from medianest.realtime.emitter import Emitter
from medianest.settings import Settings

JOB_POOL_SIZE = 2


class LoopHopEmitter(Emitter):
    """Emits through another event loop's emitter (the socket.io server's, which only
    works on its own loop) from a job's loop in a worker thread."""

    def __init__(self, inner: Emitter, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(timeout_seconds=5.0)
        self._inner = inner
        self._loop = loop

    async def _send(
        self, event: str, payload: dict[str, Any], *, namespace: str, room: str | None
    ) -> None:
        sent = self._inner.emit(event, payload, namespace=namespace, room=room)
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(sent, self._loop))


@dataclass(slots=True)
class JobContext:
    settings: Settings
    make_emitter: Callable[[], Emitter]
    """An emitter for one job run; async clients belong to the loop that made them."""
    worker: str = field(default_factory=worker_id)
    queue: JobQueue | None = None
    """Set once the queue exists (it is built from the tasks that hold this context)."""
    consuming: bool = False
    """Whether this process runs a consumer of the queue (and so sends its heartbeat)."""

    async def enqueue(self, name: str, *args: Any, delay_seconds: float | None = None) -> None:
        """Put a job on the queue; the queue's storage blocks, so it is written from a thread."""
        queue = self.queue
        if queue is None:
            raise RuntimeError("the job queue is not running in this process")
        await asyncio.to_thread(queue.enqueue, name, *args, delay_seconds=delay_seconds)

    def enqueue_after_commit(self, session: AsyncSession, name: str, *args: Any) -> None:
        """Enqueue once `session`'s unit of work commits, never when it rolls back: a job must
        not look for a row that was not written."""

        async def send() -> None:
            await self.enqueue(name, *args)

        after_commit(session, send)

    @asynccontextmanager
    async def emitter(self) -> AsyncIterator[Emitter]:
        emitter = self.make_emitter()
        try:
            yield emitter
        finally:
            await emitter.aclose()

    @asynccontextmanager
    async def database(self) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        """A small engine for one job run, in the job's own event loop."""
        engine = create_engine(
            self.settings.sqlalchemy_url,
            pool_size=JOB_POOL_SIZE,
            timeout_seconds=self.settings.database_timeout_seconds,
        )
        try:
            yield create_sessionmaker(engine)
        finally:
            await dispose_engine(engine)
