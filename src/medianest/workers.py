"""Starting the job queue in a process: inside `medianest serve` (the embedded shape), or as
`medianest worker` on any host that shares the database and Redis."""

import asyncio
import threading
from collections.abc import Callable

import structlog

from medianest import registry
from medianest.jobs.context import JobContext, LoopHopEmitter
from medianest.jobs.periodic import PeriodicRunner
from medianest.jobs.queue import EmbeddedConsumer, JobQueue
from medianest.realtime.config import RealtimeConfig
from medianest.realtime.emitter import Emitter, create_worker_emitter
from medianest.runtime.state import AppState
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

STARTUP_HOOKS_SECONDS = 60.0


def build_jobs(
    settings: Settings, make_emitter: Callable[[], Emitter]
) -> tuple[JobContext, JobQueue]:
    """The job context and its queue, every domain's tasks registered by name."""
    context = JobContext(settings, make_emitter)
    tasks = {}
    for domain_tasks in registry.TASKS:
        tasks.update(domain_tasks(context))
    context.queue = queue = JobQueue.from_settings(settings, tasks)
    return context, queue


def start_embedded(state: AppState) -> EmbeddedConsumer | None:
    """Give this server process the queue; run its consumer here in the embedded shape."""
    loop = asyncio.get_running_loop()
    state.jobs, queue = build_jobs(state.settings, lambda: LoopHopEmitter(state.emitter, loop))
    if not state.settings.runs_embedded_worker:
        return None
    consumer = queue.embedded_consumer(workers=state.settings.max_concurrent_downloads)
    consumer.start()
    state.jobs.consuming = True
    logger.info("jobs.consumer_started", workers=state.settings.max_concurrent_downloads)
    return consumer


def stop_embedded(state: AppState, consumer: EmbeddedConsumer | None) -> None:
    """Stop taking jobs. A download still running is abandoned: its lease runs out and the
    next process to start (or any worker) queues it again."""
    if consumer is not None:
        consumer.stop(graceful=False)
    if state.queue is not None:
        state.queue.close()


def run_worker(settings: Settings, state: AppState, *, workers: int) -> None:
    """`medianest worker`: consume jobs until SIGINT/SIGTERM; periodic jobs in a thread."""
    config = RealtimeConfig.from_settings(settings)
    context, queue = build_jobs(settings, lambda: create_worker_emitter(config))
    context.consuming = True
    state.jobs = context
    ready = threading.Event()
    periodic = threading.Thread(target=_run_periodic, args=(state, ready), daemon=True)
    periodic.start()
    ready.wait(timeout=STARTUP_HOOKS_SECONDS)  # the stored settings, before the first job
    logger.info("jobs.worker_started", workers=workers, worker=context.worker)
    queue.consumer(workers=workers).run()


def _run_periodic(state: AppState, ready: threading.Event) -> None:
    async def forever() -> None:
        for hook in registry.STARTUP_HOOKS:
            await hook(state)
        ready.set()
        runner = PeriodicRunner()
        for job in registry.PERIODIC_JOBS:
            runner.start(job(state))
        await asyncio.Event().wait()

    asyncio.run(forever())
