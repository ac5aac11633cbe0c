"""The checks themselves: one probe per service, each bounded by a timeout and run side by
side, so one slow service never holds up the others. A probe that fails or runs out of time
is a `down` outcome, never an exception."""

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.cache.cache import Cache
from medianest.db.engine import read_only_session
from medianest.integrations.ytdlp.runtime import challenge_solver, ytdlp_version
from medianest.jobs.heartbeat import last_beat
from medianest.kit.clock import utc_now
from medianest.kit.logging import mask_url_password
from medianest.monitoring.repository import QueueBacklogRepository
from medianest.monitoring.schemas import (
    MAX_MESSAGE_LENGTH,
    CheckOutcome,
    ServiceName,
    ServiceState,
)
from medianest.settings import Settings
from medianest.system.schemas import DependencyHealth, DependencyStatus
from medianest.system.service import HealthService

CHECK_TIMEOUT_SECONDS = 10.0
GIB = 2**30

Probe = Callable[[], Awaitable[CheckOutcome]]


class ServiceProbes:
    def __init__(
        self,
        *,
        health: HealthService,
        cache: Cache,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        timeout_seconds: float = CHECK_TIMEOUT_SECONDS,
    ) -> None:
        self._health = health
        self._cache = cache
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._timeout = timeout_seconds

    async def check_all(self) -> list[CheckOutcome]:
        health, dependency = self._health, self._dependency
        probes: dict[ServiceName, Probe] = {
            ServiceName.DATABASE: dependency(ServiceName.DATABASE, health.check_database),
            ServiceName.REDIS: dependency(ServiceName.REDIS, health.check_redis),
            ServiceName.PLEX: dependency(ServiceName.PLEX, health.check_plex),
            ServiceName.OVERSEERR: dependency(ServiceName.OVERSEERR, health.check_overseerr),
            ServiceName.QUEUE: self.check_queue,
            ServiceName.DATA_DISK: self._disk(ServiceName.DATA_DISK, self._settings.data_dir),
            ServiceName.LIBRARY_DISK: self._disk(
                ServiceName.LIBRARY_DISK, self._settings.youtube_library_path
            ),
            ServiceName.YTDLP: self.check_ytdlp,
        }
        return list(
            await asyncio.gather(*(self._bounded(name, probe) for name, probe in probes.items()))
        )

    async def _bounded(self, service: ServiceName, probe: Probe) -> CheckOutcome:
        started = time.perf_counter()
        try:
            outcome = await asyncio.wait_for(probe(), timeout=self._timeout)
        except TimeoutError:
            return CheckOutcome(
                service, ServiceState.DOWN, message=f"no answer within {self._timeout:g}s"
            )
        except Exception as exc:
            return CheckOutcome(service, ServiceState.DOWN, message=describe(exc))
        if outcome.response_ms is not None or outcome.status is ServiceState.NOT_CONFIGURED:
            return outcome
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return CheckOutcome(
            service, outcome.status, outcome.message, response_ms=elapsed, details=outcome.details
        )

    @staticmethod
    def _dependency(
        service: ServiceName, check: Callable[[], Awaitable[DependencyHealth]]
    ) -> Probe:
        """A check of the health endpoint's, as an outcome."""

        async def probe() -> CheckOutcome:
            health = await check()
            if health.status is DependencyStatus.NOT_CONFIGURED:
                return CheckOutcome(service, ServiceState.NOT_CONFIGURED, message="not configured")
            status = ServiceState.UP if health.status is DependencyStatus.UP else ServiceState.DOWN
            return CheckOutcome(service, status, health.message, response_ms=health.latency_ms)

        return probe

    async def check_queue(self) -> CheckOutcome:
        """Degraded when downloads wait and no worker has sent a heartbeat lately."""
        async with read_only_session(self._sessionmaker) as session:
            waiting, oldest = await QueueBacklogRepository(session).waiting()
        heartbeat = await last_beat(self._cache)
        oldest_age = None if oldest is None else round((utc_now() - oldest).total_seconds(), 1)
        details = {
            "waiting": waiting,
            "oldestWaitingSeconds": oldest_age,
            "worker": None if heartbeat is None else heartbeat.worker,
            "lastHeartbeatAt": None if heartbeat is None else heartbeat.at.isoformat(),
        }
        if waiting and heartbeat is None:
            message = f"{waiting} download(s) waiting and no worker is running"
            return CheckOutcome(ServiceName.QUEUE, ServiceState.DEGRADED, message, details=details)
        worker = "no worker running" if heartbeat is None else f"worker {heartbeat.worker}"
        message = f"{waiting} download(s) waiting; {worker}"
        return CheckOutcome(ServiceName.QUEUE, ServiceState.UP, message, details=details)

    def _disk(self, service: ServiceName, folder: Path) -> Probe:
        """Degraded below `MIN_FREE_DISK_BYTES` free on the folder's file system."""
        minimum = self._settings.min_free_disk_bytes

        async def probe() -> CheckOutcome:
            usage = await asyncio.to_thread(shutil.disk_usage, nearest_existing(folder))
            details = {
                "path": str(folder),
                "freeBytes": usage.free,
                "totalBytes": usage.total,
                "minimumFreeBytes": minimum,
            }
            message = f"{usage.free / GIB:.1f} GiB free of {usage.total / GIB:.1f} GiB"
            if usage.free < minimum:
                message += f", below the minimum of {minimum / GIB:.1f} GiB"
                return CheckOutcome(service, ServiceState.DEGRADED, message, details=details)
            return CheckOutcome(service, ServiceState.UP, message, details=details)

        return probe

    @staticmethod
    async def check_ytdlp() -> CheckOutcome:
        """Degraded without the JavaScript runtime YouTube's challenges need."""
        version = ytdlp_version()
        solver = await asyncio.to_thread(challenge_solver)
        details = {
            "version": version,
            "jsRuntime": None if solver.deno is None else "deno",
            "jsRuntimePath": None if solver.deno is None else str(solver.deno),
            "jsRuntimeVersion": solver.deno_version,
            "ejsVersion": solver.ejs_version,
        }
        state = ServiceState.UP if solver.ready else ServiceState.DEGRADED
        message = f"yt-dlp {version}; {solver.describe()}"
        return CheckOutcome(ServiceName.YTDLP, state, message, details=details)


def nearest_existing(folder: Path) -> Path:
    """The folder, or its closest ancestor that exists (the library folder is made on first
    download; its file system is what counts)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return folder


def describe(exc: BaseException) -> str:
    """An error in one line for people, without any URL's password."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    described = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return mask_url_password(described)[:MAX_MESSAGE_LENGTH]
