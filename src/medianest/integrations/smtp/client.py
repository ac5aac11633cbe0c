"""Sending mail: the `Mailer` protocol, its SMTP implementation and the disabled stand-in.

Callers depend on `Mailer` and get one from `create_mailer`. Every failure to hand a message
to the mail server surfaces as `MailUnavailableError`, whose message is safe to show a user;
the cause is chained and logged for the operator, without the password.
"""

import email.utils
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import structlog

from medianest.integrations.smtp.errors import MailUnavailableError
from medianest.integrations.smtp.schemas import MailMessage, SmtpConfig
from medianest.kit.clock import utc_now
from medianest.kit.logging import MASK
from medianest.kit.reachability import connection_failure
from medianest.settings import SmtpSecurity

logger = structlog.get_logger(__name__)

_FALLBACK_DOMAIN = "medianest.localhost"


class Mailer(Protocol):
    """Something that delivers a `MailMessage`."""

    async def send(self, message: MailMessage) -> None:
        """Hand `message` to the mail server; raise `MailUnavailableError` when that fails."""
        ...


class SmtpMailer:
    """Sends each message over a fresh SMTP connection (mail is rare; no pool to go stale)."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, message: MailMessage) -> None:
        config = self._config
        try:
            await aiosmtplib.send(
                _build_email(message, sender=config.sender),
                hostname=config.host,
                port=config.port,
                username=config.username,
                password=config.password,
                use_tls=config.security is SmtpSecurity.TLS,
                start_tls=config.security is SmtpSecurity.STARTTLS,
                timeout=config.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            self._log_failure(exc)
            raise MailUnavailableError from exc

    async def check(self) -> None:
        """Connect, sign in when a user is configured, and leave without sending anything;
        `MailUnavailableError` with the server's reason when any of it fails."""
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            use_tls=config.security is SmtpSecurity.TLS,
            start_tls=config.security is SmtpSecurity.STARTTLS,
            timeout=config.timeout_seconds,
        )
        try:
            async with client:
                if config.username:
                    await client.login(config.username, config.password or "")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailUnavailableError(self._check_failure(exc)) from exc

    def _check_failure(self, exc: BaseException) -> str:
        config = self._config
        scheme = "smtps" if config.security is SmtpSecurity.TLS else "smtp"
        unreachable = connection_failure(
            exc,
            url=f"{scheme}://{config.host}:{config.port}",
            timeout_seconds=config.timeout_seconds,
        )
        if unreachable is not None:
            return f"Could not reach the mail server: {unreachable}."
        return f"The mail server refused: {self._reason(exc)}"

    def _reason(self, exc: BaseException) -> str:
        reason = str(exc) or type(exc).__name__
        if self._config.password:
            reason = reason.replace(self._config.password, MASK)
        return reason

    def _log_failure(self, exc: BaseException) -> None:
        reason = self._reason(exc)
        logger.warning(
            "smtp.send_failed",
            host=self._config.host,
            port=self._config.port,
            error_type=type(exc).__name__,
            reason=reason,
        )


class DisabledMailer:
    """Stands in when `SMTP_HOST` is unset: every send fails, saying how to enable mail."""

    async def send(self, message: MailMessage) -> None:  # noqa: ARG002 - Mailer's signature
        raise MailUnavailableError("Mail is not configured (set SMTP_HOST).")


def create_mailer(config: SmtpConfig | None) -> Mailer:
    """The SMTP mailer for `config`, or the disabled one when there is no configuration."""
    if config is None:
        return DisabledMailer()
    return SmtpMailer(config)


def _build_email(message: MailMessage, *, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = email.utils.format_datetime(utc_now())
    mail["Message-ID"] = email.utils.make_msgid(domain=_domain_of(sender))
    mail.set_content(message.text)
    if message.html is not None:
        mail.add_alternative(message.html, subtype="html")
    return mail


def _domain_of(sender: str) -> str:
    """The domain of the sender's address, for Message-IDs (no DNS lookup of our own name)."""
    _name, address = email.utils.parseaddr(sender)
    return address.rpartition("@")[2] or _FALLBACK_DOMAIN
