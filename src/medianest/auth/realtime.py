"""Who is behind a socket.io connection: the REST API's credentials, checked the same way."""

from medianest.auth.deps import ACCESS_COOKIE
from medianest.auth.service.principal import CredentialSource
from medianest.auth.wiring import session_service
from medianest.db.engine import read_only_session
from medianest.realtime.server import Handshake, SocketUser
from medianest.runtime.state import AppState


async def identify_socket(state: AppState, handshake: Handshake) -> SocketUser | None:
    """The user behind a handshake, as the database knows them now (a revoked session or a
    disabled account is refused); None when it carries no credentials.

    An access token (in the `auth` payload or a bearer header) wins over the session cookie,
    as for the REST API. The cookie needs no CSRF token here: connecting changes nothing, and
    the server refuses origins other than its own and `CORS_ORIGINS`. Bad credentials raise
    `JwtInvalidError`.
    """
    if (token := handshake.token) is not None:
        source = CredentialSource.BEARER
    elif cookie := handshake.cookies.get(ACCESS_COOKIE):
        token, source = cookie, CredentialSource.COOKIE
    else:
        return None
    async with read_only_session(state.sessionmaker) as session:
        principal = await session_service(session, state).authenticate(token, source=source)
    return SocketUser(
        id=str(principal.user.id),
        is_admin=principal.is_admin,
        session_id=None if principal.session is None else str(principal.session.id),
    )
