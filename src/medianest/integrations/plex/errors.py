"""Errors of the Plex Media Server client."""

from medianest.kit.errors import AppError, ErrorCode, NotFoundError, UpstreamUnavailableError


class PlexNotConfiguredError(UpstreamUnavailableError):
    code = ErrorCode.PLEX_NOT_CONFIGURED
    default_message = "No Plex server is configured. An admin can set PLEX_URL and PLEX_TOKEN."


class PlexAuthFailedError(AppError):
    code = ErrorCode.PLEX_AUTH_FAILED
    default_message = (
        "The Plex server refused MediaNest's Plex token. An admin must set a valid PLEX_TOKEN."
    )


class PlexBadResponseError(AppError):
    code = ErrorCode.PLEX_BAD_RESPONSE
    default_message = "The Plex server answered with an error."


class PlexItemNotFoundError(NotFoundError):
    default_message = "Plex has nothing at this key."
