"""Single-use links that set a password: resets a user asks for, invitations an admin sends."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth import passwords, tokens
from medianest.auth.mail import password_reset_mail, send_in_background
from medianest.auth.models import PasswordResetToken, User
from medianest.auth.repository import (
    ApiKeyRepository,
    PasswordResetRepository,
    SessionRepository,
    UserRepository,
)
from medianest.auth.schemas import TokenPurpose
from medianest.auth.service.config import AuthConfig
from medianest.auth.service.disconnects import disconnect_after_commit
from medianest.db.engine import unit_of_work
from medianest.integrations.smtp.client import Mailer
from medianest.integrations.smtp.schemas import MailMessage
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError, NotFoundError, ValidationError
from medianest.realtime.disconnects import Disconnector

logger = structlog.get_logger(__name__)

RESET_LIFETIME = timedelta(hours=1)
INVITE_LIFETIME = timedelta(days=7)
_LIFETIMES = {TokenPurpose.RESET: RESET_LIFETIME, TokenPurpose.INVITE: INVITE_LIFETIME}
_PAGES = {TokenPurpose.RESET: "reset-password", TokenPurpose.INVITE: "set-password"}


class PasswordResetService:
    def __init__(
        self,
        db: AsyncSession,
        config: AuthConfig,
        *,
        clock: Callable[[], datetime] = utc_now,
        disconnector: Disconnector | None = None,
    ) -> None:
        self._db = db
        self._users = UserRepository(db)
        self._sessions = SessionRepository(db)
        self._api_keys = ApiKeyRepository(db)
        self._resets = PasswordResetRepository(db)
        self._audit = AuditService(db)
        self._config = config
        self._now = clock
        self._disconnector = disconnector

    async def request_password_reset(self, email: str, *, client: ClientInfo) -> MailMessage | None:
        """The reset mail to send, or None when no such (active, local) account exists. The
        caller answers the same either way and sends the mail after the response."""
        user = await self._users.get_by_email(email)
        self._audit.record(
            AuditAction.PASSWORD_RESET_REQUESTED,
            client=client,
            actor_id=user.id if user else None,
            details={"email": email[:320], "accountFound": user is not None},
        )
        if user is None or not user.is_active or user.email is None:
            return None
        return password_reset_mail(
            user,
            await self.issue_link(user, TokenPurpose.RESET),
            valid_minutes=int(RESET_LIFETIME.total_seconds() // 60),
        )

    async def issue_link(self, user: User, purpose: TokenPurpose) -> str:
        """A link with a fresh single-use token; any earlier unused one of the user stops
        working."""
        await self._resets.delete_unused_for_user(user.id)
        token = secrets.token_urlsafe(32)
        now = self._now()
        await self._resets.add(
            PasswordResetToken(
                user_id=user.id,
                token_hash=tokens.digest(token),
                purpose=purpose.value,
                created_at=now,
                expires_at=now + _LIFETIMES[purpose],
            )
        )
        return f"{self._config.public_base}/{_PAGES[purpose]}?token={token}"

    async def check_reset_token(self, token: str) -> tuple[PasswordResetToken, User]:
        found = await self._resets.get_by_hash(tokens.digest(token))
        if found is None or found.used_at is not None or found.expires_at <= self._now():
            raise ValidationError(
                "This link is invalid, was already used or has expired. Ask for a new one.",
                details=[{"field": "token", "message": "invalid or expired", "type": "token"}],
            )
        user = await self._users.get(found.user_id)
        if user is None:
            raise NotFoundError("No such user.")
        return found, user

    async def reset_password(self, token: str, new_password: str, *, client: ClientInfo) -> User:
        """Set the password from a mailed link: once only, then every session and API key of
        the user ends."""
        reset, user = await self.check_reset_token(token)
        password_hash = await passwords.checked_hash(
            new_password, personal=(user.email, user.name, user.username), field="newPassword"
        )
        if not await self._resets.consume(reset.id, now=self._now()):
            raise ValidationError("This link was already used. Ask for a new one.")
        user.password_hash = password_hash
        # Whoever forgot (or lost) the password may have lost the keys with it: a reset
        # leaves no credential of the account working.
        ended = await self._sessions.revoke_all_for_user(user.id, now=self._now())
        keys_revoked = await self._api_keys.revoke_all_for_user(user.id, now=self._now())
        self._audit.record(
            AuditAction.PASSWORD_RESET,
            client=client,
            actor_id=user.id,
            target=("user", str(user.id)),
            details={
                "purpose": reset.purpose,
                "sessionsEnded": ended,
                "apiKeysRevoked": keys_revoked,
            },
        )
        disconnect_after_commit(self._db, self._disconnector, user.id)
        return user


async def send_password_reset(
    sessionmaker: async_sessionmaker[AsyncSession],
    config: AuthConfig,
    mailer: Mailer,
    *,
    email: str,
    client: ClientInfo,
) -> None:
    """Look the address up, issue the token and mail the link in a unit of work of its own.

    Run after the answer has gone, so a reset request takes the same path whether or not the
    account exists (the answer tells nothing, nor does its timing)."""
    try:
        async with unit_of_work(sessionmaker) as db:
            message = await PasswordResetService(db, config).request_password_reset(
                email, client=client
            )
    except AppError as exc:  # nobody is waiting for an answer any more: log it
        logger.warning("password_reset.failed", error=exc.message)
        return
    if message is not None:
        await send_in_background(mailer, message)
