"""What a user's dashboard and the admin statistics are made of.

Counts come from the domains that own the rows; Plex is asked through the cached browser,
and its absence never fails a dashboard.
"""

import os
import uuid
from datetime import timedelta

import anyio
import psutil
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.auth.service.accounts import AccountService
from medianest.dashboard.schemas import (
    RECENTLY_ADDED_LIMIT,
    AdminStats,
    DashboardStats,
    DownloadCounts,
    RequestCounts,
    SystemFigures,
)
from medianest.downloads import service as downloads
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError
from medianest.library.schemas import MediaItemRead
from medianest.library.service import Freshness, PlexBrowser
from medianest.media_requests.service import RequestService
from medianest.system.service import uptime_seconds

logger = structlog.get_logger(__name__)

ACTIVE_WITHIN = timedelta(days=30)
CPU_SAMPLE_SECONDS = 0.1


class DashboardService:
    def __init__(self, session: AsyncSession, requests: RequestService, plex: PlexBrowser) -> None:
        self._db = session
        self._requests = requests
        self._plex = plex

    async def stats(self, user_id: uuid.UUID) -> DashboardStats:
        """The user's requests and downloads by status, and what Plex got lately."""
        recent, plex_available = await self._recently_added()
        return DashboardStats(
            requests=RequestCounts.of(await self._requests.count_by_status(user_id=user_id)),
            downloads=DownloadCounts.of(await downloads.count_by_status(self._db, user_id=user_id)),
            recently_added=recent,
            plex_available=plex_available,
        )

    async def _recently_added(self) -> tuple[list[MediaItemRead], bool]:
        try:
            cached = await self._plex.recently_added(limit=RECENTLY_ADDED_LIMIT)
        except AppError as exc:  # not configured, unreachable, refused: the rest still shows
            logger.info("dashboard.plex_unavailable", code=exc.code.value)
            return [], False
        return cached.value.items, cached.freshness is not Freshness.STALE


class AdminStatsService:
    def __init__(
        self,
        session: AsyncSession,
        accounts: AccountService,
        requests: RequestService,
        *,
        started_at: float,
    ) -> None:
        self._db = session
        self._accounts = accounts
        self._requests = requests
        self._started_at = started_at

    async def stats(self) -> AdminStats:
        """Accounts, everyone's requests and downloads by status, and this process's
        uptime, memory and CPU."""
        uptime = uptime_seconds(self._started_at, now=utc_now())
        return AdminStats(
            users=await self._accounts.count_users(active_within=ACTIVE_WITHIN),
            requests=RequestCounts.of(await self._requests.count_by_status()),
            downloads=DownloadCounts.of(await downloads.count_by_status(self._db)),
            system=await anyio.to_thread.run_sync(measure_process, uptime),
        )


def measure_process(uptime: float) -> SystemFigures:
    """This process, now: CPU is sampled over a short interval (so it blocks that long; run
    it in a thread) and shared over the machine's cores."""
    process = psutil.Process(os.getpid())
    with process.oneshot():
        rss = process.memory_info().rss
    cpu = process.cpu_percent(interval=CPU_SAMPLE_SECONDS) / (psutil.cpu_count() or 1)
    return SystemFigures(
        uptime_seconds=uptime,
        memory=f"{round(rss / 2**20)}MB",
        cpu=f"{round(cpu)}%",
        memory_bytes=rss,
        cpu_percent=round(cpu, 1),
    )
