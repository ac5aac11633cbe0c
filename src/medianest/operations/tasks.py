"""The scheduled backup and the daily cleanup, as periodic jobs of every server and worker
process."""

import structlog

from medianest.db.engine import unit_of_work
from medianest.jobs.periodic import PeriodicJob
from medianest.kit.clock import utc_now
from medianest.operations.service.backups import BackupService
from medianest.operations.service.maintenance import MaintenanceService
from medianest.runtime.state import AppState

logger = structlog.get_logger(__name__)

MAX_CHECK_SECONDS = 3600.0
"""How often a process looks whether a backup is due: a restarted server still backs up on
time, and the first backup of a new installation comes within the hour."""


def backup_job(state: AppState) -> PeriodicJob:
    """Every BACKUP_INTERVAL_HOURS a verified backup; the newest archive's age decides, so
    several processes (or restarts) do not each take one."""
    interval_seconds = state.settings.backup_interval_hours * 3600

    async def run() -> str:
        if interval_seconds <= 0:
            return "scheduled backups are off"
        result = await BackupService(state.settings, state.engine).backup_if_due()
        if result is None:
            return "not due"
        verification = result.verification
        log = logger.info if verification is not None and verification.ok else logger.error
        log(
            "backup.scheduled",
            path=str(result.path),
            size_bytes=result.size_bytes,
            seconds=round(result.seconds, 2),
            verified=verification is not None and verification.ok,
            error=None if verification is None else verification.error,
            pruned=len(result.pruned),
        )
        return str(result.path)

    every = min(interval_seconds, MAX_CHECK_SECONDS) if interval_seconds > 0 else MAX_CHECK_SECONDS
    return PeriodicJob(name="operations.backup", interval_seconds=every, run=run)


MAINTENANCE_SECONDS = 24 * 3600.0


def maintenance_job(state: AppState) -> PeriodicJob:
    """`medianest cleanup` once a day, so history, reports and leftovers never pile up.

    Not at start: a server that restarts often must not clean up on every start. Every step
    only deletes what can never be used again, so processes running it at once is harmless.
    """

    async def run() -> str:
        async with unit_of_work(state.sessionmaker) as session:
            report = await MaintenanceService(session, state.settings).cleanup(now=utc_now())
        logger.info("maintenance.cleaned", **report.model_dump())
        return "cleaned"

    return PeriodicJob(name="operations.maintenance", interval_seconds=MAINTENANCE_SECONDS, run=run)
