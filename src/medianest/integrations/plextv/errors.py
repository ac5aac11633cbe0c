"""Errors of the plex.tv client."""

from medianest.kit.errors import AppError, ErrorCode, UnauthorizedError


class PlexPinExpiredError(AppError):
    code = ErrorCode.PLEX_PIN_EXPIRED
    default_message = "This Plex sign-in PIN is unknown or has expired. Start the sign-in again."


class PlexTokenRejectedError(UnauthorizedError):
    default_message = "plex.tv did not accept the Plex token. Sign in with Plex again."
