"""Table of contents of what runs besides the web API: every domain's queue tasks, periodic
jobs and start-up hooks, in one place. Servers, workers and commands use it; it loads no
HTTP code, so workers and commands start without the web app.
"""

from collections.abc import Awaitable, Callable

from medianest.auth.tasks import principal_cache_listener_job
from medianest.downloads.tasks import download_tasks, recovery_job
from medianest.jobs.context import JobContext
from medianest.jobs.periodic import PeriodicJob
from medianest.jobs.queue import TaskFunction
from medianest.media_requests.tasks import reconciliation_job
from medianest.monitoring.tasks import queue_heartbeat_job, service_check_job
from medianest.operations.tasks import backup_job, maintenance_job
from medianest.runtime.state import AppState
from medianest.system_config.tasks import (
    load_stored_settings,
    settings_listener_job,
    settings_refresh_job,
)

PERIODIC_JOBS: tuple[Callable[[AppState], PeriodicJob], ...] = (
    reconciliation_job,
    recovery_job,
    queue_heartbeat_job,
    service_check_job,
    backup_job,
    maintenance_job,
    settings_refresh_job,
    settings_listener_job,
    principal_cache_listener_job,
)
"""Started by every server and worker process, on the timers their settings give."""

STARTUP_HOOKS: tuple[Callable[[AppState], Awaitable[None]], ...] = (load_stored_settings,)
"""Awaited in order once a server's state is built, before it starts anything else."""

TASKS: tuple[Callable[[JobContext], dict[str, TaskFunction]], ...] = (download_tasks,)
"""Each domain's queue jobs, registered by name in every process that runs the queue."""
