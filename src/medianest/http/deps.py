"""Dependencies shared by every router, as `Annotated` aliases."""

import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import structlog
from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from medianest.cache.ratelimit import RateLimitResult
from medianest.db.engine import READ_ONLY, unit_of_work
from medianest.http.middleware import RATE_LIMIT_STATE_KEY
from medianest.http.state import app_state, get_state
from medianest.kit.errors import ForbiddenError, RateLimitExceededError, ServiceUnavailableError
from medianest.runtime.state import AppState
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed before the response is sent, or rolled back.
    Safe methods only read, so they never take SQLite's write lock; their session connects
    at its first statement, so one that needs none (credentials the principal cache knows)
    costs no round trip to the database at all."""
    state = app_state(request)
    if request.method in SAFE_METHODS:
        sessionmaker = read_only_sessionmaker(state.sessionmaker)
    else:
        sessionmaker = state.sessionmaker
    async with unit_of_work(sessionmaker) as session:
        yield session


Maker = async_sessionmaker[AsyncSession]
_read_only_makers: "weakref.WeakKeyDictionary[Maker, Maker]" = weakref.WeakKeyDictionary()


def read_only_sessionmaker(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """`sessionmaker`, but its sessions' transactions are marked read-only (`READ_ONLY`) from
    whenever they connect, instead of connecting up front to mark them."""
    made = _read_only_makers.get(sessionmaker)
    if made is None:
        engine = sessionmaker.kw["bind"].execution_options(**{READ_ONLY: True})
        made = _read_only_makers[sessionmaker] = async_sessionmaker(
            **{**sessionmaker.kw, "bind": engine}
        )
    return made


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


MAX_PAGE = 1_000_000
"""Beyond any real list, and small enough that the offset fits every database's integer."""


async def get_page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")] = 1,
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page.")] = 20,
) -> PageParams:
    """`?page=` (1-based) and `?limit=` (1-100) with the SPEC's defaults."""
    return PageParams(page=page, limit=limit)


PageDep = Annotated[PageParams, Depends(get_page_params)]


async def enforce_limit(
    state: AppState,
    request: HTTPConnection | None,
    rule: str,
    *identity: str,
    fail_open: bool,
) -> RateLimitResult | None:
    """Count one hit against `rule` for `identity`; 429 with `retryAfter` when over it.

    The limit's `X-RateLimit-*` headers go out with the request's answer, whatever it is.
    `fail_open` decides what a Redis outage means: the general limits let requests through
    (logged) so the API stays up; security limits (sign-in) answer 503 instead.
    """
    try:
        result = await state.limiter.hit(rule, *identity)
    except ServiceUnavailableError:
        logger.warning("ratelimit.storage_unavailable", limit=identity[0])
        if fail_open:
            return None
        raise
    if not result.allowed:
        raise rate_limit_exceeded(result, rule)
    if request is not None:
        remember_limit(request, result)
    return result


def rate_limit_exceeded(
    result: RateLimitResult, rule: str, message: str | None = None
) -> RateLimitExceededError:
    return RateLimitExceededError(
        message,
        details={"retryAfter": result.retry_after_seconds, "limit": result.limit, "window": rule},
        headers=result.headers(),
    )


def remember_limit(request: HTTPConnection, result: RateLimitResult) -> None:
    """Send this limit's headers with the answer (`RateLimitHeadersMiddleware`); the limit
    met last wins."""
    setattr(request.state, RATE_LIMIT_STATE_KEY, result.headers())


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def enforce_api_rate_limit(request: Request) -> None:
    """The general per-IP API limit (fails open when Redis is away)."""
    state = app_state(request)
    await enforce_limit(
        state,
        request,
        state.settings.rate_limit_api_per_ip,
        "api-ip",
        client_ip(request),
        fail_open=True,
    )


SAME_SITE_FETCHES = frozenset({"same-origin", "none"})
"""`Sec-Fetch-Site` values of a request the page itself (or the user, typing) made."""


async def refuse_cross_site(request: Request) -> None:
    """403 for a request a browser sent on behalf of another site: its `Origin` names another
    host, or `Sec-Fetch-Site` says it is cross-site. Clients that send neither (scripts, test
    harnesses) pass: a page cannot make a browser leave both out."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in SAME_SITE_FETCHES:
        raise ForbiddenError("Cross-site requests are refused here.")
    origin = request.headers.get("origin")
    if (
        origin is not None
        and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()
    ):
        raise ForbiddenError("Cross-site requests are refused here.")
