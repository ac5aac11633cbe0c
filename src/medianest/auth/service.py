"""Sign-in, sessions and the signed-in user's own account."""

import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NoReturn

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth import passwords, tokens
from medianest.auth.errors import (
    AdminAlreadyExistsError,
    ApiKeyInvalidError,
    EmailTakenError,
    InvalidCredentialsError,
    WeakPasswordError,
)
from medianest.auth.mail import (
    email_changed_mail,
    invitation_mail,
    password_reset_mail,
    send_in_background,
)
from medianest.auth.models import ApiKey, PasswordResetToken, Session, User
from medianest.auth.repository import (
    ApiKeyRepository,
    PasswordResetRepository,
    SessionRepository,
    UserRepository,
)
from medianest.auth.schemas import (
    AdminBootstrap,
    ApiKeyCreate,
    ApiKeyScope,
    ConfiguredServices,
    ProfileUpdate,
    PublicInfoRead,
    Role,
    SignInMethods,
    TokenPurpose,
    UserCounts,
    UserCreate,
    UserQuery,
    UserSort,
)
from medianest.db.engine import after_commit, read_only_session, unit_of_work
from medianest.integrations.overseerr.client import OverseerrConfig
from medianest.integrations.plex.client import PlexServerConfig
from medianest.integrations.smtp.client import Mailer
from medianest.integrations.smtp.schemas import MailMessage, SmtpConfig
from medianest.kit.clock import utc_now
from medianest.kit.errors import (
    AppError,
    ConflictError,
    ForbiddenError,
    JwtInvalidError,
    NotFoundError,
    ValidationError,
)
from medianest.realtime.disconnects import Disconnector
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

KEY_USE_RESOLUTION = timedelta(minutes=1)
"""`last_used_at` of an API key is written at most this often (no write per request)."""


class CredentialSource(StrEnum):
    BEARER = "bearer"
    COOKIE = "cookie"
    API_KEY = "api_key"


RESET_LIFETIME = timedelta(hours=1)
INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class AuthConfig:
    secret: str
    access_lifetime: timedelta
    idle_lifetime: timedelta
    public_base: str
    """Where users reach the app (PUBLIC_URL + BASE_PATH), for links in mails."""


def auth_config(settings: Settings) -> AuthConfig:
    if settings.jwt_secret is None:  # the CLI and create_app refuse to run without one
        raise RuntimeError("JWT_SECRET is not configured")
    return AuthConfig(
        secret=settings.jwt_secret.get_secret_value(),
        access_lifetime=timedelta(minutes=settings.access_token_minutes),
        idle_lifetime=timedelta(days=settings.session_idle_days),
        public_base=settings.public_url + settings.base_path,
    )


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user, the session or API key the credentials belong to, and how
    they came. Session credentials carry every right of the user; an API key only its scopes."""

    user: User
    source: CredentialSource
    session: Session | None = None
    api_key: ApiKey | None = None

    @property
    def is_admin(self) -> bool:
        return self.user.role is Role.ADMIN

    def allows(self, scope: ApiKeyScope) -> bool:
        return self.api_key is None or scope.value in self.api_key.scopes

    def require_session(self) -> Session:
        if self.session is None:
            raise ForbiddenError("This needs a signed-in session, not an API key.")
        return self.session


@dataclass(frozen=True, slots=True)
class SignIn:
    user: User
    session: Session
    access_token: str
    refresh_token: str
    expires_in: int


class AuthService:
    def __init__(
        self,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: AuthConfig,
        mailer: Mailer,
        *,
        clock: Callable[[], datetime] = utc_now,
        disconnector: Disconnector | None = None,
    ) -> None:
        """`disconnector` ends the socket.io connections of sessions this service ends or
        of users whose rights shrink; without one (the CLI, tests) they are left alone."""
        self._db = session
        self._sessionmaker = sessionmaker
        self._users = UserRepository(session)
        self._sessions = SessionRepository(session)
        self._api_keys = ApiKeyRepository(session)
        self._resets = PasswordResetRepository(session)
        self._mailer = mailer
        self._audit = AuditService(session)
        self._config = config
        self._now = clock
        self._disconnector = disconnector

    # ------------------------------------------------------------------ accounts

    async def setup_done(self) -> bool:
        """First-run setup is over once an admin exists."""
        return await self._users.admin_exists()

    async def bootstrap_admin(self, data: AdminBootstrap, *, client: ClientInfo) -> User:
        """Create the first admin. Refused for good once any admin exists."""
        if await self._users.admin_exists():
            raise AdminAlreadyExistsError()
        user = await self._create_user(
            email=str(data.email), name=data.name, password=data.password, role=Role.ADMIN
        )
        self._audit.record(
            AuditAction.ADMIN_BOOTSTRAPPED,
            client=client,
            actor_id=user.id,
            target=("user", str(user.id)),
        )
        return user

    async def create_user(self, data: UserCreate, *, actor: Principal, client: ClientInfo) -> User:
        """An admin creates a local account: with a password, or invited by mail to choose
        one (if the mail cannot be sent, nothing is created and the answer is 503)."""
        user = await self._create_user(
            email=str(data.email), name=data.name, password=data.password, role=data.role
        )
        invited = data.password is None
        self._audit.record(
            AuditAction.USER_INVITED if invited else AuditAction.USER_CREATED,
            client=client,
            actor_id=actor.user.id,
            target=("user", str(user.id)),
            details={"role": user.role.value},
        )
        if invited:
            token = await self._issue_reset_token(user, TokenPurpose.INVITE, INVITE_LIFETIME)
            inviter = actor.user.name or actor.user.username
            await self._mailer.send(
                invitation_mail(
                    user,
                    self._link("set-password", token),
                    inviter=inviter,
                    valid_days=INVITE_LIFETIME.days,
                )
            )
        return user

    async def change_role(
        self,
        user_id: uuid.UUID,
        role: Role,
        *,
        actor: Principal,
        client: ClientInfo,
        confirm_self_demotion: bool = False,
    ) -> User:
        """Effective on the user's next request (every request reads the role afresh); a
        demoted admin's socket.io connections end, to reconnect without the admin's rights.
        Demoting yourself needs `confirm_self_demotion`: you cannot take it back."""
        user = await self._users.get(user_id)
        if user is None:
            raise NotFoundError("No such user.")
        demoted = user.role is Role.ADMIN and role is not Role.ADMIN
        if demoted and await self._users.count_admins() == 1:
            raise ConflictError("The last admin cannot be demoted; make someone else admin first.")
        if demoted and user.id == actor.user.id and not confirm_self_demotion:
            raise ValidationError(
                "You are taking the admin role from yourself and cannot take it back; send "
                "confirmSelfDemotion: true to go ahead.",
                details=[
                    {
                        "field": "body.confirmSelfDemotion",
                        "message": "must be true to demote yourself",
                        "type": "confirmation_required",
                    }
                ],
            )
        previous = user.role
        user.role = role
        self._audit.record(
            AuditAction.ROLE_CHANGED,
            client=client,
            actor_id=actor.user.id,
            target=("user", str(user.id)),
            details={"from": previous.value, "to": role.value},
        )
        await self._db.flush()
        if previous is Role.ADMIN and role is not Role.ADMIN:
            self._disconnect_after_commit(user.id)
        return user

    async def list_users(
        self, query: UserQuery, *, offset: int, limit: int
    ) -> tuple[Sequence[User], int]:
        column, descending = _USER_SORT[query.sort]
        return await self._users.page(
            offset=offset,
            limit=limit,
            search=query.search,
            role=query.role,
            order_by=column.desc() if descending else column.asc(),
        )

    async def count_users(self, *, active_within: timedelta) -> UserCounts:
        """How many accounts there are, how many were used within `active_within`, and how
        many are admins."""
        total, active, admins = await self._users.count_users(
            active_since=self._now() - active_within
        )
        return UserCounts(total=total, active=active, admins=admins)

    async def get_user(self, user_id: uuid.UUID) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise NotFoundError("No such user.")
        return user

    async def delete_user(
        self, user_id: uuid.UUID, *, actor: Principal, client: ClientInfo
    ) -> None:
        """Delete an account with its sessions and keys. Never yourself, never the last admin."""
        user = await self.get_user(user_id)
        if user.id == actor.user.id:
            raise ConflictError("You cannot delete your own account here.")
        if user.role is Role.ADMIN and await self._users.count_admins() == 1:
            raise ConflictError("The last admin cannot be deleted.")
        self._audit.record(
            AuditAction.USER_DELETED,
            client=client,
            actor_id=actor.user.id,
            target=("user", str(user.id)),
            details={"email": user.email, "role": user.role.value},
        )
        await self._users.delete(user)
        self._disconnect_after_commit(user.id)

    async def revoke_user_sessions(
        self, user_id: uuid.UUID, *, actor: Principal, client: ClientInfo
    ) -> int:
        user = await self.get_user(user_id)
        ended = await self._sessions.revoke_all_for_user(user.id, now=self._now())
        self._audit.record(
            AuditAction.USER_SESSIONS_REVOKED,
            client=client,
            actor_id=actor.user.id,
            target=("user", str(user.id)),
            details={"sessionsEnded": ended},
        )
        self._disconnect_after_commit(user.id)
        return ended

    async def _create_user(
        self, *, email: str, name: str, password: str | None, role: Role
    ) -> User:
        if await self._users.get_by_email(email) is not None:
            raise EmailTakenError()
        username = await self._free_username(email.split("@", 1)[0])
        if password is not None:
            _enforce_policy(password, personal=(email, name, username))
        return await self._users.add(
            User(
                email=email.lower(),
                username=username,
                name=name,
                role=role,
                password_hash=await passwords.hash_in_thread(password) if password else None,
            )
        )

    async def create_plex_user(
        self, *, username: str, email: str | None, name: str | None, role: Role, client: ClientInfo
    ) -> User:
        """A user who proved a Plex identity; without a password until they set one."""
        if email and await self._users.get_by_email(email) is not None:
            email = None
        user = await self._users.add(
            User(
                email=email.lower() if email else None,
                username=await self._free_username(username),
                name=(name or username)[:200],
                role=role,
            )
        )
        self._audit.record(
            AuditAction.USER_CREATED,
            client=client,
            actor_id=user.id,
            target=("user", str(user.id)),
            details={"method": "plex", "role": role.value},
        )
        return user

    # ------------------------------------------------------------------ password reset

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
        token = await self._issue_reset_token(user, TokenPurpose.RESET, RESET_LIFETIME)
        return password_reset_mail(
            user,
            self._link("reset-password", token),
            valid_minutes=int(RESET_LIFETIME.total_seconds() // 60),
        )

    async def _issue_reset_token(
        self, user: User, purpose: TokenPurpose, lifetime: timedelta
    ) -> str:
        """A fresh single-use token; any earlier unused one of the user stops working."""
        await self._resets.delete_unused_for_user(user.id)
        token = secrets.token_urlsafe(32)
        now = self._now()
        await self._resets.add(
            PasswordResetToken(
                user_id=user.id,
                token_hash=tokens.digest(token),
                purpose=purpose.value,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        return token

    def _link(self, page: str, token: str) -> str:
        return f"{self._config.public_base}/{page}?token={token}"

    async def check_reset_token(self, token: str) -> tuple[PasswordResetToken, User]:
        found = await self._resets.get_by_hash(tokens.digest(token))
        if found is None or found.used_at is not None or found.expires_at <= self._now():
            raise ValidationError(
                "This link is invalid, was already used or has expired. Ask for a new one.",
                details=[{"field": "token", "message": "invalid or expired", "type": "token"}],
            )
        return found, await self.get_user(found.user_id)

    async def reset_password(self, token: str, new_password: str, *, client: ClientInfo) -> User:
        """Set the password from a mailed link: once only, then every session and API key of
        the user ends."""
        reset, user = await self.check_reset_token(token)
        _enforce_policy(
            new_password, personal=(user.email, user.name, user.username), field="newPassword"
        )
        if not await self._resets.consume(reset.id, now=self._now()):
            raise ValidationError("This link was already used. Ask for a new one.")
        user.password_hash = await passwords.hash_in_thread(new_password)
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
        self._disconnect_after_commit(user.id)
        return user

    async def _free_username(self, wanted: str) -> str:
        base = re.sub(r"[^a-z0-9._-]", "", wanted.lower())[:40] or "user"
        candidate = base
        while await self._users.username_taken(candidate):
            candidate = f"{base}-{secrets.token_hex(2)}"
        return candidate

    async def update_profile(
        self, principal: Principal, data: ProfileUpdate, *, client: ClientInfo
    ) -> User:
        """Change the caller's name or email. The email is where password resets go, so
        changing it takes a signed-in session (not an API key) and the current password, and
        the address it leaves is told."""
        user = principal.user
        changed = data.model_dump(exclude_unset=True, exclude_none=True)
        changed.pop("current_password", None)
        email = str(changed.pop("email")).lower() if "email" in changed else None
        old_address = user.email
        if email is not None and email != old_address:
            await self._confirm_identity(
                principal, data.current_password, action="change the email"
            )
            other = await self._users.get_by_email(email)
            if other is not None and other.id != user.id:
                raise EmailTakenError()
            user.email = email
            changed["email"] = email
            if old_address is not None:
                self._mail_after_commit(email_changed_mail(user, old_address=old_address))
        if "name" in changed:
            user.name = changed["name"]
        if changed:
            self._audit.record(
                AuditAction.PROFILE_UPDATED,
                client=client,
                actor_id=user.id,
                target=("user", str(user.id)),
                details={"fields": sorted(changed)},
            )
        await self._db.flush()
        return user

    async def _confirm_identity(
        self, principal: Principal, current_password: str | None, *, action: str
    ) -> None:
        """What a change of sign-in or recovery details takes: a session the password (or
        Plex) opened, never an API key, and the current password once more."""
        principal.require_session()
        user = principal.user
        if user.password_hash is None:
            raise ForbiddenError(
                f"Your account has no password: set one (password reset) before you {action}."
            )
        if current_password is None:
            raise ValidationError(
                f"Send your current password to {action}.",
                details=[{"field": "currentPassword", "message": "is required", "type": "missing"}],
            )
        if not await passwords.verify_in_thread(user.password_hash, current_password):
            raise ValidationError(
                "The current password is wrong.",
                details=[{"field": "currentPassword", "message": "is wrong", "type": "mismatch"}],
            )

    def _mail_after_commit(self, message: MailMessage) -> None:
        mailer = self._mailer

        async def send() -> None:
            await send_in_background(mailer, message)

        after_commit(self._db, send)

    async def change_password(
        self, principal: Principal, *, current: str, new: str, client: ClientInfo
    ) -> None:
        """Replace the password and end every other session of the user."""
        await self._confirm_identity(principal, current, action="change the password")
        user = principal.user
        _enforce_policy(new, personal=(user.email, user.name, user.username), field="newPassword")
        user.password_hash = await passwords.hash_in_thread(new)
        ended = await self._sessions.revoke_all_for_user(
            user.id, now=self._now(), keep=principal.session.id if principal.session else None
        )
        self._audit.record(
            AuditAction.PASSWORD_CHANGED,
            client=client,
            actor_id=user.id,
            target=("user", str(user.id)),
            details={"otherSessionsEnded": ended},
        )
        if ended:  # the caller's own connections end too, and reconnect at once
            self._disconnect_after_commit(user.id)

    # ------------------------------------------------------------------ sessions

    async def sign_in(
        self, *, email: str, password: str, remember: bool, client: ClientInfo
    ) -> SignIn:
        # The slow password check runs before this request's transaction begins, so it never
        # holds SQLite's write lock, and in a thread, so it never holds the event loop.
        async with read_only_session(self._sessionmaker) as db:
            found = await UserRepository(db).get_by_email(email)
        if found is None or found.password_hash is None or not found.is_active:
            await passwords.burn_verification_time()
            await self._refuse_sign_in(email, found.id if found else None, client)
        stored_hash = found.password_hash
        if not await passwords.verify_in_thread(stored_hash, password):
            await self._refuse_sign_in(email, found.id, client)
        user = await self._users.get(found.id)
        if user is None or user.password_hash != stored_hash or not user.is_active:
            await self._refuse_sign_in(email, found.id, client)  # changed while we checked
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = await passwords.hash_in_thread(password)
        return await self.start_session(user, remember=remember, method="password", client=client)

    async def start_session(
        self, user: User, *, remember: bool, method: str, client: ClientInfo
    ) -> SignIn:
        """Sign a user in whose identity is already proven (password, Plex, bootstrap)."""
        user.last_login_at = self._now()
        sign_in = await self._open_session(user, remember=remember, client=client)
        self._audit.record(
            AuditAction.SIGN_IN,
            client=client,
            actor_id=user.id,
            target=("session", str(sign_in.session.id)),
            details={"method": method},
        )
        return sign_in

    async def _refuse_sign_in(
        self, email: str, actor_id: uuid.UUID | None, client: ClientInfo
    ) -> NoReturn:
        await self.record_failed_sign_in(client, actor_id=actor_id, details={"email": email[:320]})
        raise InvalidCredentialsError()

    async def record_failed_sign_in(
        self, client: ClientInfo, *, details: dict[str, str], actor_id: uuid.UUID | None = None
    ) -> None:
        """Audit a refused sign-in; the entry is kept although the request fails."""

        async def record(db: AsyncSession) -> None:
            AuditService(db).record(
                AuditAction.SIGN_IN_FAILED, client=client, actor_id=actor_id, details=details
            )

        await self._keep_despite_failure(record)

    async def _keep_despite_failure(self, work: Callable[[AsyncSession], Awaitable[None]]) -> None:
        """Writes that must outlive the failure they record (a refused sign-in, a stolen
        token), in a transaction of their own. The request's transaction ends first: it is
        failing anyway, and SQLite has room for one writer at a time."""
        await self._db.rollback()
        async with unit_of_work(self._sessionmaker) as db:
            await work(db)

    async def _open_session(self, user: User, *, remember: bool, client: ClientInfo) -> SignIn:
        now = self._now()
        session_id = uuid.uuid4()
        refresh_token = tokens.new_refresh_token(session_id)
        session = await self._sessions.add(
            Session(
                id=session_id,
                user_id=user.id,
                refresh_token_hash=tokens.digest(refresh_token),
                is_remembered=remember,
                user_agent=(client.user_agent or "")[:500] or None,
                ip_address=client.ip_address,
                created_at=now,
                last_used_at=now,
                expires_at=now + self._config.idle_lifetime,
            )
        )
        return self._tokens_for(user, session, refresh_token, now)

    def _tokens_for(
        self, user: User, session: Session, refresh_token: str, now: datetime
    ) -> SignIn:
        access = tokens.issue_access_token(
            secret=self._config.secret,
            user_id=user.id,
            session_id=session.id,
            now=now,
            lifetime=self._config.access_lifetime,
        )
        return SignIn(
            user=user,
            session=session,
            access_token=access,
            refresh_token=refresh_token,
            expires_in=int(self._config.access_lifetime.total_seconds()),
        )

    async def refresh(self, refresh_token: str, *, client: ClientInfo) -> SignIn:
        """Rotate the refresh token. Presenting the one just rotated away ends the session:
        one of its two holders is a thief."""
        found = await self._sessions.get_with_user(tokens.split_refresh_token(refresh_token))
        now = self._now()
        if found is None or not _is_live(found[0], found[1], now):
            raise JwtInvalidError("The session has ended. Sign in again.")
        session, user = found
        presented = tokens.digest(refresh_token)
        if secrets.compare_digest(presented, session.refresh_token_hash):
            new_token = tokens.new_refresh_token(session.id)
            session.previous_refresh_token_hash = session.refresh_token_hash
            session.refresh_token_hash = tokens.digest(new_token)
            session.last_used_at = now
            session.expires_at = now + self._config.idle_lifetime
            await self._db.flush()
            return self._tokens_for(user, session, new_token, now)
        if session.previous_refresh_token_hash and secrets.compare_digest(
            presented, session.previous_refresh_token_hash
        ):
            session_id, user_id = session.id, user.id

            async def end_session(db: AsyncSession) -> None:
                stolen = await SessionRepository(db).get(session_id)
                if stolen is not None:
                    stolen.revoked_at = now
                AuditService(db).record(
                    AuditAction.REFRESH_TOKEN_REUSED,
                    client=client,
                    actor_id=user_id,
                    target=("session", str(session_id)),
                )

            await self._keep_despite_failure(end_session)
            if self._disconnector is not None:
                await self._disconnector.disconnect_session(user_id, session_id)
        raise JwtInvalidError("The refresh token is not valid. Sign in again.")

    async def authenticate(self, access_token: str, *, source: CredentialSource) -> Principal:
        """The caller behind an access token, as the database knows them right now: a revoked
        session, a disabled user or a changed role take effect on the very next request."""
        claims = tokens.read_access_token(access_token, secret=self._config.secret, now=self._now())
        found = await self._sessions.get_with_user(claims.session_id)
        if found is None or found[1].id != claims.user_id or not _is_live(*found, self._now()):
            raise JwtInvalidError("The session has ended. Sign in again.")
        return Principal(user=found[1], session=found[0], source=source)

    async def authenticate_api_key(self, key: str) -> Principal:
        found = await self._api_keys.get_with_user_by_hash(tokens.digest(key))
        now = self._now()
        if found is None:
            raise ApiKeyInvalidError(
                "The API key in the X-Api-Key header is not one of this server's: check that "
                "it was copied whole, or create a new one."
            )
        api_key, user = found
        expired = api_key.expires_at is not None and api_key.expires_at <= now
        if api_key.revoked_at is not None or expired or not user.is_active:
            raise ApiKeyInvalidError(
                "The API key in the X-Api-Key header has been revoked or has expired: create a "
                "new one."
            )
        if api_key.last_used_at is None or now - api_key.last_used_at > KEY_USE_RESOLUTION:
            self._stamp_key_use(api_key.id, now)
        return Principal(user=user, source=CredentialSource.API_KEY, api_key=api_key)

    def _stamp_key_use(self, key_id: uuid.UUID, now: datetime) -> None:
        """Record the key's use after the request, in a write of its own: the request itself
        may be a read that must not take the write lock."""
        sessionmaker = self._sessionmaker

        async def stamp() -> None:
            async with unit_of_work(sessionmaker) as db:
                await ApiKeyRepository(db).mark_used(key_id, now)

        after_commit(self._db, stamp)

    # ------------------------------------------------------------------ API keys

    async def create_api_key(
        self, principal: Principal, data: ApiKeyCreate, *, client: ClientInfo
    ) -> tuple[ApiKey, str]:
        """A new key for the caller; returned in full this once, stored as a hash."""
        principal.require_session()
        if ApiKeyScope.ADMIN in data.scopes and not principal.is_admin:
            raise ForbiddenError("Only admins can create keys with the admin scope.")
        if data.expires_at is not None and (
            data.expires_at.tzinfo is None or data.expires_at <= self._now()
        ):
            raise ValidationError(
                "expiresAt must be a future, timezone-aware time.",
                details=[
                    {
                        "field": "expiresAt",
                        "message": "must be in the future",
                        "type": "value_error",
                    }
                ],
            )
        key, prefix = tokens.new_api_key()
        api_key = await self._api_keys.add(
            ApiKey(
                user_id=principal.user.id,
                name=data.name,
                prefix=prefix,
                key_hash=tokens.digest(key),
                scopes=sorted({scope.value for scope in data.scopes}),
                created_at=self._now(),
                expires_at=data.expires_at,
            )
        )
        self._audit.record(
            AuditAction.API_KEY_CREATED,
            client=client,
            actor_id=principal.user.id,
            target=("api_key", str(api_key.id)),
            details={"name": data.name, "scopes": api_key.scopes},
        )
        return api_key, key

    async def list_api_keys(self, principal: Principal) -> Sequence[ApiKey]:
        return await self._api_keys.list_for_user(principal.user.id)

    async def revoke_api_key(
        self, principal: Principal, key_id: uuid.UUID, *, client: ClientInfo
    ) -> None:
        """Revoke one of the caller's own keys; anyone else's is reported as not found, to
        admins too (as with sessions: they act on other accounts through the admin routes)."""
        api_key = await self._api_keys.get(key_id)
        if api_key is None or api_key.revoked_at is not None:
            raise NotFoundError("No such API key.")
        ensure_owned(principal, api_key.user_id, admin_sees_all=False)
        api_key.revoked_at = self._now()
        self._audit.record(
            AuditAction.API_KEY_REVOKED,
            client=client,
            actor_id=principal.user.id,
            target=("api_key", str(key_id)),
        )
        await self._db.flush()

    async def sign_out(self, principal: Principal, *, client: ClientInfo) -> None:
        session = principal.require_session()
        session.revoked_at = self._now()
        self._audit.record(
            AuditAction.SIGN_OUT,
            client=client,
            actor_id=principal.user.id,
            target=("session", str(session.id)),
        )
        await self._db.flush()
        self._disconnect_after_commit(principal.user.id, session_id=session.id)

    async def list_sessions(self, principal: Principal) -> Sequence[Session]:
        return await self._sessions.list_active_for_user(principal.user.id, now=self._now())

    async def revoke_session(
        self, principal: Principal, session_id: uuid.UUID, *, client: ClientInfo
    ) -> None:
        """End one of the caller's own sessions; anyone else's is reported as not found."""
        session = await self._sessions.get(session_id)
        if session is None or session.revoked_at:
            raise NotFoundError("No such session.")
        ensure_owned(principal, session.user_id, admin_sees_all=False)
        session.revoked_at = self._now()
        self._audit.record(
            AuditAction.SESSION_REVOKED,
            client=client,
            actor_id=principal.user.id,
            target=("session", str(session_id)),
        )
        await self._db.flush()
        self._disconnect_after_commit(principal.user.id, session_id=session_id)

    def _disconnect_after_commit(
        self, user_id: uuid.UUID, *, session_id: uuid.UUID | None = None
    ) -> None:
        """End the user's socket.io connections (only the session's, given one) on every
        server process, once the change that ends their right to them is committed."""
        disconnector = self._disconnector
        if disconnector is None:
            return

        async def disconnect() -> None:
            if session_id is None:
                await disconnector.disconnect_user(user_id)
            else:
                await disconnector.disconnect_session(user_id, session_id)

        after_commit(self._db, disconnect)


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
        async with unit_of_work(sessionmaker) as session:
            service = AuthService(session, sessionmaker, config, mailer)
            message = await service.request_password_reset(email, client=client)
    except AppError as exc:  # nobody is waiting for an answer any more: log it
        logger.warning("password_reset.failed", error=exc.message)
        return
    if message is not None:
        await send_in_background(mailer, message)


_USER_SORT = {
    UserSort.CREATED_DESC: (User.created_at, True),
    UserSort.CREATED_ASC: (User.created_at, False),
    UserSort.EMAIL_ASC: (User.email, False),
    UserSort.EMAIL_DESC: (User.email, True),
    UserSort.USERNAME_ASC: (User.username, False),
    UserSort.LAST_LOGIN_DESC: (User.last_login_at, True),
}


def _is_live(session: Session, user: User, now: datetime) -> bool:
    return session.revoked_at is None and session.expires_at > now and user.is_active


def _enforce_policy(
    password: str, *, personal: tuple[str | None, ...], field: str = "password"
) -> None:
    problems = passwords.policy_violations(password, personal=personal)
    if problems:
        raise WeakPasswordError(problems, field=field)


def require_admin(principal: Principal) -> Principal:
    if not principal.is_admin:
        raise ForbiddenError("This needs the admin role.")
    if not principal.allows(ApiKeyScope.ADMIN):
        raise ForbiddenError("This API key lacks the admin scope.")
    return principal


def ensure_owned(principal: Principal, owner_id: uuid.UUID, *, admin_sees_all: bool = True) -> None:
    """The one ownership rule of every per-user resource: the owner may act on it, admins too
    when `admin_sees_all`; to anyone else it does not exist (404, not 403: no probing)."""
    if owner_id == principal.user.id:
        return
    if admin_sees_all and principal.is_admin:
        return
    raise NotFoundError()


def public_info(settings: Settings, *, setup_done: bool, version: str) -> PublicInfoRead:
    """What anyone may know of this installation: no address, token or secret."""
    plex = PlexServerConfig.from_settings(settings) is not None
    return PublicInfoRead(
        title=settings.app_title,
        version=version,
        setup_done=setup_done,
        sign_in_methods=SignInMethods(
            password=True,
            plex=plex
            and settings.plex_client_id is not None
            and settings.encryption_key is not None,
        ),
        services=ConfiguredServices(
            plex=plex,
            overseerr=OverseerrConfig.from_settings(settings) is not None,
            youtube=True,
            mail=SmtpConfig.from_settings(settings) is not None,
        ),
        base_path=settings.base_path,
    )
