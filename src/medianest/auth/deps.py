"""Who is calling: credentials from a bearer token or cookies, CSRF, roles."""

from typing import Annotated

from fastapi import Depends, Request, Response

from medianest.audit.schemas import ClientInfo
from medianest.auth import tokens
from medianest.auth.schemas import ApiKeyScope
from medianest.auth.service import (
    AuthService,
    CredentialSource,
    Principal,
    auth_config,
    require_admin,
)
from medianest.http import correlation
from medianest.http.deps import SessionDep, StateDep, client_ip, enforce_limit
from medianest.http.openapi import error_responses
from medianest.http.state import AppState
from medianest.kit.errors import (
    CsrfTokenMismatchError,
    ForbiddenError,
    JwtInvalidError,
    UnauthorizedError,
)

SIGNED_IN_ERRORS = error_responses(
    UnauthorizedError, JwtInvalidError, CsrfTokenMismatchError, ForbiddenError
)
"""What any route behind sign-in may answer, for its OpenAPI `responses=`."""

ACCESS_COOKIE = "medianest_access"
REFRESH_COOKIE = "medianest_refresh"
CSRF_COOKIE = "medianest_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def jwt_secret(state: AppState) -> str:
    return auth_config(state.settings).secret


async def get_auth_service(session: SessionDep, state: StateDep) -> AuthService:
    return AuthService(session, state.sessionmaker, auth_config(state.settings), state.mailer)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_client_info(request: Request) -> ClientInfo:
    return ClientInfo(
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        correlation_id=correlation.current(),
    )


ClientDep = Annotated[ClientInfo, Depends(get_client_info)]


def verify_csrf(request: Request, state: AppState) -> None:
    """Double-submit: the header must equal the cookie, and carry our signature."""
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not (
        header and header == cookie and tokens.csrf_token_is_valid(header, secret=jwt_secret(state))
    ):
        raise CsrfTokenMismatchError()


API_KEY_HEADER = "X-Api-Key"


async def get_principal(
    request: Request, response: Response, auth: AuthServiceDep, state: StateDep
) -> Principal:
    """Bearer token, then API key, then the session cookie (which alone needs CSRF)."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        principal = await auth.authenticate(credentials.strip(), source=CredentialSource.BEARER)
    elif api_key := request.headers.get(API_KEY_HEADER):
        principal = await auth.authenticate_api_key(api_key)
        if request.method not in SAFE_METHODS and not principal.allows(ApiKeyScope.WRITE):
            raise ForbiddenError("This API key is read-only (it lacks the write scope).")
    elif cookie := request.cookies.get(ACCESS_COOKIE):
        principal = await auth.authenticate(cookie, source=CredentialSource.COOKIE)
        if request.method not in SAFE_METHODS:
            verify_csrf(request, state)
    else:
        raise UnauthorizedError("Sign in first: send a bearer token or the session cookie.")
    await enforce_limit(
        state,
        response,
        state.settings.rate_limit_api_per_user,
        "api-user",
        str(principal.user.id),
        fail_open=True,
    )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_admin(principal: CurrentPrincipal) -> Principal:
    return require_admin(principal)


AdminPrincipal = Annotated[Principal, Depends(get_admin)]
