"""The durable job queue, on huey.

Embedded: `SqliteHuey` keeps the queue in the data dir (never a served folder) and
`medianest serve` runs the consumer's threads itself. With `REDIS_URL`: `RedisHuey`, and
`medianest worker` runs consumers on any host. Jobs are enqueued by name, carry only ids,
and reload their state from the database, so running one twice is harmless.
"""

import logging
import os
import socket
from collections.abc import Callable, Mapping
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer

from medianest.settings import Settings

QUEUE_FILE = "queue.sqlite3"

TaskFunction = Callable[..., None]


def worker_id() -> str:
    """Who holds a job's lease: unique per process, readable in the database."""
    return f"{socket.gethostname()}:{os.getpid()}"


class JobQueue:
    def __init__(self, huey: Huey, tasks: Mapping[str, TaskFunction]) -> None:
        self.huey = huey
        self._tasks: dict[str, TaskWrapper] = {
            name: huey.task(name=name)(function) for name, function in tasks.items()
        }

    @classmethod
    def from_settings(cls, settings: Settings, tasks: Mapping[str, TaskFunction]) -> "JobQueue":
        huey: Huey
        if settings.redis_url:
            huey = RedisHuey(
                name=f"{settings.redis_key_prefix}queue", url=settings.redis_url, utc=True
            )
        else:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            huey = SqliteHuey(name="medianest", filename=str(settings.data_dir / QUEUE_FILE))
        return cls(huey, tasks)

    def enqueue(self, name: str, *args: Any, delay_seconds: float | None = None) -> None:
        task = self._tasks[name]
        if delay_seconds:
            task.schedule(args=args, delay=delay_seconds)
        else:
            task(*args)

    def consumer(self, *, workers: int) -> Consumer:
        """A consumer for `medianest worker`: it owns the process and its signals."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=False)

    def embedded_consumer(self, *, workers: int) -> "EmbeddedConsumer":
        return EmbeddedConsumer(
            self.huey, workers=workers, worker_type="thread", periodic=False, initial_delay=0.1
        )

    def close(self) -> None:
        self.huey.storage.close()


class EmbeddedConsumer(Consumer):  # type: ignore[misc]  # huey is untyped
    """A consumer living inside `medianest serve`: uvicorn keeps its signal handlers."""

    def _set_signal_handlers(self) -> None:
        logging.getLogger("huey").debug("signals stay with the server process")
