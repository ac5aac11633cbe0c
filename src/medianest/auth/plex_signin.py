"""Sign in with Plex: the PIN flow of plex.tv, then a MediaNest session like any other.

Only accounts that may use the configured Plex server get in: its owner, or someone it is
shared with (the server appears among the account's plex.tv resources). The user's Plex
token is kept encrypted; MediaNest never sends it to a browser.
"""

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.schemas import ClientInfo
from medianest.auth.errors import AccountDisabledError, PlexAccessDeniedError
from medianest.auth.models import User
from medianest.auth.repository import UserRepository
from medianest.auth.schemas import Role
from medianest.auth.service.accounts import AccountService
from medianest.auth.service.sessions import SessionService, SignIn
from medianest.integrations.plex.client import PlexServerClient
from medianest.integrations.plex.errors import PlexNotConfiguredError
from medianest.integrations.plextv.client import PlexTvClient
from medianest.integrations.plextv.schemas import PlexAccount, PlexPin
from medianest.kit.crypto import SecretBox

logger = structlog.get_logger(__name__)

PLEX_PIN_LIFETIME_SECONDS = 900
"""plex.tv lets a PIN live 15 minutes."""


def qr_data_url(url: str) -> str:
    """A QR code of the URL as an SVG `data:` URL: drawn here, no third-party service
    (segno loads with the first one, not at the server's start)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


@dataclass(frozen=True, slots=True)
class PlexAccess:
    owns_server: bool


class PlexSignIn:
    def __init__(
        self,
        session: AsyncSession,
        sessions: SessionService,
        accounts: AccountService,
        *,
        plextv: PlexTvClient,
        server: PlexServerClient | None,
        secrets: SecretBox,
        owner_becomes_admin: bool,
    ) -> None:
        self._users = UserRepository(session)
        self._sessions = sessions
        self._accounts = accounts
        self._plextv = plextv
        self._server = server
        self._secrets = secrets
        self._owner_becomes_admin = owner_becomes_admin

    async def create_pin(self) -> PlexPin:
        if self._server is None:
            raise PlexNotConfiguredError("Sign-in with Plex needs a Plex server: set PLEX_URL.")
        return await self._plextv.create_pin()

    async def verify(self, pin_id: int, *, remember: bool, client: ClientInfo) -> SignIn | PlexPin:
        """The signed-in session once the PIN is claimed; until then the pending PIN."""
        pin = await self._plextv.get_pin(pin_id)
        if not pin.auth_token:
            return pin
        account = await self._plextv.get_account(pin.auth_token)
        access = await self._server_access(pin.auth_token)
        if access is None:
            logger.info("auth.plex_access_denied", plex_username=account.username)
            details = {
                "method": "plex",
                "plexUsername": account.username[:100],
                "reason": "no_access",
            }
            self._sessions.record_failed_sign_in(client, details=details)
            raise PlexAccessDeniedError()
        user = await self._link_user(account, pin.auth_token, access, client)
        if not user.is_active:
            raise AccountDisabledError()
        return await self._sessions.start_session(
            user, remember=remember, method="plex", client=client
        )

    async def _server_access(self, token: str) -> PlexAccess | None:
        if self._server is None:
            raise PlexNotConfiguredError("Sign-in with Plex needs a Plex server: set PLEX_URL.")
        machine_id = await self._server.machine_identifier()
        for resource in await self._plextv.get_resources(token):
            if resource.is_server and resource.client_identifier == machine_id:
                return PlexAccess(owns_server=resource.owned)
        return None

    async def _link_user(
        self, account: PlexAccount, token: str, access: PlexAccess, client: ClientInfo
    ) -> User:
        """The user with this Plex id, else the one with its email, else a new user."""
        plex_id = str(account.id)
        user = await self._users.get_by_plex_id(plex_id)
        if user is None and account.email:
            user = await self._users.get_by_email(account.email)
        if user is None:
            user = await self._accounts.create_plex_user(
                username=account.username,
                email=account.email,
                name=account.title,
                role=await self._role_for_new_user(access),
                client=client,
            )
            logger.info("auth.plex_user_created", user_id=str(user.id), role=user.role.value)
        user.plex_id = plex_id
        user.plex_username = account.username[:100]
        user.avatar_url = (account.thumb or "")[:500] or None
        user.plex_token_encrypted = self._secrets.encrypt(token)
        return user

    async def _role_for_new_user(self, access: PlexAccess) -> Role:
        may_become_admin = access.owns_server and self._owner_becomes_admin
        if may_become_admin and not await self._users.admin_exists():
            return Role.ADMIN
        return Role.USER
