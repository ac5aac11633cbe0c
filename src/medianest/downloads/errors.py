"""Errors of the downloads domain."""

from medianest.kit.errors import ConflictError


class DownloadNotRetryableError(ConflictError):
    default_message = "Only a failed or cancelled download can be retried."


class DownloadActiveError(ConflictError):
    default_message = (
        "This download is still queued or running: cancel it first "
        "(`POST /api/v1/youtube/downloads/{id}/cancel`), then delete it."
    )
