"""Sign-in, sessions, the signed-in user's account and CSRF tokens."""

import uuid
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from fastapi.responses import JSONResponse

from medianest import __version__
from medianest.auth import tokens
from medianest.auth.cookies import (
    clear_plex_pin_cookie,
    clear_session_cookies,
    set_csrf_cookie,
    set_device_cookie,
    set_plex_pin_cookie,
    set_session_cookies,
)
from medianest.auth.deps import (
    ACCESS_COOKIE,
    CSRF_COOKIE,
    DEVICE_COOKIE,
    PLEX_PIN_COOKIE,
    REFRESH_COOKIE,
    SIGNED_IN_ERRORS,
    AccountServiceDep,
    ApiKeyServiceDep,
    ClientDep,
    CurrentPrincipal,
    PasswordResetServiceDep,
    PlexSignInDep,
    SessionPrincipal,
    SessionServiceDep,
    SignInThrottleDep,
    jwt_secret,
)
from medianest.auth.errors import (
    AdminAlreadyExistsError,
    EmailTakenError,
    InvalidCredentialsError,
    PlexAccessDeniedError,
    WeakPasswordError,
)
from medianest.auth.plex_signin import PLEX_PIN_LIFETIME_SECONDS, qr_data_url
from medianest.auth.schemas import (
    AdminBootstrap,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ChangePasswordRequest,
    CsrfTokenRead,
    LoginRequest,
    MessageRead,
    PasswordResetConfirm,
    PasswordResetRequest,
    PasswordResetTokenRead,
    PasswordResetVerify,
    PlexPinPendingRead,
    PlexPinRead,
    PlexVerifyRequest,
    ProfileUpdate,
    PublicInfoRead,
    RefreshRequest,
    SessionInfoRead,
    SessionRead,
    SignInRead,
    TokenPurpose,
    UserRead,
)
from medianest.auth.service.config import auth_config, public_info
from medianest.auth.service.password_reset import send_password_reset
from medianest.auth.service.sessions import SignIn
from medianest.http.deps import PageDep, StateDep, client_ip, enforce_limit, remember_limit
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.integrations.plex.errors import PlexNotConfiguredError
from medianest.integrations.plextv.client import sign_in_url
from medianest.integrations.plextv.errors import PlexPinExpiredError
from medianest.integrations.plextv.schemas import PlexPin
from medianest.kit.clock import utc_now
from medianest.kit.errors import (
    JwtInvalidError,
    NotFoundError,
    PlexUnreachableError,
    RateLimitExceededError,
    ServiceUnavailableError,
    UnauthorizedError,
    ValidationError,
)
from medianest.kit.schemas import Page
from medianest.runtime.state import AppState

router = APIRouter(prefix="/auth", tags=["auth"])
csrf_router = APIRouter(prefix="/csrf", tags=["auth"])
public_router = APIRouter(prefix="/public", tags=["public"])

SETUP_DONE_CACHE_KEY = "public:setup-done"
SETUP_DONE_CACHE_SECONDS = 60
"""Once an admin exists setup stays done (the last admin cannot be removed), so only that
answer is cached: a fresh install sees its first admin at once."""


def _signed_in(
    request: Request, response: Response, state: StateDep, sign_in: SignIn
) -> Envelope[SignInRead]:
    settings = state.settings
    set_session_cookies(
        request, response, sign_in, idle_lifetime=timedelta(days=settings.session_idle_days)
    )
    csrf = tokens.new_csrf_token(secret=jwt_secret(state), session_id=sign_in.session.id)
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
    accounts: AccountServiceDep,
    sessions: SessionServiceDep,
    client: ClientDep,
    state: StateDep,
) -> Envelope[SignInRead]:
    """Create the first admin and sign them in. Only while no admin exists (then 409)."""
    admin = await accounts.bootstrap_admin(body, client=client)
    sign_in = await sessions.start_session(admin, remember=False, method="bootstrap", client=client)
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
    sessions: SessionServiceDep,
    client: ClientDep,
    state: StateDep,
    throttle: SignInThrottleDep,
) -> Envelope[SignInRead]:
    """Sign in with email and password.

    Answers with tokens for API clients and sets HttpOnly cookies (plus a readable CSRF
    cookie) for browsers. Limited to `RATE_LIMIT_LOGIN` attempts per IP, and to
    `RATE_LIMIT_LOGIN_ACCOUNT` per account from anywhere: each further window of that one
    makes the wait longer (429 with `Retry-After`), up to the longest window. A browser that
    signed in to the account before (it holds an HttpOnly cookie) keeps a count of its own,
    so others guessing at the account do not lock it out. Every answer, a 401 too, carries
    the `X-RateLimit-*` headers of the tighter limit.
    """
    per_ip = await enforce_limit(
        state,
        request,
        state.settings.rate_limit_login,
        "login",
        client_ip(request),
        fail_open=False,
    )
    counter = throttle.counter(str(body.email), request.cookies.get(DEVICE_COOKIE, ""))
    per_account = await throttle.admit(counter)
    if per_ip is None or per_account.remaining < per_ip.remaining:
        remember_limit(request, per_account)
    sign_in = await sessions.sign_in(
        email=str(body.email), password=body.password, remember=body.remember_me, client=client
    )
    await throttle.succeeded(counter)
    if counter.device is None:
        set_device_cookie(request, response, throttle.device_token(counter))
    return _signed_in(request, response, state, sign_in)


PLEX_SIGN_IN_ERRORS = error_responses(
    PlexUnreachableError, PlexNotConfiguredError, PlexPinExpiredError, PlexAccessDeniedError
)


@router.post("/plex/pin", status_code=status.HTTP_201_CREATED, responses=PLEX_SIGN_IN_ERRORS)
async def create_plex_pin(
    request: Request, response: Response, state: StateDep, plex: PlexSignInDep
) -> Envelope[PlexPinRead]:
    """Start signing in with Plex: a PIN created on plex.tv for this MediaNest.

    Open `authUrl` (or scan `qrUrl`), approve, then poll `POST /auth/plex/verify`. The PIN
    is tied to this browser by an HttpOnly cookie.
    """
    pin = await plex.create_pin()
    auth_url = sign_in_url(client_id=state.settings.plex_client_id or "", code=pin.code)
    binding = tokens.plex_pin_binding(pin.id, secret=jwt_secret(state))
    set_plex_pin_cookie(request, response, binding, max_age=pin.expires_in)
    return ok(
        PlexPinRead(
            id=pin.id,
            code=pin.code,
            auth_url=auth_url,
            qr_url=qr_data_url(auth_url),
            expires_in=pin.expires_in,
        )
    )


@router.post(
    "/plex/verify",
    response_model=Envelope[SignInRead],
    responses={
        status.HTTP_202_ACCEPTED: {
            "model": Envelope[PlexPinPendingRead],
            "description": "Not approved yet: ask again in a second or two.",
        },
        **PLEX_SIGN_IN_ERRORS,
    },
)
async def verify_plex_pin(
    body: PlexVerifyRequest,
    request: Request,
    response: Response,
    state: StateDep,
    plex: PlexSignInDep,
    client: ClientDep,
) -> Envelope[SignInRead] | JSONResponse:
    """Finish signing in with Plex: 202 `pending` until the PIN is approved on plex.tv, then
    the same tokens and cookies as a password sign-in. 403 `PLEX_ACCESS_DENIED` for a Plex
    account this server is not shared with."""
    binding = request.cookies.get(PLEX_PIN_COOKIE, "")
    if not tokens.plex_pin_is_bound(binding, body.pin_id, secret=jwt_secret(state)):
        raise PlexPinExpiredError("This PIN was not started in this browser. Start again here.")
    used_key = f"plex-pin-used:{body.pin_id}"
    if await state.cache.get(used_key):
        raise PlexPinExpiredError("This PIN was used already. Start the sign-in again.")
    outcome = await plex.verify(body.pin_id, remember=body.remember_me, client=client)
    if isinstance(outcome, PlexPin):
        pending = ok(PlexPinPendingRead(expires_in=outcome.expires_in))
        return JSONResponse(pending.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED)
    await state.cache.set(used_key, True, ttl_seconds=PLEX_PIN_LIFETIME_SECONDS)
    clear_plex_pin_cookie(request, response)
    return _signed_in(request, response, state, outcome)


@router.post("/refresh", responses=error_responses(JwtInvalidError))
async def refresh_tokens(
    request: Request,
    response: Response,
    sessions: SessionServiceDep,
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
    sign_in = await sessions.refresh(token, client=client)
    return _signed_in(request, response, state, sign_in)


@router.post("/logout", responses=SIGNED_IN_ERRORS)
async def logout(
    principal: SessionPrincipal,
    request: Request,
    response: Response,
    sessions: SessionServiceDep,
    client: ClientDep,
) -> Envelope[None]:
    """End this session: its access and refresh tokens stop working at once."""
    await sessions.sign_out(principal, client=client)
    clear_session_cookies(request, response)
    return ok(None)


@router.get("/session", responses=SIGNED_IN_ERRORS)
async def get_session(principal: CurrentPrincipal) -> Envelope[SessionInfoRead]:
    """The signed-in user and the session their credentials belong to."""
    session = None
    if principal.session is not None:
        session = SessionRead.model_validate(principal.session)
        session.is_current = True
    return ok(SessionInfoRead(user=UserRead.model_validate(principal.user), session=session))


@router.get("/me", responses=SIGNED_IN_ERRORS)
async def get_me(principal: CurrentPrincipal) -> Envelope[UserRead]:
    """The signed-in user."""
    return ok(UserRead.model_validate(principal.user))


@router.patch("/me", responses=error_responses(EmailTakenError, ValidationError) | SIGNED_IN_ERRORS)
async def update_me(
    body: ProfileUpdate, principal: CurrentPrincipal, accounts: AccountServiceDep, client: ClientDep
) -> Envelope[UserRead]:
    """Change your own name or email.

    A new email needs `currentPassword` and a signed-in session (bearer token or cookie; an
    API key gets 403), because password resets go there; the old address is mailed about it.
    """
    user = await accounts.update_profile(principal, body, client=client)
    return ok(UserRead.model_validate(user))


@router.post("/change-password", responses=error_responses(WeakPasswordError) | SIGNED_IN_ERRORS)
async def change_password(
    body: ChangePasswordRequest,
    principal: SessionPrincipal,
    accounts: AccountServiceDep,
    client: ClientDep,
) -> Envelope[None]:
    """Change your password; every other session of yours ends."""
    await accounts.change_password(
        principal, current=body.current_password, new=body.new_password, client=client
    )
    return ok(None)


@router.get("/sessions", responses=SIGNED_IN_ERRORS)
async def list_sessions(
    principal: CurrentPrincipal, sessions: SessionServiceDep, page: PageDep
) -> Envelope[Page[SessionRead]]:
    """Your active sessions (devices), most recently used first."""
    active = [SessionRead.model_validate(s) for s in await sessions.list_sessions(principal)]
    current_id = principal.session.id if principal.session else None
    for session in active:
        session.is_current = session.id == current_id
    window = active[page.offset : page.offset + page.limit]
    return ok(
        Page[SessionRead].build(window, page=page.page, limit=page.limit, total_items=len(active))
    )


@router.delete(
    "/sessions/{session_id}", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS
)
async def revoke_session(
    session_id: uuid.UUID,
    principal: CurrentPrincipal,
    sessions: SessionServiceDep,
    client: ClientDep,
) -> Envelope[None]:
    """End one of your sessions (sign a device out). Anyone else's session is 404, to admins
    too (`POST /admin/users/{user_id}/revoke-sessions` ends all of a user's sessions)."""
    await sessions.revoke_session(principal, session_id, client=client)
    return ok(None)


def _cookie_session_id(request: Request, state: AppState) -> uuid.UUID | None:
    """The session the access cookie names (signature and expiry checked), if any: the
    CSRF token is bound to it."""
    cookie = request.cookies.get(ACCESS_COOKIE, "")
    if not cookie:
        return None
    try:
        return tokens.read_access_token(cookie, secret=jwt_secret(state), now=utc_now()).session_id
    except JwtInvalidError:
        return None


@csrf_router.get("/token")
async def get_csrf_token(
    request: Request, response: Response, state: StateDep
) -> Envelope[CsrfTokenRead]:
    """A CSRF token for this browser's session, also set as the `medianest_csrf` cookie.
    Send it back as `X-CSRF-Token` on cookie-authenticated POST, PUT, PATCH and DELETE
    requests. It is bound to the session: ask again after signing in."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    session_id = _cookie_session_id(request, state)
    if existing and tokens.csrf_token_is_valid(
        existing, secret=jwt_secret(state), session_id=session_id
    ):
        return ok(CsrfTokenRead(token=existing))
    return await refresh_csrf_token(request, response, state)


@csrf_router.post("/refresh")
async def refresh_csrf_token(
    request: Request, response: Response, state: StateDep
) -> Envelope[CsrfTokenRead]:
    """A fresh CSRF token for this browser's session (the cookie is replaced)."""
    token = tokens.new_csrf_token(
        secret=jwt_secret(state), session_id=_cookie_session_id(request, state)
    )
    set_csrf_cookie(request, response, token)
    return ok(CsrfTokenRead(token=token))


@router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ValidationError) | SIGNED_IN_ERRORS,
)
async def create_api_key(
    body: ApiKeyCreate, principal: SessionPrincipal, api_keys: ApiKeyServiceDep, client: ClientDep
) -> Envelope[ApiKeyCreated]:
    """Create an API key for scripts. The key is in this answer only: store it now.

    Scopes: `read` (GET), `write` (changes), `admin` (admin routes; admins only).
    """
    api_key, key = await api_keys.create_api_key(principal, body, client=client)
    return ok(
        ApiKeyCreated.model_validate(
            {**ApiKeyRead.model_validate(api_key).model_dump(), "key": key}
        )
    )


@router.get("/api-keys", responses=SIGNED_IN_ERRORS)
async def list_api_keys(
    principal: CurrentPrincipal, api_keys: ApiKeyServiceDep, page: PageDep
) -> Envelope[Page[ApiKeyRead]]:
    """Your API keys (only their prefix), newest first."""
    keys = [ApiKeyRead.model_validate(key) for key in await api_keys.list_api_keys(principal)]
    window = keys[page.offset : page.offset + page.limit]
    return ok(
        Page[ApiKeyRead].build(window, page=page.page, limit=page.limit, total_items=len(keys))
    )


@router.delete("/api-keys/{key_id}", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS)
async def revoke_api_key(
    key_id: uuid.UUID, principal: CurrentPrincipal, api_keys: ApiKeyServiceDep, client: ClientDep
) -> Envelope[None]:
    """Revoke one of your API keys; it stops working at once. Anyone else's key is 404, to
    admins too, as for sessions (deleting an account revokes its keys)."""
    await api_keys.revoke_api_key(principal, key_id, client=client)
    return ok(None)


@router.post(
    "/password-reset/request",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(RateLimitExceededError, ServiceUnavailableError),
)
async def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    background: BackgroundTasks,
    client: ClientDep,
    state: StateDep,
) -> Envelope[MessageRead]:
    """Mail a single-use link (valid one hour) to set a new password.

    The answer is the same whether or not the address has an account, and the lookup and
    the mail happen after the answer, so neither content nor timing tells.
    `RATE_LIMIT_PASSWORD_RESET` per address.
    """
    email = str(body.email).lower()
    await enforce_limit(
        state,
        request,
        state.settings.rate_limit_password_reset,
        "password-reset",
        email,
        fail_open=False,
    )
    background.add_task(
        send_password_reset,
        state.sessionmaker,
        auth_config(state.settings),
        state.mailer,
        email=email,
        client=client,
    )
    return ok(MessageRead(message="If an account uses this address, a link is on its way."))


@router.post("/password-reset/verify", responses=error_responses(ValidationError))
async def verify_password_reset(
    body: PasswordResetVerify, resets: PasswordResetServiceDep
) -> Envelope[PasswordResetTokenRead]:
    """Check a mailed link before showing the new-password form."""
    reset, user = await resets.check_reset_token(body.token)
    return ok(
        PasswordResetTokenRead(
            purpose=TokenPurpose(reset.purpose), email=user.email or "", expires_at=reset.expires_at
        )
    )


@router.post(
    "/password-reset/confirm", responses=error_responses(ValidationError, WeakPasswordError)
)
async def confirm_password_reset(
    body: PasswordResetConfirm, resets: PasswordResetServiceDep, client: ClientDep
) -> Envelope[MessageRead]:
    """Set the new password. The link then stops working, every session of the account ends
    and every API key of it is revoked; sign in with the new password."""
    await resets.reset_password(body.token, body.new_password, client=client)
    return ok(MessageRead(message="Your password is set. Sign in with it."))


@public_router.get("/info")
async def get_public_info(
    response: Response, accounts: AccountServiceDep, state: StateDep
) -> Envelope[PublicInfoRead]:
    """What a signed-out browser needs, without signing in: the title and version, whether
    first-run setup is done (an admin exists), which sign-in methods are on, and which
    services are configured. No addresses, tokens or secrets. The model is Overseerr's
    `/settings/public`."""
    setup_done = bool(await state.cache.get(SETUP_DONE_CACHE_KEY))
    if not setup_done:
        setup_done = await accounts.setup_done()
        if setup_done:
            await state.cache.set(SETUP_DONE_CACHE_KEY, True, SETUP_DONE_CACHE_SECONDS)
    response.headers["Cache-Control"] = "no-cache"
    return ok(public_info(state.settings, setup_done=setup_done, version=__version__))
