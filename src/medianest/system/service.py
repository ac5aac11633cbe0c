"""Health checks of MediaNest's own dependencies, and the doctor's daily check."""

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from medianest import __version__
from medianest.db import migrate
from medianest.integrations.overseerr.client import OverseerrClient
from medianest.integrations.plex.client import PlexServerClient
from medianest.integrations.ytdlp.runtime import challenge_solver, ytdlp_version
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError
from medianest.kit.logging import mask_url_password
from medianest.system.schemas import (
    CheckResult,
    DependencyHealth,
    DependencyStatus,
    HealthReport,
    LivenessRead,
    OverallStatus,
)

ObservedHealth = Callable[[], Awaitable[Mapping[str, DependencyHealth]]]
"""The integrations' health as last observed, by service name."""


def uptime_seconds(started_at: float, *, now: datetime) -> float:
    """Seconds since this server process started serving (`AppState.started_at`): the one
    uptime `/health` and `/admin/stats` both tell."""
    return round(now.timestamp() - started_at, 3)


def liveness(started_at: float) -> LivenessRead:
    """What `GET /health` answers: the process is up, since `started_at`."""
    now = utc_now()
    return LivenessRead(
        version=__version__, uptime_seconds=uptime_seconds(started_at, now=now), timestamp=now
    )


class HealthService:
    """Probes the database and Redis, each bounded by a timeout so a check never hangs."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        redis: Redis | None,
        started_at: float,
        timeout_seconds: float,
        plex: PlexServerClient | None = None,
        overseerr: OverseerrClient | None = None,
    ) -> None:
        self._engine = engine
        self._redis = redis
        self._plex = plex
        self._overseerr = overseerr
        self._started_at = started_at
        self._timeout = timeout_seconds

    def liveness(self) -> LivenessRead:
        return liveness(self._started_at)

    async def report(self, *, observed: ObservedHealth | None = None) -> HealthReport:
        """Every dependency checked now; or, given `observed`, the database and Redis now and
        the configured integrations (Plex, Overseerr) as `observed` says the periodic check
        last found them, so that a caller never makes MediaNest call them."""
        database, redis = await asyncio.gather(self.check_database(), self.check_redis())
        if observed is None:
            plex, overseerr = await asyncio.gather(self.check_plex(), self.check_overseerr())
        else:
            seen = await observed() if database.status is DependencyStatus.UP else {}
            plex = self._as_observed(self._plex, seen.get("plex"))
            overseerr = self._as_observed(self._overseerr, seen.get("overseerr"))
        if database.status is DependencyStatus.DOWN:
            status = OverallStatus.UNHEALTHY
        elif DependencyStatus.DOWN in (redis.status, plex.status, overseerr.status):
            status = OverallStatus.DEGRADED
        else:
            status = OverallStatus.HEALTHY
        live = self.liveness()
        return HealthReport(
            status=status,
            version=live.version,
            uptime_seconds=live.uptime_seconds,
            timestamp=live.timestamp,
            services={
                "database": database,
                "redis": redis,
                "plex": plex,
                "overseerr": overseerr,
            },
        )

    @staticmethod
    def _as_observed(client: object | None, seen: DependencyHealth | None) -> DependencyHealth:
        if client is None:
            return DependencyHealth(status=DependencyStatus.NOT_CONFIGURED)
        return seen or DependencyHealth(status=DependencyStatus.UNKNOWN)

    async def check_database(self) -> DependencyHealth:
        async def select_one() -> None:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        return await self._probe(select_one)

    async def check_redis(self) -> DependencyHealth:
        if self._redis is None:
            return DependencyHealth(status=DependencyStatus.NOT_CONFIGURED)
        redis = self._redis

        async def ping() -> None:
            await redis.ping()

        return await self._probe(ping)

    async def check_plex(self) -> DependencyHealth:
        return await self._probe_service(self._plex.ping if self._plex else None)

    async def check_overseerr(self) -> DependencyHealth:
        return await self._probe_service(self._overseerr.ping if self._overseerr else None)

    async def _probe_service(
        self, ping: Callable[[], Awaitable[object]] | None
    ) -> DependencyHealth:
        """An optional integration: not configured, or up when `ping` succeeds."""
        if ping is None:
            return DependencyHealth(status=DependencyStatus.NOT_CONFIGURED)

        async def check() -> None:
            try:
                await ping()
            except AppError as exc:  # our message, never a URL or token
                raise CheckFailedError(exc.message) from None

        return await self._probe(check)

    async def check_schema(self) -> CheckResult:
        """Is the database at the newest migration? (`serve` migrates; workers do not.)"""
        head = migrate.head_revision()
        try:
            current = await asyncio.wait_for(
                migrate.current_revision(self._engine), timeout=self._timeout
            )
        except Exception as exc:
            return CheckResult(name="schema", ok=False, detail=f"cannot read: {_describe(exc)}")
        if current == head:
            return CheckResult(name="schema", ok=True, detail=f"at the newest migration ({head})")
        detail = f"at {current or 'no migration'}, newest is {head}: run `medianest migrate`"
        return CheckResult(name="schema", ok=False, detail=detail)

    async def _probe(self, check: Callable[[], Awaitable[None]]) -> DependencyHealth:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(check(), timeout=self._timeout)
        except TimeoutError:
            return DependencyHealth(
                status=DependencyStatus.DOWN, message=f"no answer within {self._timeout:g}s"
            )
        except Exception as exc:
            return DependencyHealth(
                status=DependencyStatus.DOWN, message=mask_url_password(_describe(exc))
            )
        return DependencyHealth(
            status=DependencyStatus.UP,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )


class CheckFailedError(Exception):
    """A check failed for a reason already worded for people."""


def _describe(exc: BaseException) -> str:
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    if isinstance(root, CheckFailedError):
        return str(root)
    text_ = str(root).strip().splitlines()[0] if str(root).strip() else ""
    return f"{type(root).__name__}: {text_}" if text_ else type(root).__name__


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


async def run_doctor(
    health: HealthService, *, data_dir: Path, min_free_disk_bytes: int
) -> list[CheckResult]:
    """The runbook's daily check. Each result says what was checked and what was found."""
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
        check_data_dir_writable(data_dir),
        check_free_disk(data_dir, minimum_bytes=min_free_disk_bytes),
        await asyncio.to_thread(check_ytdlp),
    ]
