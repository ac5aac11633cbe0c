"""Errors of the downloads domain."""

from medianest.kit.errors import ConflictError


class DownloadNotRetryableError(ConflictError):
    default_message = "Only a failed or cancelled download can be retried."
