"""One place that turns exceptions into the error envelope with the right HTTP status."""

import traceback
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from medianest.db.engine import unavailable_error
from medianest.http import correlation
from medianest.http.envelope import ErrorBody, ErrorEnvelope
from medianest.kit.errors import AppError, ErrorCode

logger = structlog.get_logger(__name__)

STATUS_BY_CODE: Mapping[ErrorCode, int] = {
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.INVALID_MEDIA_ID: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.JWT_INVALID: 401,
    ErrorCode.API_KEY_INVALID: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CSRF_TOKEN_MISMATCH: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.RATE_LIMIT_EXCEEDED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.PLEX_UNREACHABLE: 503,
    ErrorCode.PLEX_NOT_CONFIGURED: 503,
    ErrorCode.PLEX_AUTH_FAILED: 502,
    ErrorCode.PLEX_BAD_RESPONSE: 502,
    ErrorCode.PLEX_ACCESS_DENIED: 403,
    ErrorCode.PLEX_PIN_EXPIRED: 410,
    ErrorCode.OVERSEERR_UNREACHABLE: 503,
    ErrorCode.OVERSEERR_NOT_CONFIGURED: 503,
    ErrorCode.OVERSEERR_AUTH_FAILED: 502,
    ErrorCode.OVERSEERR_BAD_RESPONSE: 502,
    ErrorCode.DATABASE_ERROR: 503,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.UNSAFE_URL: 400,
    ErrorCode.UNSAFE_PATH: 400,
    ErrorCode.FFMPEG_REQUIRED: 400,
    ErrorCode.DOWNLOAD_FAILED: 502,
    ErrorCode.DOWNLOAD_CANCELLED: 409,
    ErrorCode.METADATA_LOOKUP_FAILED: 502,
}

_CODE_BY_HTTP_STATUS: Mapping[int, ErrorCode] = {
    400: ErrorCode.VALIDATION_ERROR,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    429: ErrorCode.RATE_LIMIT_EXCEEDED,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}

UnexpectedErrorHook = Callable[[BaseException, str, Scope], Awaitable[None]]
"""Called with every unexpected exception, its correlation id and the request's ASGI scope
(error reports hook here). Whatever it raises is logged, never answered."""


def error_response(
    code: ErrorCode,
    message: str,
    *,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorEnvelope(
        error=ErrorBody(code=code, message=message, details=details),
        correlation_id=correlation.current(),
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=STATUS_BY_CODE[code],
        headers=dict(headers or {}),
    )


def unexpected_error_response(exc: BaseException, *, expose_details: bool) -> JSONResponse:
    details = None
    if expose_details:
        details = {
            "exception": type(exc).__name__,
            "traceback": traceback.format_exception(exc),
        }
    return error_response(
        ErrorCode.INTERNAL_ERROR,
        "An unexpected error occurred. Quote the correlation id when reporting it.",
        details=details,
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(part) for part in error["loc"]),
            "message": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors()
    ]


async def _handle_app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    if STATUS_BY_CODE[exc.code] >= 500:  # noqa: PLR2004
        logger.warning("request.upstream_unavailable", code=exc.code, error=exc.message)
    return error_response(exc.code, exc.message, details=exc.details, headers=exc.headers)


async def _handle_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    details = _field_errors(exc)
    if any(item["type"] == "json_invalid" for item in details):
        return error_response(
            ErrorCode.VALIDATION_ERROR, "The request body is not valid JSON.", details=details
        )
    return error_response(ErrorCode.VALIDATION_ERROR, "The request is invalid.", details=details)


async def _handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    code = _CODE_BY_HTTP_STATUS.get(exc.status_code, ErrorCode.INTERNAL_ERROR)
    message = {
        ErrorCode.NOT_FOUND: "No such resource.",
        ErrorCode.METHOD_NOT_ALLOWED: "This method is not allowed on this path.",
    }.get(code, str(exc.detail))
    headers = dict(exc.headers or {})
    if code is ErrorCode.METHOD_NOT_ALLOWED:
        headers["Allow"] = ", ".join(allowed_methods(request))
    response = error_response(code, message, headers=headers)
    if STATUS_BY_CODE[code] != exc.status_code:
        response.status_code = exc.status_code
    return response


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path, found by asking the router. Starlette's
    own `Allow` names only the first route that matched the path (`GET` of a path that also
    takes `DELETE`)."""
    routes = request.app.router.routes
    return [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


async def _handle_pool_timeout(request: Request, exc: Exception) -> JSONResponse:
    """No pooled connection came free in time outside a unit of work (which maps it itself):
    the same 503 `DATABASE_ERROR` with `Retry-After`, never a 500."""
    return await _handle_app_error(request, unavailable_error(exc))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(PoolTimeoutError, _handle_pool_timeout)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
