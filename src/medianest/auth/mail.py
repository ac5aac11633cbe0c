"""The mails of the auth domain: password reset and invitation."""

import structlog

from medianest.auth.models import User
from medianest.integrations.smtp.client import Mailer
from medianest.integrations.smtp.errors import MailUnavailableError
from medianest.integrations.smtp.schemas import MailMessage

logger = structlog.get_logger(__name__)


async def send_in_background(mailer: Mailer, message: MailMessage) -> None:
    """For mails sent after the response: a failure can only be logged."""
    try:
        await mailer.send(message)
    except MailUnavailableError as exc:
        logger.warning("mail.not_sent", subject=message.subject, error=exc.message)


def password_reset_mail(user: User, link: str, *, valid_minutes: int) -> MailMessage:
    name = user.name or user.username
    text = (
        f"Hello {name},\n\n"
        "Someone (hopefully you) asked to reset your MediaNest password. Open this link to "
        f"choose a new one; it works once, for {valid_minutes} minutes:\n\n{link}\n\n"
        "Setting a new password signs every device out and revokes every API key of the "
        "account.\n\n"
        "If you did not ask for this, ignore this mail: your password stays as it is.\n"
    )
    return MailMessage(to=_address(user), subject="Reset your MediaNest password", text=text)


def invitation_mail(user: User, link: str, *, inviter: str, valid_days: int) -> MailMessage:
    name = user.name or user.username
    text = (
        f"Hello {name},\n\n"
        f"{inviter} invited you to MediaNest. Open this link to choose your password; it works "
        f"once, for {valid_days} days:\n\n{link}\n\n"
        f"Then sign in with this address: {user.email}\n"
    )
    return MailMessage(to=_address(user), subject="You are invited to MediaNest", text=text)


def email_changed_mail(user: User, *, old_address: str) -> MailMessage:
    """To the address an account leaves: the owner learns of a change they did not make."""
    name = user.name or user.username
    text = (
        f"Hello {name},\n\n"
        f"The email address of your MediaNest account was changed from {old_address} to "
        f"{user.email}. Password reset links now go to the new address.\n\n"
        "If you did not make this change, tell your MediaNest admin at once: someone else "
        "may be signed in to your account.\n"
    )
    return MailMessage(to=old_address, subject="Your MediaNest email address changed", text=text)


def _address(user: User) -> str:
    if user.email is None:  # only Plex accounts lack an email, and they never get these mails
        raise ValueError("user has no email address")
    return user.email
