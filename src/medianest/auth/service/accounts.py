"""Accounts: the first admin, the admin's user management, Plex users, and the signed-in
user's own profile and password."""

import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth import passwords
from medianest.auth.errors import AdminAlreadyExistsError, EmailTakenError
from medianest.auth.mail import email_changed_mail, invitation_mail, send_in_background
from medianest.auth.models import User
from medianest.auth.repository import SessionRepository, UserRepository
from medianest.auth.schemas import (
    AdminBootstrap,
    ProfileUpdate,
    Role,
    TokenPurpose,
    UserCounts,
    UserCreate,
    UserQuery,
    UserSort,
)
from medianest.auth.service.disconnects import disconnect_after_commit
from medianest.auth.service.password_reset import INVITE_LIFETIME, PasswordResetService
from medianest.auth.service.principal import Principal
from medianest.db.engine import after_commit
from medianest.integrations.smtp.client import Mailer
from medianest.integrations.smtp.schemas import MailMessage
from medianest.kit.clock import utc_now
from medianest.kit.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from medianest.realtime.disconnects import Disconnector


class AccountService:
    def __init__(
        self,
        db: AsyncSession,
        mailer: Mailer,
        resets: PasswordResetService,
        *,
        clock: Callable[[], datetime] = utc_now,
        disconnector: Disconnector | None = None,
    ) -> None:
        """`resets` issues the links of invitations; `disconnector` ends the socket.io
        connections of users whose rights shrink."""
        self._db = db
        self._users = UserRepository(db)
        self._sessions = SessionRepository(db)
        self._audit = AuditService(db)
        self._mailer = mailer
        self._resets = resets
        self._now = clock
        self._disconnector = disconnector

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
            link = await self._resets.issue_link(user, TokenPurpose.INVITE)
            inviter = actor.user.name or actor.user.username
            await self._mailer.send(
                invitation_mail(user, link, inviter=inviter, valid_days=INVITE_LIFETIME.days)
            )
        return user

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
            AuditAction.PLEX_USER_CREATED,
            client=client,
            actor_id=user.id,
            target=("user", str(user.id)),
            details={"role": role.value},
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
        user = await self.get_user(user_id)
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
        if demoted:
            disconnect_after_commit(self._db, self._disconnector, user.id)
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
        disconnect_after_commit(self._db, self._disconnector, user.id)

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
        disconnect_after_commit(self._db, self._disconnector, user.id)
        return ended

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

    async def change_password(
        self, principal: Principal, *, current: str, new: str, client: ClientInfo
    ) -> None:
        """Replace the password and end every other session of the user."""
        await self._confirm_identity(principal, current, action="change the password")
        user = principal.user
        user.password_hash = await passwords.checked_hash(
            new, personal=(user.email, user.name, user.username), field="newPassword"
        )
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
            disconnect_after_commit(self._db, self._disconnector, user.id)

    async def _create_user(
        self, *, email: str, name: str, password: str | None, role: Role
    ) -> User:
        # Checked and hashed before the first query: on SQLite a write's transaction holds
        # the database's write lock from its first statement. The username comes from the
        # email's local part, which the policy already treats as personal.
        password_hash = (
            await passwords.checked_hash(password, personal=(email, name))
            if password is not None
            else None
        )
        if await self._users.get_by_email(email) is not None:
            raise EmailTakenError()
        username = await self._free_username(email.split("@", 1)[0])
        return await self._users.add(
            User(
                email=email.lower(),
                username=username,
                name=name,
                role=role,
                password_hash=password_hash,
            )
        )

    async def _free_username(self, wanted: str) -> str:
        base = re.sub(r"[^a-z0-9._-]", "", wanted.lower())[:40] or "user"
        candidate = base
        while await self._users.username_taken(candidate):
            candidate = f"{base}-{secrets.token_hex(2)}"
        return candidate

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


_USER_SORT = {
    UserSort.CREATED_DESC: (User.created_at, True),
    UserSort.CREATED_ASC: (User.created_at, False),
    UserSort.EMAIL_ASC: (User.email, False),
    UserSort.EMAIL_DESC: (User.email, True),
    UserSort.USERNAME_ASC: (User.username, False),
    UserSort.LAST_LOGIN_DESC: (User.last_login_at, True),
}
