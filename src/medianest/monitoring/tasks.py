"""The periodic service check, and the queue heartbeat of processes that consume jobs."""

from medianest.db.engine import unit_of_work
from medianest.jobs.heartbeat import beat
from medianest.jobs.periodic import PeriodicJob
from medianest.monitoring.checks import ServiceProbes
from medianest.monitoring.service import CheckRecorder
from medianest.runtime.state import AppState
from medianest.system.wiring import health_service

HEARTBEAT_MAX_SECONDS = 10.0
HEARTBEATS_MISSED = 3
"""A worker is presumed gone after missing this many heartbeats."""


def service_probes(state: AppState) -> ServiceProbes:
    """The probes with this process's resources and its current settings."""
    return ServiceProbes(
        health=health_service(state),
        cache=state.cache,
        sessionmaker=state.sessionmaker,
        settings=state.settings,
    )


def service_check_job(state: AppState) -> PeriodicJob:
    """Check every service and add the results to the history, in every process that runs
    periodic jobs. Integrations are looked up at each run: settings change at runtime."""

    async def run() -> int:
        outcomes = await service_probes(state).check_all()
        async with unit_of_work(state.sessionmaker) as session:
            changes = await CheckRecorder(session, state.emitter).record(outcomes)
        return len(changes)

    return PeriodicJob(
        name="monitoring.check_services",
        interval_seconds=state.settings.service_check_seconds,
        run=run,
        run_at_start=True,
    )


def queue_heartbeat_job(state: AppState) -> PeriodicJob:
    """While this process consumes jobs, say so (the queue check looks for it)."""
    interval = min(HEARTBEAT_MAX_SECONDS, state.settings.service_check_seconds)

    async def run() -> bool:
        jobs = state.jobs
        if jobs is None or not jobs.consuming:
            return False
        await beat(state.cache, jobs.worker, ttl_seconds=interval * HEARTBEATS_MISSED)
        return True

    return PeriodicJob(
        name="queue.heartbeat", interval_seconds=interval, run=run, run_at_start=True
    )
