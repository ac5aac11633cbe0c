"""Health checks of MediaNest's own dependencies (the doctor's daily check is in
`operations.service.doctor`)."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from medianest import __version__
from medianest.db import revision
from medianest.integrations.overseerr.client import OverseerrClient
from medianest.integrations.plex.client import PlexServerClient
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError
from medianest.kit.logging import failure_line
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
        head = revision.HEAD_REVISION
        try:
            current = await asyncio.wait_for(
                revision.current_revision(self._engine), timeout=self._timeout
            )
        except Exception as exc:
            detail = f"cannot read: {failure_line(exc, bare=(CheckFailedError,))}"
            return CheckResult(name="schema", ok=False, detail=detail)
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
                status=DependencyStatus.DOWN, message=failure_line(exc, bare=(CheckFailedError,))
            )
        return DependencyHealth(
            status=DependencyStatus.UP,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )


class CheckFailedError(Exception):
    """A check failed for a reason already worded for people."""
