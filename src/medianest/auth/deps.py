"""Who is calling: credentials from a bearer token or cookies, CSRF, roles."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from medianest import __version__
from medianest.audit.schemas import ClientInfo
from medianest.auth import principal_cache, tokens
from medianest.auth.errors import ApiKeyInvalidError
from medianest.auth.plex_signin import PlexSignIn
from medianest.auth.schemas import ApiKeyScope, QuotaRead
from medianest.auth.service.accounts import AccountService
from medianest.auth.service.api_keys import ApiKeyService
from medianest.auth.service.config import auth_config
from medianest.auth.service.password_reset import PasswordResetService
from medianest.auth.service.principal import CredentialSource, Principal, require_admin
from medianest.auth.service.sessions import SessionService
from medianest.auth.throttle import SignInThrottle
from medianest.auth.wiring import (
    account_service,
    api_key_service,
    password_reset_service,
    session_service,
)
from medianest.db.engine import unit_of_work
from medianest.http import correlation
from medianest.http.deps import (
    SAFE_METHODS,
    SessionDep,
    StateDep,
    client_ip,
    enforce_limit,
    read_only_sessionmaker,
)
from medianest.http.openapi import COOKIE_SCHEME, error_responses
from medianest.http.state import app_state
from medianest.integrations.plex.errors import PlexNotConfiguredError
from medianest.integrations.plextv.client import PlexTvClient, PlexTvConfig
from medianest.kit.crypto import SecretBox
from medianest.kit.errors import (
    CsrfTokenMismatchError,
    ForbiddenError,
    JwtInvalidError,
    UnauthorizedError,
)
from medianest.runtime.state import AppState

SIGNED_IN_ERRORS = error_responses(
    UnauthorizedError, JwtInvalidError, ApiKeyInvalidError, CsrfTokenMismatchError, ForbiddenError
)
"""What any route behind sign-in may answer, for its OpenAPI `responses=`."""

ACCESS_COOKIE = "medianest_access"
REFRESH_COOKIE = "medianest_refresh"
CSRF_COOKIE = "medianest_csrf"
PLEX_PIN_COOKIE = "medianest_plex_pin"
DEVICE_COOKIE = "medianest_device"
CSRF_HEADER = "X-CSRF-Token"


def jwt_secret(state: AppState) -> str:
    return auth_config(state.settings).secret


def _read_credentials_from_cache(request: Request, session: AsyncSession, state: AppState) -> None:
    """Safe requests may take the verified session or API key from the principal cache;
    writes and refreshes read the rows afresh."""
    if request.method in SAFE_METHODS:
        principal_cache.use_cache(session, principal_cache.cache_for(state.sessionmaker))


async def get_session_service(request: Request, session: SessionDep) -> SessionService:
    state = app_state(request)
    _read_credentials_from_cache(request, session, state)
    return session_service(session, state)


SessionServiceDep = Annotated[SessionService, Depends(get_session_service)]


async def get_api_key_service(request: Request, session: SessionDep) -> ApiKeyService:
    state = app_state(request)
    _read_credentials_from_cache(request, session, state)
    return api_key_service(session, state)


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(get_api_key_service)]


async def get_account_service(session: SessionDep, state: StateDep) -> AccountService:
    return account_service(session, state)


AccountServiceDep = Annotated[AccountService, Depends(get_account_service)]


async def get_password_reset_service(session: SessionDep, state: StateDep) -> PasswordResetService:
    return password_reset_service(session, state)


PasswordResetServiceDep = Annotated[PasswordResetService, Depends(get_password_reset_service)]


async def get_plex_signin(
    session: SessionDep, state: StateDep, sessions: SessionServiceDep, accounts: AccountServiceDep
) -> AsyncIterator[PlexSignIn]:
    settings = state.settings
    if settings.plex_client_id is None or settings.encryption_key is None:
        raise PlexNotConfiguredError(
            "PLEX_CLIENT_ID and ENCRYPTION_KEY are not set: run `medianest generate-secrets`."
        )
    config = PlexTvConfig(
        base_url=settings.plex_tv_url,
        client_id=settings.plex_client_id,
        timeout_seconds=settings.plex_timeout_seconds,
        version=__version__,
    )
    async with PlexTvClient(config) as plextv:
        yield PlexSignIn(
            session,
            sessions,
            accounts,
            plextv=plextv,
            server=state.plex_client(),
            secrets=SecretBox(settings.encryption_key.get_secret_value()),
            owner_becomes_admin=settings.plex_owner_becomes_admin,
        )


PlexSignInDep = Annotated[PlexSignIn, Depends(get_plex_signin, scope="function")]


async def get_sign_in_throttle(state: StateDep) -> SignInThrottle:
    return SignInThrottle(
        state.limiter, rules=state.settings.rate_limit_login_account, secret=jwt_secret(state)
    )


SignInThrottleDep = Annotated[SignInThrottle, Depends(get_sign_in_throttle)]


async def get_client_info(request: Request) -> ClientInfo:
    return ClientInfo(
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        correlation_id=correlation.current(),
    )


ClientDep = Annotated[ClientInfo, Depends(get_client_info)]


def verify_csrf(request: Request, state: AppState, principal: Principal) -> None:
    """Double-submit: the header must equal the cookie, and carry our signature over the
    caller's session id (a token of another session, or an anonymous one, fails)."""
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    session_id = principal.session.id if principal.session else None
    if not (
        header
        and header == cookie
        and session_id is not None
        and tokens.csrf_token_is_valid(header, secret=jwt_secret(state), session_id=session_id)
    ):
        raise CsrfTokenMismatchError()


API_KEY_HEADER = "X-Api-Key"

# The credentials, declared as OpenAPI security schemes: every route that depends on them
# lists them in its `security`, which is what Swagger UI's "Authorize" fills in.
BEARER = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="The access token (`token`) of a sign-in or refresh answer, as "
    "`Authorization: Bearer <token>`. It lasts `ACCESS_TOKEN_MINUTES`; "
    "`POST /api/v1/auth/refresh` gives a new one.",
    auto_error=False,
)
API_KEY = APIKeyHeader(
    name=API_KEY_HEADER,
    scheme_name="apiKeyAuth",
    description="An API key from `POST /api/v1/auth/api-keys`. Its scopes decide what it may "
    "do: `read` for GET, `write` for changes, `admin` (an admin's key) for admin routes.",
    auto_error=False,
)
SESSION_COOKIE = APIKeyCookie(
    name=ACCESS_COOKIE,
    scheme_name=COOKIE_SCHEME,
    description="The HttpOnly cookie a browser gets at sign-in. Changes made with it also "
    "need the `X-CSRF-Token` header.",
    auto_error=False,
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
ApiKeyCredential = Annotated[str | None, Security(API_KEY)]
SessionCookie = Annotated[str | None, Security(SESSION_COOKIE)]


async def get_principal(
    request: Request,
    session: SessionDep,
    bearer: BearerCredentials,
    api_key: ApiKeyCredential,
    cookie: SessionCookie,
) -> Principal:
    """Bearer token, then API key, then the session cookie (which alone needs CSRF).

    Every route behind sign-in solves this, so it takes only what FastAPI must provide (the
    request's session, the three credentials that document the security schemes) and builds
    the service it needs itself: each dependency costs FastAPI's solver on every request."""
    token = bearer.credentials if bearer else None
    return await _identify(request, session, app_state(request), token, api_key, cookie)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_optional_principal(
    request: Request,
    bearer: BearerCredentials,
    api_key: ApiKeyCredential,
    cookie: SessionCookie,
) -> AsyncIterator[Principal | None]:
    """The caller of a public route: None without credentials; credentials that are sent
    must be valid (401 otherwise), as on every other route. The database is touched only
    for credentials, so such a route can still answer while it is down."""
    token = bearer.credentials if bearer else None
    if not (token or api_key or cookie):
        yield None
        return
    state = app_state(request)
    sessionmaker = state.sessionmaker
    if request.method in SAFE_METHODS:
        sessionmaker = read_only_sessionmaker(sessionmaker)
    async with unit_of_work(sessionmaker) as session:
        yield await _identify(request, session, state, token, api_key, cookie)


OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal, scope="function")]


async def get_session_principal(
    request: Request,
    session: SessionDep,
    bearer: BearerCredentials,
    cookie: SessionCookie,
) -> Principal:
    """A session's credentials only. An API key is not declared (these routes never take
    one), but is still read, so that it is refused as an API key (403), not as nothing (401)."""
    token = bearer.credentials if bearer else None
    api_key = request.headers.get(API_KEY_HEADER)
    principal = await _identify(request, session, app_state(request), token, api_key, cookie)
    principal.require_session()
    return principal


SessionPrincipal = Annotated[Principal, Depends(get_session_principal)]
"""A caller with a session (bearer token or cookie), never an API key: for what creates
credentials, changes the password or ends the session."""


async def _identify(
    request: Request,
    session: AsyncSession,
    state: AppState,
    token: str | None,
    api_key: str | None,
    cookie: str | None,
) -> Principal:
    _read_credentials_from_cache(request, session, state)
    if token:
        if token.strip().startswith(tokens.API_KEY_PREFIX):
            raise ApiKeyInvalidError(
                "This is an API key, not a session token: send it in the X-Api-Key header "
                "(`X-Api-Key: mn_…`) instead of `Authorization: Bearer`."
            )
        sessions = session_service(session, state)
        principal = await sessions.authenticate(token.strip(), source=CredentialSource.BEARER)
    elif api_key:
        principal = await api_key_service(session, state).authenticate_api_key(api_key)
        if request.method not in SAFE_METHODS and not principal.allows(ApiKeyScope.WRITE):
            raise ForbiddenError("This API key is read-only (it lacks the write scope).")
    elif cookie:
        sessions = session_service(session, state)
        principal = await sessions.authenticate(cookie, source=CredentialSource.COOKIE)
        if request.method not in SAFE_METHODS:
            verify_csrf(request, state, principal)
    else:
        raise UnauthorizedError("Sign in first: send a bearer token or the session cookie.")
    await enforce_limit(
        state,
        request,
        state.settings.rate_limit_api_per_user,
        "api-user",
        str(principal.user.id),
        fail_open=True,
    )
    return principal


@dataclass(frozen=True, slots=True)
class UserQuota:
    """A per-user quota (downloads, media requests): its name in the limiter and the setting
    that holds its rule. Spending and reading it go through the same pair."""

    name: str
    setting: str

    def rule(self, state: AppState) -> str:
        rule: str = getattr(state.settings, self.setting)
        return rule


async def spend_user_quota(
    state: AppState, request: Request, principal: Principal, quota: UserQuota
) -> None:
    """One hit on the user's `quota`: 429 when it is spent. Called by the route once its
    input is valid, so a refused request costs nothing."""
    rule = quota.rule(state)
    await enforce_limit(state, request, rule, quota.name, str(principal.user.id), fail_open=False)


async def peek_user_quota(state: AppState, principal: Principal, quota: UserQuota) -> QuotaRead:
    """The user's `quota` as it stands (the same count `spend_user_quota` spends)."""
    result = await state.limiter.peek(quota.rule(state), quota.name, str(principal.user.id))
    return QuotaRead(limit=result.limit, remaining=result.remaining, reset_at=int(result.reset_at))


async def get_admin(principal: CurrentPrincipal) -> Principal:
    return require_admin(principal)


AdminPrincipal = Annotated[Principal, Depends(get_admin)]
