"""What the performance figures suggest: each threshold crossed becomes a recommendation
carrying the figures that crossed it."""

from collections.abc import Iterable

from medianest.diagnostics.schemas import (
    DatabasePerformanceRead,
    PerformanceMetricsRead,
    Recommendation,
    RecommendationKind,
    Severity,
    SystemHealthRead,
)

MIN_ROUTE_REQUESTS = 5
"""Fewer requests than this say nothing about a route's latency or error rate."""
SLOW_ROUTE_P95_MS = (1000.0, 3000.0)
ERROR_RATE = (0.05, 0.25)
POOL_SATURATION = (0.8, 1.0)
RSS_BYTES = (1024**3, 2 * 1024**3)
SYSTEM_MEMORY_PERCENT = (90.0, 95.0)
EVENT_LOOP_LAG_MS = (100.0, 500.0)
"""Each pair: (warning, critical) thresholds."""


def _severity(value: float, thresholds: tuple[float, float]) -> Severity | None:
    warning, critical = thresholds
    if value >= critical:
        return Severity.CRITICAL
    if value >= warning:
        return Severity.WARNING
    return None


def route_recommendations(traffic: PerformanceMetricsRead) -> Iterable[Recommendation]:
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


def database_recommendations(database: DatabasePerformanceRead) -> Iterable[Recommendation]:
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


def process_recommendations(health: SystemHealthRead) -> Iterable[Recommendation]:
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
