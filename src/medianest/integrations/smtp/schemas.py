"""What the SMTP client sends, and how it reaches the mail server."""

from dataclasses import dataclass, field
from typing import Self

from medianest.settings import Settings, SmtpSecurity


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One mail to one recipient: a plain-text body, optionally with an HTML alternative."""

    to: str
    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Connection details of the mail server; the password never appears in `repr`."""

    host: str
    port: int
    sender: str
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Self | None:
        """The configuration from `SMTP_*` settings, or None when `SMTP_HOST` is unset."""
        if not settings.smtp_host:
            return None
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=password.get_secret_value() if password is not None else None,
            timeout_seconds=settings.smtp_timeout_seconds,
        )
