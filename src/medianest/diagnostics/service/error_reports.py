"""Error reports: what the browser app sends and the server's unexpected errors, stored
without secrets."""

import traceback
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from limits import parse as parse_limit
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.diagnostics.models import ErrorReport
from medianest.diagnostics.repository import ErrorReportRepository
from medianest.diagnostics.schemas import (
    ClientError,
    ErrorReportCreate,
    ErrorSource,
    ServerErrorInfo,
)
from medianest.diagnostics.scrub import scrub, scrub_optional, scrub_text
from medianest.kit.clock import utc_now

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

    async def count_since(self, since: datetime, *, source: ErrorSource) -> int:
        return await self._reports.count_since(since, source=source)

    async def forget_before(self, cutoff: datetime) -> int:
        """Delete the reports older than `cutoff`; how many. The caller commits."""
        return await self._reports.delete_older_than(cutoff)
