"""Errors of the media requests domain."""

from medianest.kit.errors import AppError, ConflictError, ErrorCode


class InvalidMediaIdError(AppError):
    code = ErrorCode.INVALID_MEDIA_ID
    default_message = "There is no such film or show (unknown TMDB id)."


class AlreadyRequestedError(ConflictError):
    default_message = "You already have an open request for this title."


class AlreadyAvailableError(ConflictError):
    default_message = "This is already available in Plex."


class RequestNotPendingError(ConflictError):
    default_message = "Only a pending request can be approved, declined or withdrawn."
