"""Services of the diagnostics domain for a request, and the error report's size limit."""

from typing import Annotated

from fastapi import Depends, Query, Request

from medianest.diagnostics.service.error_reports import ErrorReportService
from medianest.diagnostics.service.harness import HarnessService
from medianest.diagnostics.service.performance import (
    TIME_WINDOW_PATTERN,
    PerformanceService,
    parse_time_window,
)
from medianest.http.deps import SessionDep, StateDep
from medianest.kit.errors import PayloadTooLargeError


async def get_error_report_service(session: SessionDep) -> ErrorReportService:
    return ErrorReportService(session)


async def get_performance_service(state: StateDep) -> PerformanceService:
    return PerformanceService(
        recent=state.metrics.recent,
        statements=state.statements,
        engine=state.engine,
        started_at=state.started_at,
    )


async def get_harness_service(session: SessionDep, state: StateDep) -> HarnessService:
    return HarnessService(session, state.cache)


ErrorReportServiceDep = Annotated[ErrorReportService, Depends(get_error_report_service)]
PerformanceServiceDep = Annotated[PerformanceService, Depends(get_performance_service)]
HarnessServiceDep = Annotated[HarnessService, Depends(get_harness_service)]


async def limit_report_size(request: Request, state: StateDep) -> None:
    """413 for a report over `ERROR_REPORT_MAX_BYTES`, before its content is even validated."""
    limit = state.settings.error_report_max_bytes
    if len(await request.body()) > limit:
        raise PayloadTooLargeError(
            f"An error report may be at most {limit} bytes (ERROR_REPORT_MAX_BYTES).",
            details={"maxBytes": limit},
        )


ReportSizeLimit = Annotated[None, Depends(limit_report_size)]


async def get_time_window(
    time_window: Annotated[
        str,
        Query(
            alias="timeWindow",
            max_length=20,
            json_schema_extra={"pattern": TIME_WINDOW_PATTERN},
            description="Seconds, or a number with s, m, h or d (`90`, `5m`, `1h`, `24h`).",
        ),
    ] = "5m",
) -> int:
    return parse_time_window(time_window)


TimeWindowDep = Annotated[int, Depends(get_time_window)]
"""`?timeWindow=` in seconds (1 s to 24 h; 400 otherwise)."""
