"""Error reports, performance figures and the development-only test endpoints."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from medianest import __version__
from medianest.auth.deps import (
    SIGNED_IN_ERRORS,
    AdminPrincipal,
    CurrentPrincipal,
    UserQuota,
    spend_user_quota,
)
from medianest.diagnostics.deps import (
    ErrorReportServiceDep,
    HarnessServiceDep,
    PerformanceServiceDep,
    ReportSizeLimit,
    TimeWindowDep,
)
from medianest.diagnostics.models import ErrorReport
from medianest.diagnostics.schemas import (
    DatabasePerformanceRead,
    ErrorReportAccepted,
    ErrorReportCreate,
    ErrorReportRead,
    ErrorSource,
    HarnessHealthRead,
    HarnessResetRead,
    OptimizeRead,
    OptimizeRequest,
    PerformanceMetricsRead,
    Recommendation,
    SystemHealthRead,
)
from medianest.diagnostics.service.performance import optimize
from medianest.http import correlation
from medianest.http.deps import PageDep, StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.clock import utc_now
from medianest.kit.errors import PayloadTooLargeError, RateLimitExceededError, ValidationError
from medianest.kit.schemas import Page
from medianest.system.deps import HealthServiceDep
from medianest.system.schemas import DependencyStatus

ERROR_REPORT_QUOTA = UserQuota("error-report", "rate_limit_error_reports")

errors_router = APIRouter(prefix="/errors", tags=["diagnostics"], responses=SIGNED_IN_ERRORS)


@errors_router.post(
    "/report",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ValidationError, PayloadTooLargeError, RateLimitExceededError),
)
async def report_errors(
    principal: CurrentPrincipal,
    _size: ReportSizeLimit,
    body: ErrorReportCreate,
    reports: ErrorReportServiceDep,
    state: StateDep,
    request: Request,
) -> Envelope[ErrorReportAccepted]:
    """The browser app reports errors it met. Tokens, passwords, API keys, cookies and
    `Authorization` values are masked before anything is stored. At most
    `ERROR_REPORT_MAX_BYTES` (413 beyond) and `RATE_LIMIT_ERROR_REPORTS` per user (429)."""
    await spend_user_quota(state, request, principal, ERROR_REPORT_QUOTA)
    stored = await reports.record_client_errors(
        body,
        user_id=principal.user.id,
        user_agent=request.headers.get("user-agent"),
        correlation_id=correlation.current(),
    )
    return ok(ErrorReportAccepted(ids=[report.id for report in stored]))


@errors_router.get("/recent")
async def list_recent_errors(
    _admin: AdminPrincipal,
    reports: ErrorReportServiceDep,
    page: PageDep,
    source: Annotated[
        ErrorSource | None,
        Query(description="`client` (the browser app) or `server` (unexpected 500s)."),
    ] = None,
) -> Envelope[Page[ErrorReportRead]]:
    """Error reports, newest first. Server errors carry the correlation id of their 500."""
    rows, total = await reports.page(source=source, offset=page.offset, limit=page.limit)
    return ok(
        Page[ErrorReportRead].build(
            [_read(row) for row in rows], page=page.page, limit=page.limit, total_items=total
        )
    )


def _read(report: ErrorReport) -> ErrorReportRead:
    return ErrorReportRead.model_validate(report)


performance_router = APIRouter(
    prefix="/performance", tags=["diagnostics"], responses=SIGNED_IN_ERRORS
)


@performance_router.get("/metrics", responses=error_responses(ValidationError))
async def get_performance_metrics(
    _admin: AdminPrincipal,
    performance: PerformanceServiceDep,
    window: TimeWindowDep,
    detailed: Annotated[
        bool, Query(description="Add each route's answers by status and its 4xx count.")
    ] = False,
) -> Envelope[PerformanceMetricsRead]:
    """Requests per route (method and route template) over `timeWindow`: count, 5xx count
    and latency percentiles, measured by this process (the figures behind `/metrics`)."""
    return ok(await performance.traffic(window, detailed=detailed))


@performance_router.get("/health")
async def get_performance_health(
    _admin: AdminPrincipal, performance: PerformanceServiceDep
) -> Envelope[SystemHealthRead]:
    """This process: uptime, memory, CPU, event-loop lag (measured now), and request and
    error rates over the last five minutes."""
    return ok(await performance.health())


@performance_router.get("/database")
async def get_database_performance(
    _admin: AdminPrincipal, performance: PerformanceServiceDep
) -> Envelope[DatabasePerformanceRead]:
    """The connection pool, statements run since start, and the statements slower than
    `SLOW_QUERY_MS` (their shape only, never their values). Waiting in `BEGIN` for
    another writer is not a slow query: it shows only in the `/metrics` histogram."""
    return ok(performance.database())


@performance_router.get("/recommendations")
async def get_performance_recommendations(
    _admin: AdminPrincipal, performance: PerformanceServiceDep
) -> Envelope[list[Recommendation]]:
    """What the figures above suggest (slow routes, failing routes, slow statements, a full
    pool, memory, a blocked event loop), each with the figures that triggered it. Empty
    when nothing needs attention."""
    return ok(await performance.recommendations())


@performance_router.post("/optimize")
async def optimize_performance(
    _admin: AdminPrincipal, body: OptimizeRequest, state: StateDep
) -> Envelope[OptimizeRead]:
    """`clearCache: true` empties the cache (Plex listings and the like are fetched again)."""
    return ok(await optimize(state.cache, clear_cache=body.clear_cache))


dev_router = APIRouter(prefix="/test", tags=["development"], include_in_schema=False)
"""Exists only when MEDIANEST_ENV=test (and refuses cross-site calls): harness helpers."""


@dev_router.get("/health")
async def get_harness_health(
    health: HealthServiceDep, state: StateDep
) -> Envelope[HarnessHealthRead]:
    """A detailed self-check for test harnesses: database, schema, Redis, version, env."""
    database = await health.check_database()
    redis = await health.check_redis()
    schema = await health.check_schema()
    healthy = database.status is DependencyStatus.UP and schema.ok
    return ok(
        HarnessHealthRead(
            status="healthy" if healthy else "unhealthy",
            version=__version__,
            environment=state.settings.env.value,
            database=database,
            redis=redis,
            schema_check=schema,
            uptime_seconds=round(utc_now().timestamp() - state.started_at, 3),
            timestamp=utc_now(),
        )
    )


@dev_router.post("/reset")
async def reset_test_data(harness: HarnessServiceDep) -> Envelope[HarnessResetRead]:
    """Empty every table (the schema stays migrated) and the cache: a fresh start. The
    first admin can then be created again with `POST /auth/admin`."""
    return ok(await harness.reset())
