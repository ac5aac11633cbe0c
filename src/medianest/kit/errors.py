"""The application's error hierarchy: every error a client can see has a stable code.

Domains raise these; they never pick an HTTP status. `medianest.http.errors` maps each
code to its status, and the error-code reference is generated from `ErrorCode`.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """Every error code MediaNest answers with, with the meaning shown in the reference."""

    VALIDATION_ERROR = "VALIDATION_ERROR"
    INVALID_MEDIA_ID = "INVALID_MEDIA_ID"
    UNAUTHORIZED = "UNAUTHORIZED"
    JWT_INVALID = "JWT_INVALID"
    API_KEY_INVALID = "API_KEY_INVALID"
    FORBIDDEN = "FORBIDDEN"
    CSRF_TOKEN_MISMATCH = "CSRF_TOKEN_MISMATCH"  # noqa: S105 - an error code
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    PLEX_UNREACHABLE = "PLEX_UNREACHABLE"
    PLEX_NOT_CONFIGURED = "PLEX_NOT_CONFIGURED"
    PLEX_AUTH_FAILED = "PLEX_AUTH_FAILED"
    PLEX_BAD_RESPONSE = "PLEX_BAD_RESPONSE"
    PLEX_ACCESS_DENIED = "PLEX_ACCESS_DENIED"
    PLEX_PIN_EXPIRED = "PLEX_PIN_EXPIRED"
    OVERSEERR_UNREACHABLE = "OVERSEERR_UNREACHABLE"
    OVERSEERR_NOT_CONFIGURED = "OVERSEERR_NOT_CONFIGURED"
    OVERSEERR_AUTH_FAILED = "OVERSEERR_AUTH_FAILED"
    OVERSEERR_BAD_RESPONSE = "OVERSEERR_BAD_RESPONSE"
    DATABASE_ERROR = "DATABASE_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    UNSAFE_URL = "UNSAFE_URL"
    UNSAFE_PATH = "UNSAFE_PATH"
    FFMPEG_REQUIRED = "FFMPEG_REQUIRED"
    DOWNLOAD_FAILED = "DOWNLOAD_FAILED"
    DOWNLOAD_CANCELLED = "DOWNLOAD_CANCELLED"
    METADATA_LOOKUP_FAILED = "METADATA_LOOKUP_FAILED"


ERROR_DESCRIPTIONS: Mapping[ErrorCode, str] = {
    ErrorCode.VALIDATION_ERROR: "The request body, query or path is invalid; `details` lists "
    "each field.",
    ErrorCode.INVALID_MEDIA_ID: "Unknown TMDB id or media type.",
    ErrorCode.UNAUTHORIZED: "No credentials were sent.",
    ErrorCode.JWT_INVALID: "The token is malformed, expired or revoked.",
    ErrorCode.API_KEY_INVALID: "The API key in `X-Api-Key` is unknown, revoked or expired, or an "
    "API key was sent as `Authorization: Bearer` (keys go in `X-Api-Key`).",
    ErrorCode.FORBIDDEN: "The caller's role does not allow this.",
    ErrorCode.CSRF_TOKEN_MISMATCH: "A cookie-authenticated change came without a valid CSRF token.",
    ErrorCode.NOT_FOUND: "The resource does not exist or is not visible to this user.",
    ErrorCode.METHOD_NOT_ALLOWED: "The path exists but not with this HTTP method.",
    ErrorCode.CONFLICT: "The change conflicts with existing data (a duplicate).",
    ErrorCode.PAYLOAD_TOO_LARGE: "The request body is larger than the configured limit.",
    ErrorCode.RATE_LIMIT_EXCEEDED: "Too many requests; `details.retryAfter` says when to retry.",
    ErrorCode.INTERNAL_ERROR: "Something unexpected failed; quote the `correlationId`.",
    ErrorCode.PLEX_UNREACHABLE: "The Plex server or plex.tv is down or timed out.",
    ErrorCode.PLEX_NOT_CONFIGURED: "No Plex server is configured (`PLEX_URL` and `PLEX_TOKEN`).",
    ErrorCode.PLEX_AUTH_FAILED: "The Plex server refused the configured `PLEX_TOKEN`: an "
    "admin must set a valid token.",
    ErrorCode.PLEX_BAD_RESPONSE: "The Plex server answered with an error or something that "
    "is not Plex.",
    ErrorCode.PLEX_ACCESS_DENIED: "This Plex account has no access to this MediaNest's Plex "
    "server; ask its owner to share the server with you.",
    ErrorCode.PLEX_PIN_EXPIRED: "The Plex sign-in PIN is unknown or has expired; start again.",
    ErrorCode.OVERSEERR_UNREACHABLE: "Overseerr is down or timed out.",
    ErrorCode.OVERSEERR_NOT_CONFIGURED: "No Overseerr is configured (`OVERSEERR_URL` and "
    "`OVERSEERR_API_KEY`).",
    ErrorCode.OVERSEERR_AUTH_FAILED: "Overseerr refused the configured `OVERSEERR_API_KEY`.",
    ErrorCode.OVERSEERR_BAD_RESPONSE: "Overseerr refused the request or answered something "
    "unexpected; the message says what it said.",
    ErrorCode.DATABASE_ERROR: "The database is unreachable, or too busy: no connection came "
    "free within `DATABASE_TIMEOUT_SECONDS`. Retry after the `Retry-After` seconds.",
    ErrorCode.SERVICE_UNAVAILABLE: "Another dependency (such as Redis) is unavailable.",
    ErrorCode.UNSAFE_URL: "The URL is refused: not http(s), not on `YOUTUBE_ALLOWED_HOSTS`, or "
    "it (or a redirect) leads to a loopback, private, link-local or metadata address.",
    ErrorCode.UNSAFE_PATH: "The download would have been written outside the YouTube library "
    "folder; nothing was kept.",
    ErrorCode.FFMPEG_REQUIRED: "This quality or format needs ffmpeg, which this server does "
    "not have (`FFMPEG_PATH`); pick another format or ask an admin to install ffmpeg.",
    ErrorCode.DOWNLOAD_FAILED: "yt-dlp could not extract or download the video (unavailable, "
    "private, or the site answered with an error); the message says why.",
    ErrorCode.DOWNLOAD_CANCELLED: "The download was cancelled before it finished; its partial "
    "files were removed.",
    ErrorCode.METADATA_LOOKUP_FAILED: "yt-dlp could not look the address up (the video is "
    "unavailable or private, the site could not be reached, or it is not a video); the "
    "message says why. Nothing was queued.",
}


class AppError(Exception):
    """Base of every error that reaches a client with its own code and message."""

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL_ERROR
    default_message: ClassVar[str] = "An unexpected error occurred."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details
        self.headers = dict(headers or {})
        super().__init__(self.message)


class ValidationError(AppError):
    """Input that is well-formed but not acceptable."""

    code = ErrorCode.VALIDATION_ERROR
    default_message = "The request is invalid."


class UnauthorizedError(AppError):
    code = ErrorCode.UNAUTHORIZED
    default_message = "Authentication is required."


class JwtInvalidError(AppError):
    code = ErrorCode.JWT_INVALID
    default_message = "The token is invalid, expired or revoked. Sign in again."


class CsrfTokenMismatchError(AppError):
    code = ErrorCode.CSRF_TOKEN_MISMATCH
    default_message = (
        "Missing or invalid CSRF token: send the token from GET /api/v1/csrf/token "
        "in the X-CSRF-Token header."
    )


class ForbiddenError(AppError):
    code = ErrorCode.FORBIDDEN
    default_message = "You are not allowed to do this."


class NotFoundError(AppError):
    code = ErrorCode.NOT_FOUND
    default_message = "The resource was not found."


class MethodNotAllowedError(AppError):
    code = ErrorCode.METHOD_NOT_ALLOWED
    default_message = "This method is not allowed on this path."


class ConflictError(AppError):
    code = ErrorCode.CONFLICT
    default_message = "The request conflicts with existing data."


class PayloadTooLargeError(AppError):
    code = ErrorCode.PAYLOAD_TOO_LARGE
    default_message = "The request body is too large."


class RateLimitExceededError(AppError):
    code = ErrorCode.RATE_LIMIT_EXCEEDED
    default_message = "Too many requests. Try again later."


class UpstreamUnavailableError(AppError):
    """A dependency we need is down or too slow; the client may retry later."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = "A required service is unavailable."


class DatabaseUnavailableError(UpstreamUnavailableError):
    code = ErrorCode.DATABASE_ERROR
    default_message = "The database is unavailable."


class ServiceUnavailableError(UpstreamUnavailableError):
    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = "A required service is unavailable."


class PlexUnreachableError(UpstreamUnavailableError):
    code = ErrorCode.PLEX_UNREACHABLE
    default_message = "Could not reach Plex. Try again in a moment."
