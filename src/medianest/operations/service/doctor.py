"""`medianest doctor`, the runbook's daily check: MediaNest's dependencies, its data dir,
yt-dlp, the newest backup, recent errors, the worker and the shared secrets, each result
saying what was checked and what was found."""

import asyncio
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.cache.cache import Cache
from medianest.db.engine import read_only_session
from medianest.diagnostics.schemas import ErrorSource
from medianest.diagnostics.service.error_reports import ErrorReportService
from medianest.integrations.ytdlp.runtime import challenge_solver, ytdlp_version
from medianest.jobs.heartbeat import last_beat
from medianest.kit.clock import utc_now
from medianest.kit.logging import failure_line
from medianest.monitoring.service import ServiceStatusService
from medianest.operations.archive import newest_backup
from medianest.operations.installation import InstallationSecrets
from medianest.operations.repository import MaintenanceRepository
from medianest.settings import Settings
from medianest.system.schemas import CheckResult, DependencyHealth, DependencyStatus
from medianest.system.service import HealthService

RECENT_ERRORS_HOURS = 24
RECENT_SERVER_ERRORS_LIMIT = 10
"""The daily check flags more unexpected server errors than this in the last 24 hours: a few
are noise (a client hanging up), a steady stream means something is broken."""
STALE_QUEUE_HOURS = 1.0
"""Without Redis the server runs downloads itself: one waiting this long means it is not."""


class DoctorService:
    """Every check of `medianest doctor`, in the order it prints them."""

    def __init__(
        self,
        *,
        settings: Settings,
        health: HealthService,
        sessionmaker: async_sessionmaker[AsyncSession],
        cache: Cache,
        shared_cache: bool,
        secrets: InstallationSecrets,
    ) -> None:
        self._settings = settings
        self._health = health
        self._sessionmaker = sessionmaker
        self._cache = cache
        self._shared_cache = shared_cache
        self._secrets = secrets

    async def run(self) -> list[CheckResult]:
        return [*await self._installation_checks(), *await self._operations_checks()]

    async def _installation_checks(self) -> list[CheckResult]:
        """The dependencies, the data dir and yt-dlp."""
        health, settings = self._health, self._settings
        database, schema, redis, plex, overseerr = await asyncio.gather(
            health.check_database(),
            health.check_schema(),
            health.check_redis(),
            health.check_plex(),
            health.check_overseerr(),
        )
        return [
            dependency_check("database", database),
            schema,
            dependency_check("redis", redis),
            dependency_check("plex", plex),
            dependency_check("overseerr", overseerr),
            check_data_dir_writable(settings.data_dir),
            check_free_disk(settings.data_dir, minimum_bytes=settings.min_free_disk_bytes),
            await asyncio.to_thread(check_ytdlp),
        ]

    async def _operations_checks(self) -> list[CheckResult]:
        """The newest backup, recent errors, the worker and the shared secrets."""
        settings, sessionmaker = self._settings, self._sessionmaker
        now = utc_now()
        backup = backup_check(
            settings.backup_path,
            max_age_hours=settings.backup_max_age_hours,
            now=now,
            data_since=await data_since(sessionmaker),
        )
        return [
            backup,
            await recent_errors_check(sessionmaker, now=now),
            await worker_check(sessionmaker, self._cache, shared=self._shared_cache, now=now),
            await self._secrets.check(),
        ]


def check_data_dir_writable(data_dir: Path) -> CheckResult:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return CheckResult(name="data_dir", ok=False, detail=f"{data_dir}: not writable ({exc})")
    return CheckResult(name="data_dir", ok=True, detail=f"{data_dir.resolve()} is writable")


def check_free_disk(data_dir: Path, *, minimum_bytes: int) -> CheckResult:
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError as exc:
        return CheckResult(name="disk", ok=False, detail=f"cannot read free space ({exc})")
    detail = f"{free / 2**30:.1f} GiB free in {data_dir} (minimum {minimum_bytes / 2**30:.1f} GiB)"
    return CheckResult(name="disk", ok=free >= minimum_bytes, detail=detail)


def check_ytdlp() -> CheckResult:
    """yt-dlp and the JavaScript runtime it needs for YouTube (deno with yt-dlp-ejs)."""
    solver = challenge_solver()
    detail = f"yt-dlp {ytdlp_version()}; {solver.describe()}"
    return CheckResult(name="ytdlp", ok=solver.ready, detail=detail)


def dependency_check(name: str, health: DependencyHealth) -> CheckResult:
    if health.status is DependencyStatus.NOT_CONFIGURED:
        return CheckResult(name=name, ok=True, detail="not configured")
    if health.status is DependencyStatus.UP:
        return CheckResult(name=name, ok=True, detail=f"up ({health.latency_ms} ms)")
    return CheckResult(name=name, ok=False, detail=f"down: {health.message}")


def backup_check(
    folder: Path, *, max_age_hours: float, now: datetime, data_since: datetime | None
) -> CheckResult:
    """The newest backup must exist, be young enough, and have passed verification.

    `data_since` (when the first account was made; None: no account yet) gives a new
    installation its grace period: no backup is missing while its data is younger than
    BACKUP_MAX_AGE_HOURS, the same age the newest backup may have.
    """
    newest = newest_backup(folder)
    if newest is None:
        return _no_backup_yet(folder, max_age_hours=max_age_hours, now=now, data_since=data_since)
    hours = (now - newest.created_at).total_seconds() / 3600
    described = f"{newest.path.name}, {hours:.1f} h old"
    verification = newest.verification
    if verification is None:
        detail = f"{described}, not verified: run `medianest verify-backup`"
        return CheckResult(name="backup", ok=False, detail=detail)
    if not verification.ok:
        detail = f"{described}, FAILED verification: {verification.error}"
        return CheckResult(name="backup", ok=False, detail=detail)
    if hours > max_age_hours:
        detail = f"{described}: older than {max_age_hours:g} h (BACKUP_MAX_AGE_HOURS)"
        return CheckResult(name="backup", ok=False, detail=detail)
    return CheckResult(
        name="backup",
        ok=True,
        detail=f"{described}, verified {verification.checked_at:%Y-%m-%d %H:%M} UTC",
    )


def _no_backup_yet(
    folder: Path, *, max_age_hours: float, now: datetime, data_since: datetime | None
) -> CheckResult:
    if data_since is None:
        detail = (
            f"no backup yet in {folder}, and nothing to lose: no account exists yet (a running "
            "server takes the first backup within the hour)"
        )
        return CheckResult(name="backup", ok=True, detail=detail)
    hours = (now - data_since).total_seconds() / 3600
    if hours <= max_age_hours:
        detail = (
            f"no backup yet in {folder}; the first account is {hours:.1f} h old, within the "
            f"{max_age_hours:g} h a backup may be old (BACKUP_MAX_AGE_HOURS): a running server "
            "takes the first one within the hour, or run `medianest backup`"
        )
        return CheckResult(name="backup", ok=True, detail=detail)
    detail = (
        f"no backup yet in {folder}, and the first account is {hours:.1f} h old (more than "
        f"BACKUP_MAX_AGE_HOURS={max_age_hours:g}): run `medianest backup`"
    )
    return CheckResult(name="backup", ok=False, detail=detail)


async def data_since(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """When the installation's first account was made (None: none yet). A database that
    cannot be read counts as holding old data, so the backup check stays strict."""
    try:
        async with read_only_session(sessionmaker) as session:
            return await MaintenanceRepository(session).first_account_created_at()
    except Exception:  # the database check reports why
        return datetime.min.replace(tzinfo=UTC)


async def worker_check(
    sessionmaker: async_sessionmaker[AsyncSession], cache: Cache, *, shared: bool, now: datetime
) -> CheckResult:
    """Will queued downloads run? With Redis a `medianest worker` (or a server with
    EMBEDDED_WORKER=true) must be beating; without it the server runs them itself, so only
    downloads left waiting for an hour say the server is not running. `shared`: the cache
    is Redis, where every worker's heartbeat is."""
    try:
        async with read_only_session(sessionmaker) as session:
            waiting, oldest = await ServiceStatusService(session).queue_backlog()
        heartbeat = await last_beat(cache) if shared else None
    except Exception as exc:
        detail = f"cannot read the queue: {failure_line(exc)}"
        return CheckResult(name="worker", ok=False, detail=detail)
    backlog = f"{waiting} download(s) waiting"
    if not shared:
        age_hours = 0.0 if oldest is None else (now - oldest).total_seconds() / 3600
        if age_hours >= STALE_QUEUE_HOURS:
            detail = f"{backlog}, the oldest for {age_hours:.1f} h: is `medianest serve` running?"
            return CheckResult(name="worker", ok=False, detail=detail)
        return CheckResult(name="worker", ok=True, detail=f"{backlog}; run by `medianest serve`")
    if heartbeat is None:
        detail = (
            f"{backlog} and no worker has reported in: run `medianest worker` "
            "(or set EMBEDDED_WORKER=true on a server)"
        )
        return CheckResult(name="worker", ok=False, detail=detail)
    return CheckResult(name="worker", ok=True, detail=f"{backlog}; worker {heartbeat.worker}")


async def recent_errors_check(
    sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime
) -> CheckResult:
    """Unexpected server errors recorded in the last day (browser reports are shown too)."""
    since = now - timedelta(hours=RECENT_ERRORS_HOURS)
    try:
        async with read_only_session(sessionmaker) as session:
            reports = ErrorReportService(session)
            server = await reports.count_since(since, source=ErrorSource.SERVER)
            client = await reports.count_since(since, source=ErrorSource.CLIENT)
    except Exception as exc:
        detail = f"cannot read error reports: {failure_line(exc)}"
        return CheckResult(name="errors", ok=False, detail=detail)
    detail = (
        f"{server} unexpected server errors and {client} browser reports in the last "
        f"{RECENT_ERRORS_HOURS} h"
    )
    if server > RECENT_SERVER_ERRORS_LIMIT:
        detail += f" (more than {RECENT_SERVER_ERRORS_LIMIT}: see GET /api/v1/errors/recent)"
    return CheckResult(name="errors", ok=server <= RECENT_SERVER_ERRORS_LIMIT, detail=detail)
