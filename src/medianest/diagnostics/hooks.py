"""The error boundary's hook: every unexpected server error becomes an error report."""

import asyncio

import structlog
from starlette.datastructures import Headers
from starlette.types import Scope

from medianest.db.engine import unit_of_work
from medianest.diagnostics.schemas import ServerErrorInfo
from medianest.diagnostics.service.error_reports import ErrorReportService
from medianest.http.middleware import route_template
from medianest.runtime.state import AppState

logger = structlog.get_logger(__name__)

RECORD_TIMEOUT_SECONDS = 3.0
"""The 500 waits for its report at most this long (a struggling database must not hold it)."""


async def record_server_error(exc: BaseException, correlation_id: str, scope: Scope) -> None:
    """Store the error in its own short transaction (the request's was rolled back). Never
    raises: a report that cannot be written is logged and the 500 is answered anyway."""
    try:
        state: AppState = scope["app"].state.medianest
        info = _describe(exc, correlation_id, scope)
        async with (
            asyncio.timeout(RECORD_TIMEOUT_SECONDS),
            unit_of_work(state.sessionmaker) as session,
        ):
            await ErrorReportService(session).record_server_error(
                info, identical_limit=state.settings.rate_limit_identical_server_errors
            )
    except Exception:
        logger.exception("diagnostics.server_error_not_recorded", correlation_id=correlation_id)


def _describe(exc: BaseException, correlation_id: str, scope: Scope) -> ServerErrorInfo:
    return ServerErrorInfo(
        exception=exc,
        correlation_id=correlation_id,
        method=str(scope.get("method", "")),
        path=str(scope.get("path", "")),
        route=route_template(scope),
        query=bytes(scope.get("query_string", b"")).decode("latin-1"),
        user_agent=Headers(scope=scope).get("user-agent"),
    )
