"""Errors of the Overseerr client."""

from medianest.kit.errors import AppError, ErrorCode, NotFoundError, UpstreamUnavailableError


class OverseerrUnreachableError(UpstreamUnavailableError):
    code = ErrorCode.OVERSEERR_UNREACHABLE
    default_message = "Could not reach Overseerr. Try again in a moment."


class OverseerrNotConfiguredError(UpstreamUnavailableError):
    code = ErrorCode.OVERSEERR_NOT_CONFIGURED
    default_message = (
        "No Overseerr is configured. An admin can set OVERSEERR_URL and OVERSEERR_API_KEY."
    )


class OverseerrAuthFailedError(AppError):
    code = ErrorCode.OVERSEERR_AUTH_FAILED
    default_message = (
        "Overseerr refused MediaNest's API key. An admin must set a valid OVERSEERR_API_KEY."
    )


class OverseerrRejectedError(AppError):
    code = ErrorCode.OVERSEERR_BAD_RESPONSE
    default_message = "Overseerr refused the request."


class OverseerrNotFoundError(NotFoundError):
    default_message = "Overseerr has nothing with this id."


class OverseerrServerError(OverseerrUnreachableError):
    """Overseerr failed (5xx). It also answers 500 when TMDB does not know an id."""

    def __init__(self, upstream_message: str) -> None:
        super().__init__(f"Overseerr failed: {upstream_message}. Try again in a moment.")
        self.upstream_message = upstream_message

    @property
    def is_unknown_title(self) -> bool:
        return self.upstream_message.startswith("Unable to retrieve")
