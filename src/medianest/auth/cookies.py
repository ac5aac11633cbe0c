"""The cookies a browser session lives in."""

from datetime import timedelta

from fastapi import Request, Response

from medianest.auth.deps import (
    ACCESS_COOKIE,
    CSRF_COOKIE,
    DEVICE_COOKIE,
    PLEX_PIN_COOKIE,
    REFRESH_COOKIE,
)
from medianest.auth.service.sessions import SignIn


def _base(request: Request) -> str:
    return request.scope.get("root_path", "") or ""


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    # Readable by the page's script (that is the point of double-submit), never by others.
    response.set_cookie(
        CSRF_COOKIE,
        token,
        path=_base(request) or "/",
        secure=request.url.scheme == "https",
        httponly=False,
        samesite="lax",
    )


def set_session_cookies(
    request: Request, response: Response, sign_in: SignIn, *, idle_lifetime: timedelta
) -> None:
    """HttpOnly, SameSite=Lax, Secure over HTTPS. Without "remember me" they are browser-
    session cookies; with it they last as long as the session may idle."""
    max_age = int(idle_lifetime.total_seconds()) if sign_in.session.is_remembered else None
    secure = request.url.scheme == "https"
    base = _base(request)
    response.set_cookie(
        ACCESS_COOKIE,
        sign_in.access_token,
        max_age=max_age,
        path=base or "/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )
    response.set_cookie(
        REFRESH_COOKIE,
        sign_in.refresh_token,
        max_age=max_age,
        path=f"{base}/api/v1/auth",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookies(request: Request, response: Response) -> None:
    base = _base(request)
    response.delete_cookie(ACCESS_COOKIE, path=base or "/")
    response.delete_cookie(REFRESH_COOKIE, path=f"{base}/api/v1/auth")


def set_plex_pin_cookie(
    request: Request, response: Response, binding: str, *, max_age: int
) -> None:
    """Only the browser that asked for a Plex PIN may finish signing in with it."""
    response.set_cookie(
        PLEX_PIN_COOKIE,
        binding,
        max_age=max_age,
        path=f"{_base(request)}/api/v1/auth/plex",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )


def clear_plex_pin_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(PLEX_PIN_COOKIE, path=f"{_base(request)}/api/v1/auth/plex")


DEVICE_COOKIE_LIFETIME = timedelta(days=365)


def set_device_cookie(request: Request, response: Response, token: str) -> None:
    """Marks this browser as one that signed in to the account: its sign-ins keep a count of
    their own (`auth.throttle`). Sent only to the sign-in route."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()),
        path=f"{_base(request)}/api/v1/auth/login",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
