"""Performance figures measured in this process, the recommendations derived from them,
and emptying the cache on request."""

import asyncio
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import psutil
from sqlalchemy.ext.asyncio import AsyncEngine

from medianest.cache.cache import Cache
from medianest.db.metrics import StatementMetrics
from medianest.diagnostics.schemas import (
    CpuFigures,
    DatabasePerformanceRead,
    EventLoopFigures,
    MemoryFigures,
    OptimizeRead,
    PerformanceMetricsRead,
    PoolFigures,
    Recommendation,
    RequestRateFigures,
    RouteFigures,
    Severity,
    SlowQueryRead,
    StatementTotals,
    SystemHealthRead,
    TrafficTotals,
)
from medianest.diagnostics.service.recommendations import (
    database_recommendations,
    process_recommendations,
    route_recommendations,
)
from medianest.kit.clock import utc_now
from medianest.kit.errors import ValidationError
from medianest.runtime.metrics import WINDOW_SECONDS, RecentRequests, RequestSample

HEALTH_WINDOW_SECONDS = 300
"""The request and error rates of `/performance/health` cover the last five minutes."""
RECOMMENDATION_WINDOW_SECONDS = 900
"""Recommendations look at the last fifteen minutes of traffic."""
LAG_SAMPLES = 5
LAG_INTERVAL_SECONDS = 0.01
MAX_SLOW_QUERIES_SHOWN = 20


MAX_WINDOW_SECONDS = WINDOW_SECONDS
_WINDOW = re.compile(r"\s*([0-9]{1,6})\s*([smhd]?)\s*", re.IGNORECASE | re.ASCII)
TIME_WINDOW_PATTERN = r"^\s*[0-9]{1,6}\s*[smhdSMHD]?\s*$"
"""`_WINDOW` as the schema tells it."""
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_time_window(text: str) -> int:
    """`90`, `90s`, `5m`, `1h`, `24h` or `1d` as seconds, from 1 s to 24 h."""
    match = _WINDOW.fullmatch(text)
    if match is None:
        raise ValidationError(
            "timeWindow must be seconds or a number with s, m, h or d (such as 5m or 24h).",
            details={"timeWindow": text},
        )
    seconds = int(match[1]) * _UNIT_SECONDS[match[2].lower()]
    if not 1 <= seconds <= MAX_WINDOW_SECONDS:
        raise ValidationError(
            f"timeWindow must be between 1 second and {MAX_WINDOW_SECONDS // 3600} hours.",
            details={"timeWindow": text},
        )
    return seconds


def _percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values: always one of them, and monotonic in
    `percent`, so p50 <= p95 <= p99 <= max holds by construction."""
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def _latency(samples: Sequence[RequestSample]) -> dict[str, Any]:
    ordered = sorted(sample.seconds * 1000 for sample in samples)
    count = len(ordered)
    errors = sum(1 for sample in samples if sample.status >= 500)  # noqa: PLR2004
    return {
        "count": count,
        "error_count": errors,
        "error_rate": round(errors / count, 4),
        "p50_ms": round(_percentile(ordered, 50), 3),
        "p95_ms": round(_percentile(ordered, 95), 3),
        "p99_ms": round(_percentile(ordered, 99), 3),
        "max_ms": round(ordered[-1], 3),
        "avg_ms": round(sum(ordered) / count, 3),
    }


def _empty_latency() -> dict[str, Any]:
    return dict.fromkeys(
        ("count", "error_count", "error_rate", "p50_ms", "p95_ms", "p99_ms", "max_ms", "avg_ms"),
        0,
    )


def _route_figures(
    method: str, route: str, samples: Sequence[RequestSample], *, detailed: bool
) -> RouteFigures:
    figures = RouteFigures(method=method, route=route, **_latency(samples))
    if detailed:
        statuses = Counter(str(sample.status) for sample in samples)
        figures.statuses = dict(sorted(statuses.items()))
        figures.client_error_count = sum(
            1
            for sample in samples
            if 400 <= sample.status < 500  # noqa: PLR2004
        )
    return figures


def pool_figures(engine: AsyncEngine) -> PoolFigures:
    """What the engine's pool reports; a pool without a figure (SQLite's may be a
    `NullPool` or `StaticPool`) leaves it out."""
    pool = engine.pool

    def figure(name: str) -> int | None:
        method = getattr(pool, name, None)
        return int(method()) if callable(method) else None

    size = figure("size")
    max_overflow = getattr(pool, "_max_overflow", None)
    capacity = None
    if size is not None and isinstance(max_overflow, int):
        capacity = size + max(max_overflow, 0)
    return PoolFigures(
        kind=type(pool).__name__,
        size=size,
        checked_out=figure("checkedout"),
        checked_in=figure("checkedin"),
        overflow=figure("overflow"),
        max_overflow=max_overflow if isinstance(max_overflow, int) else None,
        capacity=capacity,
    )


class PerformanceService:
    """Figures of this process from the same instruments that feed `/metrics`."""

    def __init__(
        self,
        *,
        recent: RecentRequests,
        statements: StatementMetrics,
        engine: AsyncEngine,
        started_at: float,
    ) -> None:
        self._recent = recent
        self._statements = statements
        self._engine = engine
        self._started_at = started_at
        self._process = psutil.Process()

    async def traffic(self, window_seconds: int, *, detailed: bool) -> PerformanceMetricsRead:
        """`metrics` off the event loop: a full day's window takes a fifth of a second to
        summarise, which would stall every other request (bench/README.md)."""
        return await asyncio.to_thread(self.metrics, window_seconds, detailed=detailed)

    def metrics(self, window_seconds: int, *, detailed: bool) -> PerformanceMetricsRead:
        window = self._recent.since(window_seconds)
        routes = sorted(
            (
                _route_figures(method, route, samples, detailed=detailed)
                for (method, route), samples in window.items()
            ),
            key=lambda figures: (-figures.count, figures.route, figures.method),
        )
        every = [sample for samples in window.values() for sample in samples]
        latency = _latency(every) if every else _empty_latency()
        return PerformanceMetricsRead(
            window_seconds=window_seconds,
            since=utc_now() - timedelta(seconds=window_seconds),
            totals=TrafficTotals(
                **latency, requests_per_second=round(len(every) / window_seconds, 4)
            ),
            routes=routes,
        )

    async def health(self) -> SystemHealthRead:
        cpu_before, wall_before = self._cpu_seconds(), time.monotonic()
        event_loop = await _event_loop_lag()
        cpu_after, wall_after = self._cpu_seconds(), time.monotonic()
        uptime = max(time.time() - self._started_at, 1e-6)
        process_age = max(time.time() - self._process.create_time(), 1e-6)
        memory = psutil.virtual_memory()
        traffic = (await self.traffic(HEALTH_WINDOW_SECONDS, detailed=False)).totals
        health = SystemHealthRead(
            status="healthy",
            uptime_seconds=round(uptime, 3),
            memory=MemoryFigures(
                rss_bytes=self._process.memory_info().rss,
                system_total_bytes=memory.total,
                system_used_percent=memory.percent,
            ),
            cpu=CpuFigures(
                percent=round(100 * (cpu_after - cpu_before) / (wall_after - wall_before), 2),
                average_percent=round(100 * cpu_after / process_age, 2),
                cores=psutil.cpu_count() or 1,
            ),
            event_loop=event_loop,
            requests=RequestRateFigures(
                window_seconds=HEALTH_WINDOW_SECONDS,
                count=traffic.count,
                requests_per_second=traffic.requests_per_second,
                error_count=traffic.error_count,
                error_rate=traffic.error_rate,
            ),
        )
        if any(item.severity is Severity.CRITICAL for item in process_recommendations(health)):
            health.status = "degraded"
        return health

    def database(self) -> DatabasePerformanceRead:
        figures = self._statements.snapshot()
        slow = sorted(figures.slow, key=lambda item: item.max_seconds, reverse=True)
        return DatabasePerformanceRead(
            dialect=self._engine.dialect.name,
            pool=pool_figures(self._engine),
            statements=StatementTotals(
                since=figures.since,
                count=figures.count,
                errors=figures.errors,
                avg_ms=round(1000 * figures.total_seconds / figures.count, 3)
                if figures.count
                else 0.0,
                slow_count=figures.slow_count,
                slow_threshold_ms=figures.slow_threshold_ms,
            ),
            slow_queries=[
                SlowQueryRead(
                    sql=item.sql,
                    count=item.count,
                    max_ms=round(item.max_seconds * 1000, 3),
                    avg_ms=round(item.total_seconds * 1000 / item.count, 3),
                    last_seen=item.last_seen,
                )
                for item in slow[:MAX_SLOW_QUERIES_SHOWN]
            ],
        )

    async def recommendations(self) -> list[Recommendation]:
        """What the figures suggest, most severe first; empty when nothing is wrong."""
        traffic = await self.traffic(RECOMMENDATION_WINDOW_SECONDS, detailed=False)
        database = self.database()
        health = await self.health()
        found = [
            *route_recommendations(traffic),
            *database_recommendations(database),
            *process_recommendations(health),
        ]
        order = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(found, key=lambda item: order[item.severity])

    def _cpu_seconds(self) -> float:
        times = self._process.cpu_times()
        return float(times.user + times.system)


async def optimize(cache: Cache, *, clear_cache: bool) -> OptimizeRead:
    if not clear_cache:
        return OptimizeRead(
            actions=["Nothing asked: send clearCache=true to empty the cache."],
            cache_cleared=False,
            cache_entries_removed=None,
        )
    removed = await cache.clear()
    return OptimizeRead(
        actions=[f"Cleared the cache ({removed} entries)."],
        cache_cleared=True,
        cache_entries_removed=removed,
    )


async def _event_loop_lag() -> EventLoopFigures:
    """How late short timers fire: the time the loop is too busy to run callbacks."""
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    for _ in range(LAG_SAMPLES):
        started = loop.time()
        await asyncio.sleep(LAG_INTERVAL_SECONDS)
        lags.append(max(0.0, loop.time() - started - LAG_INTERVAL_SECONDS) * 1000)
    return EventLoopFigures(
        lag_ms=round(sum(lags) / len(lags), 3), max_lag_ms=round(max(lags), 3), samples=len(lags)
    )
