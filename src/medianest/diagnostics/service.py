"""Error reports (stored without secrets), performance figures measured in this process,
recommendations derived from them, and the development reset."""

import asyncio
import math
import re
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import psutil
import structlog
from limits import parse as parse_limit
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from medianest.cache.cache import Cache
from medianest.db.metrics import StatementMetrics
from medianest.diagnostics.models import ErrorReport
from medianest.diagnostics.repository import DataRepository, ErrorReportRepository
from medianest.diagnostics.schemas import (
    ClientError,
    CpuFigures,
    DatabasePerformanceRead,
    ErrorReportCreate,
    ErrorSource,
    EventLoopFigures,
    HarnessResetRead,
    MemoryFigures,
    OptimizeRead,
    PerformanceMetricsRead,
    PoolFigures,
    Recommendation,
    RecommendationKind,
    RequestRateFigures,
    RouteFigures,
    ServerErrorInfo,
    Severity,
    SlowQueryRead,
    StatementTotals,
    SystemHealthRead,
    TrafficTotals,
)
from medianest.diagnostics.scrub import scrub, scrub_optional, scrub_text
from medianest.kit.clock import utc_now
from medianest.kit.errors import ValidationError
from medianest.runtime.metrics import WINDOW_SECONDS, RecentRequests, RequestSample

logger = structlog.get_logger(__name__)

MAX_MESSAGE = 2000
MAX_STACK = 30_000
MAX_URL = 2000
MAX_USER_AGENT = 500
MAX_CORRELATION_ID = 128
SERVER_ERROR_CODE = "INTERNAL_ERROR"


def _clip(text: str | None, limit: int) -> str | None:
    return None if text is None else text[:limit]


class ErrorReportService:
    def __init__(self, session: AsyncSession) -> None:
        self._reports = ErrorReportRepository(session)

    async def record_client_errors(
        self,
        body: ErrorReportCreate,
        *,
        user_id: uuid.UUID,
        user_agent: str | None,
        correlation_id: str,
    ) -> list[ErrorReport]:
        """One stored report per error sent, every string scrubbed of secrets."""
        reports = [
            self._client_report(item, body, user_id, body.user_agent or user_agent, correlation_id)
            for item in body.errors
        ]
        await self._reports.add_all(reports)
        return reports

    def _client_report(
        self,
        item: ClientError,
        body: ErrorReportCreate,
        user_id: uuid.UUID,
        user_agent: str | None,
        correlation_id: str,
    ) -> ErrorReport:
        detail = item.error
        context = {
            "level": item.level.value,
            "timestamp": item.timestamp.isoformat() if item.timestamp else None,
            "reportedAt": body.timestamp.isoformat() if body.timestamp else None,
            "error": None
            if detail is None
            else {"message": detail.message, "statusCode": detail.status_code},
            "context": item.context,
        }
        # The browser may quote the id of the API call that failed: that ties the report
        # to the server's log lines better than the id of the report's own request.
        quoted = item.context.get("correlationId")
        return ErrorReport(
            source=ErrorSource.CLIENT,
            user_id=user_id,
            error_code=_clip(scrub_optional(detail.code if detail else None), 100),
            message=_clip(scrub_text(item.message), MAX_MESSAGE) or "",
            stack_trace=_clip(scrub_optional(detail.stack if detail else None), MAX_STACK),
            url=_clip(scrub_optional(body.url), MAX_URL),
            user_agent=_clip(scrub_optional(user_agent), MAX_USER_AGENT),
            context=scrub(context),
            correlation_id=_clip(
                scrub_text(quoted) if isinstance(quoted, str) and quoted else correlation_id,
                MAX_CORRELATION_ID,
            ),
        )

    async def record_server_error(
        self, info: ServerErrorInfo, *, identical_limit: str
    ) -> ErrorReport | None:
        """Store the error, unless `identical_limit` (`10/minute`) reports with the same
        message are stored already (then None): a caller repeating one failing request must
        not fill the table."""
        exc = info.exception
        message = _clip(scrub_text(f"{type(exc).__name__}: {exc}"), MAX_MESSAGE) or ""
        limit = parse_limit(identical_limit)
        recent = await self._reports.count_identical_since(
            utc_now() - timedelta(seconds=limit.get_expiry()),
            source=ErrorSource.SERVER,
            message=message,
        )
        if recent >= limit.amount:
            logger.info("diagnostics.server_error_not_stored", reason="identical_limit")
            return None
        exception_type = f"{type(exc).__module__}.{type(exc).__qualname__}"
        stack = scrub_text("".join(traceback.format_exception(exc)))
        url = info.path + (f"?{info.query}" if info.query else "")
        report = ErrorReport(
            source=ErrorSource.SERVER,
            error_code=SERVER_ERROR_CODE,
            message=message,
            # The innermost frames and the exception itself are at the end.
            stack_trace=stack[-MAX_STACK:],
            url=_clip(scrub_text(url), MAX_URL),
            user_agent=_clip(scrub_optional(info.user_agent), MAX_USER_AGENT),
            context=scrub(
                {
                    "method": info.method,
                    "route": info.route,
                    "path": info.path,
                    "exceptionType": exception_type,
                }
            ),
            correlation_id=info.correlation_id[:MAX_CORRELATION_ID],
        )
        await self._reports.add_all([report])
        return report

    async def page(
        self, *, source: ErrorSource | None, offset: int, limit: int
    ) -> tuple[Sequence[ErrorReport], int]:
        return await self._reports.page(source=source, offset=offset, limit=limit)


# Performance

HEALTH_WINDOW_SECONDS = 300
"""The request and error rates of `/performance/health` cover the last five minutes."""
RECOMMENDATION_WINDOW_SECONDS = 900
"""Recommendations look at the last fifteen minutes of traffic."""
MIN_ROUTE_REQUESTS = 5
"""Fewer requests than this say nothing about a route's latency or error rate."""
SLOW_ROUTE_P95_MS = (1000.0, 3000.0)
ERROR_RATE = (0.05, 0.25)
POOL_SATURATION = (0.8, 1.0)
RSS_BYTES = (1024**3, 2 * 1024**3)
SYSTEM_MEMORY_PERCENT = (90.0, 95.0)
EVENT_LOOP_LAG_MS = (100.0, 500.0)
"""Each pair: (warning, critical) thresholds."""
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


def _severity(value: float, thresholds: tuple[float, float]) -> Severity | None:
    warning, critical = thresholds
    if value >= critical:
        return Severity.CRITICAL
    if value >= warning:
        return Severity.WARNING
    return None


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
        if any(item.severity is Severity.CRITICAL for item in _process_recommendations(health)):
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
            *_route_recommendations(traffic),
            *_database_recommendations(database),
            *_process_recommendations(health),
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


def _route_recommendations(traffic: PerformanceMetricsRead) -> Iterable[Recommendation]:
    window = {"windowSeconds": traffic.window_seconds}
    for route in traffic.routes:
        if route.count < MIN_ROUTE_REQUESTS:
            continue
        evidence = {
            "method": route.method,
            "route": route.route,
            "count": route.count,
            **window,
        }
        if severity := _severity(route.p95_ms, SLOW_ROUTE_P95_MS):
            yield Recommendation(
                kind=RecommendationKind.SLOW_ROUTE,
                severity=severity,
                message=f"{route.method} {route.route} is slow: p95 {route.p95_ms:.0f} ms "
                f"over {route.count} requests.",
                evidence={**evidence, "p95Ms": route.p95_ms, "p99Ms": route.p99_ms},
            )
        if severity := _severity(route.error_rate, ERROR_RATE):
            yield Recommendation(
                kind=RecommendationKind.HIGH_ERROR_RATE,
                severity=severity,
                message=f"{route.method} {route.route} fails often: {route.error_count} of "
                f"{route.count} requests answered 5xx ({route.error_rate:.0%}); see "
                "GET /api/v1/errors/recent?source=server.",
                evidence={
                    **evidence,
                    "errorCount": route.error_count,
                    "errorRate": route.error_rate,
                },
            )


def _database_recommendations(database: DatabasePerformanceRead) -> Iterable[Recommendation]:
    statements = database.statements
    if database.slow_queries:
        worst = database.slow_queries[0]
        yield Recommendation(
            kind=RecommendationKind.SLOW_QUERIES,
            severity=Severity.WARNING,
            message=f"{statements.slow_count} statements took longer than "
            f"{statements.slow_threshold_ms:g} ms (SLOW_QUERY_MS); the slowest took "
            f"{worst.max_ms:.0f} ms: {worst.sql[:200]}",
            evidence={
                "slowCount": statements.slow_count,
                "thresholdMs": statements.slow_threshold_ms,
                "statements": statements.count,
                "slowest": [item.model_dump(mode="json") for item in database.slow_queries[:3]],
            },
        )
    pool = database.pool
    if pool.capacity and pool.checked_out is not None:
        usage = pool.checked_out / pool.capacity
        if severity := _severity(usage, POOL_SATURATION):
            yield Recommendation(
                kind=RecommendationKind.POOL_SATURATION,
                severity=severity,
                message=f"{pool.checked_out} of {pool.capacity} database connections are in "
                "use: raise DATABASE_POOL_SIZE or find what holds connections.",
                evidence={"checkedOut": pool.checked_out, "capacity": pool.capacity},
            )


def _process_recommendations(health: SystemHealthRead) -> Iterable[Recommendation]:
    found: list[Recommendation] = []
    memory = health.memory
    if severity := _severity(memory.rss_bytes, RSS_BYTES):
        found.append(
            Recommendation(
                kind=RecommendationKind.MEMORY,
                severity=severity,
                message=f"The process uses {memory.rss_bytes / 2**20:.0f} MiB of memory.",
                evidence={"rssBytes": memory.rss_bytes},
            )
        )
    if severity := _severity(memory.system_used_percent, SYSTEM_MEMORY_PERCENT):
        found.append(
            Recommendation(
                kind=RecommendationKind.MEMORY,
                severity=severity,
                message=f"The host's memory is {memory.system_used_percent:.0f}% used.",
                evidence={
                    "systemUsedPercent": memory.system_used_percent,
                    "systemTotalBytes": memory.system_total_bytes,
                },
            )
        )
    loop = health.event_loop
    if severity := _severity(loop.lag_ms, EVENT_LOOP_LAG_MS):
        found.append(
            Recommendation(
                kind=RecommendationKind.EVENT_LOOP_LAG,
                severity=severity,
                message=f"The event loop runs {loop.lag_ms:.0f} ms late: something blocks it.",
                evidence={"lagMs": loop.lag_ms, "maxLagMs": loop.max_lag_ms},
            )
        )
    requests = health.requests
    if requests.count >= 4 * MIN_ROUTE_REQUESTS and (
        severity := _severity(requests.error_rate, ERROR_RATE)
    ):
        found.append(
            Recommendation(
                kind=RecommendationKind.HIGH_ERROR_RATE,
                severity=severity,
                message=f"{requests.error_rate:.0%} of all requests in the last "
                f"{requests.window_seconds // 60} minutes answered 5xx.",
                evidence={
                    "errorCount": requests.error_count,
                    "count": requests.count,
                    "windowSeconds": requests.window_seconds,
                },
            )
        )
    return found


class HarnessService:
    """The development endpoints: a fresh start for end-to-end suites."""

    def __init__(self, session: AsyncSession, cache: Cache) -> None:
        self._data = DataRepository(session)
        self._cache = cache

    async def reset(self) -> HarnessResetRead:
        deleted = await self._data.empty_all_tables()
        removed = await self._cache.clear()
        return HarnessResetRead(
            tables=sorted(deleted),
            rows_deleted=sum(deleted.values()),
            cache_entries_removed=removed,
        )
