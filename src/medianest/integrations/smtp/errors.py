"""Errors of the SMTP client."""

from medianest.kit.errors import ErrorCode, UpstreamUnavailableError


class MailUnavailableError(UpstreamUnavailableError):
    """The mail server refused, dropped or never answered us, or mail is not configured."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = "The mail server is unavailable."
