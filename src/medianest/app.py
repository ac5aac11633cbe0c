"""The ASGI composition root: `create_app(settings)` builds MediaNest's web application."""

# First: structlog and httpx without rich in a worker process that starts here.
import medianest.kit.slim_imports  # noqa: F401  # isort: skip

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware import Middleware
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from medianest import __version__, registry, routes
from medianest.auth.realtime import identify_socket
from medianest.db.metrics import StatementMetrics
from medianest.http.deps import enforce_api_rate_limit, refuse_cross_site
from medianest.http.docs import mount_api_docs
from medianest.http.errors import UnexpectedErrorHook, install_error_handlers
from medianest.http.middleware import (
    BasePathMiddleware,
    BodySizeLimitMiddleware,
    EdgeMiddleware,
    ErrorBoundaryMiddleware,
    Liveness,
)
from medianest.http.openapi import build_openapi, error_responses, operation_id
from medianest.jobs.periodic import PeriodicRunner
from medianest.kit.errors import RateLimitExceededError
from medianest.realtime.config import RealtimeConfig
from medianest.realtime.server import (
    SOCKETIO_PATH,
    Authenticator,
    Handshake,
    RealtimeServer,
    SocketUser,
)
from medianest.runtime.build import build_state, close_state
from medianest.runtime.metrics import HttpMetrics
from medianest.runtime.state import AppState
from medianest.settings import Environment, Settings
from medianest.system.router import LIVENESS_PATH, LivenessShortcut, liveness_body
from medianest.web.spa import DIST_DIR, mount_web_app
from medianest.workers import start_embedded, stop_embedded

API_PREFIX = "/api/v1"
OPENAPI_URL = "/openapi.json"
DESCRIPTION = """\
MediaNest is a self-hosted portal in front of a Plex media stack: friends and family browse
the Plex server, request films and shows through Overseerr and queue YouTube downloads.

Every answer is an envelope: `{"success": true, "data": ...}`, or
`{"success": false, "error": {"code", "message", "details"}, "correlationId"}` with the
status of the error code. Lists are paged with `page` and `limit`. Send `X-Correlation-ID`
to tie your logs to ours; every response carries one.
"""


def create_app(
    settings: Settings,
    *,
    on_unexpected: UnexpectedErrorHook | None = None,
    web_dist: Path = DIST_DIR,
    freeze_heap: bool = False,
) -> FastAPI:
    """Build the app; its lifespan opens (and closes) the database, Redis and friends.

    socket.io is mounted at `BASE_PATH/socket.io` on the same app (docs/reference/realtime.md);
    the browser app (built into `web_dist`) answers every other GET. `freeze_heap`: once
    started, move everything allocated so far out of the garbage collector's sight (for a
    server process, not for apps made by tests).
    """
    metrics = HttpMetrics()
    statements = StatementMetrics(slow_ms=settings.slow_query_ms, registry=metrics.registry)
    realtime = RealtimeServer(RealtimeConfig.from_settings(settings))
    app = MediaNestApp(
        outer_middleware=_outer_middleware(settings, metrics),
        title="MediaNest",
        version=__version__,
        description=DESCRIPTION,
        license_info={"name": "MIT", "identifier": "MIT"},
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        openapi_tags=list(routes.TAGS),
        generate_unique_id_function=operation_id,
        lifespan=_lifespan(settings, metrics, statements, realtime, freeze_heap=freeze_heap),
        middleware=_middleware(settings, on_unexpected or routes.UNEXPECTED_ERROR_HOOK),
        # FastAPI's own OpenTelemetry hooks: MediaNest has its own metrics and never sets up
        # a provider, and asking whether one is set costs every request several lookups.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    for router in routes.ROOT_ROUTERS:
        app.include_router(router)
    for router in routes.API_ROUTERS:
        app.include_router(
            router,
            prefix=API_PREFIX,
            dependencies=[Depends(enforce_api_rate_limit)],
            responses=error_responses(RateLimitExceededError),
        )
    if settings.env is Environment.TEST:  # they wipe data: never in development or production
        for router in routes.TEST_API_ROUTERS:
            app.include_router(
                router,
                prefix=API_PREFIX,
                dependencies=[Depends(refuse_cross_site), Depends(enforce_api_rate_limit)],
            )
    app.mount(SOCKETIO_PATH, realtime.asgi, name="socket.io")
    mount_api_docs(app, openapi_url=OPENAPI_URL)
    mount_web_app(app, dist_dir=web_dist)
    _cache_openapi(app)
    return app


class MediaNestApp(FastAPI):
    """FastAPI with `outer_middleware` outside the framework's own outer layers (its
    last-resort 500, its telemetry and body-limit hooks): each is a coroutine per request,
    and the edge answers liveness probes before any of them. The edge's headers and access
    log then cover that last-resort 500 too."""

    def __init__(self, *, outer_middleware: list[Middleware], **options: Any) -> None:
        self.outer_middleware = outer_middleware
        super().__init__(**options)

    def build_middleware_stack(self) -> ASGIApp:
        app = super().build_middleware_stack()
        for cls, args, kwargs in reversed(self.outer_middleware):
            app = cls(app, *args, **kwargs)
        return app


def _outer_middleware(settings: Settings, metrics: HttpMetrics) -> list[Middleware]:
    """Outermost first: the proxy headers before anything reads the client's address or
    scheme, then the edge."""
    stack: list[Middleware] = []
    if settings.trusted_proxies:
        stack.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies))
    liveness = Liveness(
        path=settings.base_path + LIVENESS_PATH,
        body=liveness_body,
        defer_cross_origin=bool(settings.cors_origins),
    )
    stack.append(Middleware(EdgeMiddleware, metrics=metrics, liveness=liveness))
    return stack


def _middleware(settings: Settings, on_unexpected: UnexpectedErrorHook | None) -> list[Middleware]:
    """Outermost first, inside the edge. CORS sits outside the error boundary so errors
    carry CORS headers."""
    stack: list[Middleware] = []
    if settings.cors_origins:
        any_origin = "*" in settings.cors_origins
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"] if any_origin else settings.cors_origins,
                allow_credentials=not any_origin,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "X-CSRF-Token",
                    "X-Correlation-ID",
                    "X-Api-Key",
                ],
                expose_headers=[
                    "X-Correlation-ID",
                    "Retry-After",
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                    "X-RateLimit-Reset",
                ],
            )
        )
    stack += [
        Middleware(
            ErrorBoundaryMiddleware,
            expose_details=settings.is_development,
            on_unexpected=on_unexpected,
        ),
        Middleware(BasePathMiddleware, base_path=settings.base_path),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes),
        Middleware(LivenessShortcut),
    ]
    return stack


def _cache_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, description=DESCRIPTION)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _lifespan(
    settings: Settings,
    metrics: HttpMetrics,
    statements: StatementMetrics,
    realtime: RealtimeServer,
    *,
    freeze_heap: bool,
) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.jwt_secret is None:
            raise RuntimeError("JWT_SECRET is not set: run `medianest generate-secrets`")
        state = build_state(settings, metrics, emitter=realtime.emitter, statements=statements)
        for hook in registry.STARTUP_HOOKS:
            await hook(state)
        app.state.medianest = state
        realtime.start(_socket_authenticator(state), state.pubsub)
        structlog.get_logger(__name__).info(
            "app.started",
            version=__version__,
            env=settings.env.value,
            database=state.engine.dialect.name,
            redis=state.redis is not None,
            base_path=settings.base_path or "/",
        )
        consumer = start_embedded(state)
        periodic = PeriodicRunner()
        for job in registry.PERIODIC_JOBS:
            periodic.start(job(state))
        if freeze_heap:
            _freeze_heap()
        try:
            yield
        finally:
            await periodic.aclose()
            stop_embedded(state, consumer)
            await realtime.aclose()
            await close_state(state)

    return lifespan


def _freeze_heap() -> None:
    """The modules, routes, schemas and mappers built at start-up live as long as the
    process; left to the collector, every full collection walks all of them again, which
    cost up to a third of a signed-in request's time under load. Frozen, collections see
    only what requests allocate."""
    gc.collect()
    gc.freeze()


def _socket_authenticator(state: AppState) -> Authenticator:
    async def authenticate(handshake: Handshake) -> SocketUser | None:
        return await identify_socket(state, handshake)

    return authenticate


def create_app_from_environment() -> FastAPI:
    """uvicorn's factory: each worker process reads the same environment."""
    from medianest.kit.logging import configure_logging
    from medianest.settings import load_settings

    settings = load_settings()
    configure_logging(level=settings.log_level, json_output=settings.env is Environment.PRODUCTION)
    return create_app(settings, freeze_heap=True)
