"""Sign-in, sessions, the signed-in user's account and CSRF tokens."""

import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from medianest.auth import tokens
from medianest.auth.cookies import clear_session_cookies, set_csrf_cookie, set_session_cookies
from medianest.auth.deps import (
    CSRF_COOKIE,
    REFRESH_COOKIE,
    SIGNED_IN_ERRORS,
    AuthServiceDep,
    ClientDep,
    CurrentPrincipal,
    jwt_secret,
)
from medianest.auth.errors import (
    AdminAlreadyExistsError,
    EmailTakenError,
    InvalidCredentialsError,
    WeakPasswordError,
)
from medianest.auth.schemas import (
    AdminBootstrap,
    ChangePasswordRequest,
    CsrfTokenRead,
    LoginRequest,
    ProfileUpdate,
    RefreshRequest,
    SessionInfoRead,
    SessionRead,
    SignInRead,
    UserRead,
)
from medianest.auth.service import SignIn
from medianest.http.deps import PageDep, StateDep, client_ip, enforce_limit
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import (
    JwtInvalidError,
    NotFoundError,
    RateLimitExceededError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from medianest.kit.schemas import Page

router = APIRouter(prefix="/auth", tags=["auth"])
csrf_router = APIRouter(prefix="/csrf", tags=["auth"])


def _signed_in(
    request: Request, response: Response, state: StateDep, sign_in: SignIn
) -> Envelope[SignInRead]:
    settings = state.settings
    set_session_cookies(
        request, response, sign_in, idle_lifetime=timedelta(days=settings.session_idle_days)
    )
    csrf = tokens.new_csrf_token(secret=jwt_secret(state))
    set_csrf_cookie(request, response, csrf)
    return ok(
        SignInRead(
            user=UserRead.model_validate(sign_in.user),
            token=sign_in.access_token,
            refresh_token=sign_in.refresh_token,
            expires_in=sign_in.expires_in,
            csrf_token=csrf,
        )
    )


@router.post(
    "/admin",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(AdminAlreadyExistsError, WeakPasswordError),
)
async def bootstrap_admin(
    body: AdminBootstrap,
    request: Request,
    response: Response,
    auth: AuthServiceDep,
    client: ClientDep,
    state: StateDep,
) -> Envelope[SignInRead]:
    """Create the first admin and sign them in. Only while no admin exists (then 409)."""
    await auth.bootstrap_admin(body, client=client)
    sign_in = await auth.sign_in(
        email=str(body.email), password=body.password, remember=False, client=client
    )
    return _signed_in(request, response, state, sign_in)


@router.post(
    "/login",
    responses=error_responses(
        InvalidCredentialsError, RateLimitExceededError, ServiceUnavailableError
    ),
)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    auth: AuthServiceDep,
    client: ClientDep,
    state: StateDep,
) -> Envelope[SignInRead]:
    """Sign in with email and password.

    Answers with tokens for API clients and sets HttpOnly cookies (plus a readable CSRF
    cookie) for browsers. Limited to `RATE_LIMIT_LOGIN` attempts per IP.
    """
    await enforce_limit(
        state,
        response,
        state.settings.rate_limit_login,
        "login",
        client_ip(request),
        fail_open=False,
    )
    sign_in = await auth.sign_in(
        email=str(body.email), password=body.password, remember=body.remember_me, client=client
    )
    return _signed_in(request, response, state, sign_in)


@router.post("/refresh", responses=error_responses(JwtInvalidError))
async def refresh_tokens(
    request: Request,
    response: Response,
    auth: AuthServiceDep,
    client: ClientDep,
    state: StateDep,
    body: RefreshRequest | None = None,
) -> Envelope[SignInRead]:
    """Exchange a refresh token (body, or the refresh cookie) for new tokens.

    Each refresh token works once; presenting an old one again ends the session.
    """
    token = (body.refresh_token if body else None) or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise UnauthorizedError("Send the refresh token in the body or its cookie.")
    sign_in = await auth.refresh(token, client=client)
    return _signed_in(request, response, state, sign_in)


@router.post("/logout", responses=SIGNED_IN_ERRORS)
async def logout(
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    auth: AuthServiceDep,
    client: ClientDep,
) -> Envelope[None]:
    """End this session: its access and refresh tokens stop working at once."""
    await auth.sign_out(principal, client=client)
    clear_session_cookies(request, response)
    return ok(None)


@router.get("/session", responses=SIGNED_IN_ERRORS)
async def get_session(principal: CurrentPrincipal) -> Envelope[SessionInfoRead]:
    """The signed-in user and the session their credentials belong to."""
    session = SessionRead.model_validate(principal.session)
    session.is_current = True
    return ok(SessionInfoRead(user=UserRead.model_validate(principal.user), session=session))


@router.get("/me", responses=SIGNED_IN_ERRORS)
async def get_me(principal: CurrentPrincipal) -> Envelope[UserRead]:
    """The signed-in user."""
    return ok(UserRead.model_validate(principal.user))


@router.patch("/me", responses=error_responses(EmailTakenError) | SIGNED_IN_ERRORS)
async def update_me(
    body: ProfileUpdate, principal: CurrentPrincipal, auth: AuthServiceDep, client: ClientDep
) -> Envelope[UserRead]:
    """Change your own name or email."""
    user = await auth.update_profile(principal.user, body, client=client)
    return ok(UserRead.model_validate(user))


@router.post("/change-password", responses=error_responses(WeakPasswordError) | SIGNED_IN_ERRORS)
async def change_password(
    body: ChangePasswordRequest,
    principal: CurrentPrincipal,
    auth: AuthServiceDep,
    client: ClientDep,
) -> Envelope[None]:
    """Change your password; every other session of yours ends."""
    await auth.change_password(
        principal, current=body.current_password, new=body.new_password, client=client
    )
    return ok(None)


@router.get("/sessions", responses=SIGNED_IN_ERRORS)
async def list_sessions(
    principal: CurrentPrincipal, auth: AuthServiceDep, page: PageDep
) -> Envelope[Page[SessionRead]]:
    """Your active sessions (devices), most recently used first."""
    sessions = [SessionRead.model_validate(s) for s in await auth.list_sessions(principal)]
    for session in sessions:
        session.is_current = session.id == principal.session.id
    window = sessions[page.offset : page.offset + page.limit]
    return ok(
        Page[SessionRead].build(window, page=page.page, limit=page.limit, total_items=len(sessions))
    )


@router.delete(
    "/sessions/{session_id}", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS
)
async def revoke_session(
    session_id: uuid.UUID, principal: CurrentPrincipal, auth: AuthServiceDep, client: ClientDep
) -> Envelope[None]:
    """End one of your sessions (sign a device out)."""
    await auth.revoke_session(principal, session_id, client=client)
    return ok(None)


@csrf_router.get("/token")
async def get_csrf_token(
    request: Request, response: Response, state: StateDep
) -> Envelope[CsrfTokenRead]:
    """A CSRF token, also set as the `medianest_csrf` cookie. Send it back as `X-CSRF-Token`
    on cookie-authenticated POST, PUT, PATCH and DELETE requests."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if existing and tokens.csrf_token_is_valid(existing, secret=jwt_secret(state)):
        return ok(CsrfTokenRead(token=existing))
    return await refresh_csrf_token(request, response, state)


@csrf_router.post("/refresh")
async def refresh_csrf_token(
    request: Request, response: Response, state: StateDep
) -> Envelope[CsrfTokenRead]:
    """A fresh CSRF token (the cookie is replaced)."""
    token = tokens.new_csrf_token(secret=jwt_secret(state))
    set_csrf_cookie(request, response, token)
    return ok(CsrfTokenRead(token=token))
