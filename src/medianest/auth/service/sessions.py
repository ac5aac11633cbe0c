"""Sessions and their tokens: sign-in, refresh rotation with theft detection, sign-out,
revocation, and who an access token belongs to."""

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth import passwords, tokens
from medianest.auth.errors import InvalidCredentialsError
from medianest.auth.models import Session, User
from medianest.auth.repository import SessionRepository, UserRepository
from medianest.auth.service.config import AuthConfig
from medianest.auth.service.disconnects import disconnect_after_commit
from medianest.auth.service.principal import CredentialSource, Principal, ensure_owned
from medianest.db.engine import read_only_session, record_even_on_failure
from medianest.kit.clock import utc_now
from medianest.kit.errors import JwtInvalidError, NotFoundError
from medianest.realtime.disconnects import Disconnector


@dataclass(frozen=True, slots=True)
class SignIn:
    user: User
    session: Session
    access_token: str
    refresh_token: str
    expires_in: int


class SessionService:
    def __init__(
        self,
        db: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: AuthConfig,
        *,
        clock: Callable[[], datetime] = utc_now,
        disconnector: Disconnector | None = None,
    ) -> None:
        """`sessionmaker` serves the password check, which reads outside the request's
        transaction; `disconnector` ends the socket.io connections of ended sessions."""
        self._db = db
        self._sessionmaker = sessionmaker
        self._users = UserRepository(db)
        self._sessions = SessionRepository(db)
        self._audit = AuditService(db)
        self._config = config
        self._now = clock
        self._disconnector = disconnector

    async def sign_in(
        self, *, email: str, password: str, remember: bool, client: ClientInfo
    ) -> SignIn:
        # The slow password check runs before this request's transaction begins, so it never
        # holds SQLite's write lock, and in a thread, so it never holds the event loop.
        async with read_only_session(self._sessionmaker) as db:
            found = await UserRepository(db).get_by_email(email)
        if found is None or found.password_hash is None or not found.is_active:
            await passwords.burn_verification_time()
            self._refuse_sign_in(email, found.id if found else None, client)
        stored_hash = found.password_hash
        if not await passwords.verify_in_thread(stored_hash, password):
            self._refuse_sign_in(email, found.id, client)
        user = await self._users.get(found.id)
        if user is None or user.password_hash != stored_hash or not user.is_active:
            self._refuse_sign_in(email, found.id, client)  # changed while we checked
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

    def record_failed_sign_in(
        self, client: ClientInfo, *, details: dict[str, str], actor_id: uuid.UUID | None = None
    ) -> None:
        """Audit a refused sign-in; the entry is kept although the request fails."""

        async def record_refusal(db: AsyncSession) -> None:
            AuditService(db).record(
                AuditAction.SIGN_IN_FAILED, client=client, actor_id=actor_id, details=details
            )

        record_even_on_failure(self._db, record_refusal)

    def _refuse_sign_in(
        self, email: str, actor_id: uuid.UUID | None, client: ClientInfo
    ) -> NoReturn:
        self.record_failed_sign_in(client, actor_id=actor_id, details={"email": email[:320]})
        raise InvalidCredentialsError()

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
            self._end_stolen_session(session.id, user.id, client=client, now=now)
        raise JwtInvalidError("The refresh token is not valid. Sign in again.")

    def _end_stolen_session(
        self, session_id: uuid.UUID, user_id: uuid.UUID, *, client: ClientInfo, now: datetime
    ) -> None:
        """Revoke the session and audit it, to be kept although the request fails."""
        disconnector = self._disconnector

        async def revoke_stolen_session(db: AsyncSession) -> None:
            stolen = await SessionRepository(db).get(session_id)
            if stolen is not None:
                stolen.revoked_at = now
            AuditService(db).record(
                AuditAction.REFRESH_TOKEN_REUSED,
                client=client,
                actor_id=user_id,
                target=("session", str(session_id)),
            )
            disconnect_after_commit(db, disconnector, user_id, session_id=session_id)

        record_even_on_failure(self._db, revoke_stolen_session)

    async def authenticate(self, access_token: str, *, source: CredentialSource) -> Principal:
        """The caller behind an access token, as the database knows them right now: a revoked
        session, a disabled user or a changed role take effect on the very next request."""
        claims = tokens.read_access_token(access_token, secret=self._config.secret, now=self._now())
        found = await self._sessions.get_with_user(claims.session_id)
        if found is None or found[1].id != claims.user_id or not _is_live(*found, self._now()):
            raise JwtInvalidError("The session has ended. Sign in again.")
        return Principal(user=found[1], session=found[0], source=source)

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
        disconnect_after_commit(
            self._db, self._disconnector, principal.user.id, session_id=session.id
        )

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
        disconnect_after_commit(
            self._db, self._disconnector, principal.user.id, session_id=session_id
        )

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


def _is_live(session: Session, user: User, now: datetime) -> bool:
    return session.revoked_at is None and session.expires_at > now and user.is_active
