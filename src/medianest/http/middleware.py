"""Pure-ASGI middleware: the edge (correlation ids, security headers, rate-limit headers,
access log and metrics), the last-resort error boundary, the base path and the request body
limit.

Pure ASGI (not BaseHTTPMiddleware) keeps streaming intact and costs little per request.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medianest.http import correlation
from medianest.http.errors import UnexpectedErrorHook, error_response, unexpected_error_response
from medianest.kit.asgi import ROUTE_NAME
from medianest.kit.errors import ErrorCode
from medianest.runtime.metrics import HttpMetrics

access_logger = structlog.get_logger("medianest.access")
error_logger = structlog.get_logger("medianest.errors")

SECURITY_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'self'",
    # Powerful browser features MediaNest never uses, off for its pages and anything in them.
    # (No X-XSS-Protection: browsers dropped that filter, and where it lingers it can be used
    # to blank parts of a page; the CSP is the protection.)
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
}
HSTS = "max-age=31536000; includeSubDomains"


RATE_LIMIT_STATE_KEY = "rate_limit_headers"
"""Where `http.deps.enforce_limit` leaves the headers of the limit a request met."""

_CORRELATION_HEADER = correlation.HEADER.lower().encode("latin-1")
_SECURITY_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
]
_HSTS_HEADER = (b"strict-transport-security", HSTS.encode("latin-1"))
_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
_ORIGIN_HEADER = b"origin"
_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})


@dataclass(frozen=True, slots=True)
class Liveness:
    """The liveness probe the edge answers itself, before every layer inside it.

    `body` gives the JSON the route would (it reads the app from the scope). Requests the
    inner layers could answer differently go through them: one with a body (the body limit),
    one from a browser page when CORS is configured (`defer_cross_origin`), one under a
    server-given root path.
    """

    path: str
    body: Callable[[Scope], bytes]
    defer_cross_origin: bool


class EdgeMiddleware:
    """What every request gets on its way in and out, in one pass (one layer instead of four:
    each layer is a coroutine and a `send` wrapper per request):

    - a correlation id (the caller's `X-Correlation-ID` when well formed, else a new one),
      bound to log lines and echoed back;
    - the security headers of the technical reference (HSTS only over TLS);
    - the `X-RateLimit-*` headers of the limit the request met (`http.deps.enforce_limit`
      leaves them in the request's state), whatever the answer: a refused sign-in's 401
      shows how many attempts are left too;
    - one access-log line and one metrics sample, labelled by route template.

    Headers the answer has already win, but for the correlation id, which is always ours.
    """

    def __init__(
        self, app: ASGIApp, *, metrics: HttpMetrics, liveness: Liveness | None = None
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.liveness = liveness
        self._deferring = _BODY_HEADERS
        if liveness is not None and liveness.defer_cross_origin:
            self._deferring = _BODY_HEADERS | {_ORIGIN_HEADER}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming, answer_liveness = self._read_head(scope)
        value = correlation.accept_or_create(incoming)
        correlation.set_current(value)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=value)
        if kind == "websocket":
            await self.app(scope, receive, send)
            return
        over_tls = scope.get("scheme") == "https"
        started = time.perf_counter()
        correlation_header = (_CORRELATION_HEADER, value.encode("latin-1"))
        if answer_liveness and self.liveness is not None:
            await _answer_liveness(
                self.liveness, scope, send, correlation_header, over_tls=over_tls
            )
            self._record(scope, scope["path"], 200, time.perf_counter() - started)
            return
        # Made here, so the routes below write into the very dict this layer reads.
        request_state = scope.setdefault("state", {})
        status = 500

        async def send_with_edge_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message["headers"] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                limit: Mapping[str, str] | None = request_state.get(RATE_LIMIT_STATE_KEY)
                if limit:
                    _add_missing(headers, present, _encoded(limit))
                _add_missing(headers, present, _SECURITY_HEADERS)
                if over_tls:
                    _add_missing(headers, present, [_HSTS_HEADER])
                if _CORRELATION_HEADER in present:
                    headers[:] = [
                        item for item in headers if item[0].lower() != _CORRELATION_HEADER
                    ]
                headers.append(correlation_header)
            await send(message)

        try:
            await self.app(scope, receive, send_with_edge_headers)
        finally:
            self._record(scope, route_template(scope), status, time.perf_counter() - started)

    def _read_head(self, scope: Scope) -> tuple[str | None, bool]:
        """The caller's correlation id, and whether this is a liveness probe the edge answers
        itself: one pass over the headers."""
        liveness = self.liveness
        candidate = (
            liveness is not None
            and scope["type"] == "http"
            and scope["method"] in {"GET", "HEAD"}
            and scope["path"] == liveness.path
            and not scope.get("root_path")
        )
        deferring = self._deferring
        incoming: str | None = None
        for name, value in scope["headers"]:  # ASGI servers give header names in lower case
            if name == _CORRELATION_HEADER and incoming is None:
                incoming = value.decode("latin-1")
            elif name in deferring:
                candidate = False
        return incoming, candidate

    def _record(self, scope: Scope, route: str, status: int, elapsed: float) -> None:
        self.metrics.observe(method=scope["method"], route=route, status=status, seconds=elapsed)
        access_logger.info(
            "request",
            method=scope["method"],
            path=scope["path"],
            route=route,
            status=status,
            duration_ms=round(elapsed * 1000, 2),
            client=(scope.get("client") or ("-",))[0],
        )


async def _answer_liveness(
    liveness: Liveness,
    scope: Scope,
    send: Send,
    correlation_header: tuple[bytes, bytes],
    *,
    over_tls: bool,
) -> None:
    body = liveness.body(scope)
    headers = [
        (b"content-length", str(len(body)).encode("ascii")),
        _JSON_CONTENT_TYPE,
        *_SECURITY_HEADERS,
    ]
    if over_tls:
        headers.append(_HSTS_HEADER)
    headers.append(correlation_header)
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _encoded(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]


def _add_missing(
    headers: list[tuple[bytes, bytes]], present: set[bytes], extra: list[tuple[bytes, bytes]]
) -> None:
    for name, value in extra:
        if name not in present:
            headers.append((name, value))
            present.add(name)


def route_template(scope: Scope) -> str:
    """The matched route as a template (`/api/v1/items/{id}`), so metrics stay low-cardinality.

    Rebuilt from the concrete path and its parameters, which every matched route records.
    """
    if (name := scope.get(ROUTE_NAME)) is not None:
        return str(name)
    if "endpoint" not in scope:
        return "unmatched"
    path: str = scope["path"]
    if _inside_a_mount(scope):
        # A mounted app (the web app's hashed assets) names its files in the rest of the
        # path: one template for all of them, never one per file.
        mount: str = scope["root_path"]
        return path if path in (mount, mount + "/") else f"{mount}/{{path}}"
    params: dict[str, object] = scope.get("path_params") or {}
    if not params:
        return path
    names = {str(value): name for name, value in params.items()}
    return "/".join(f"{{{names[part]}}}" if part in names else part for part in path.split("/"))


def _inside_a_mount(scope: Scope) -> bool:
    """Starlette's Mount records where the app was rooted before it and extends root_path."""
    return "app_root_path" in scope and scope.get("root_path") != scope["app_root_path"]


class ErrorBoundaryMiddleware:
    """Turn any exception nobody handled into a 500 envelope, without leaking internals."""

    def __init__(
        self, app: ASGIApp, *, expose_details: bool, on_unexpected: UnexpectedErrorHook | None
    ) -> None:
        self.app = app
        self.expose_details = expose_details
        self.on_unexpected = on_unexpected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_and_track(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_and_track)
        except Exception as exc:
            error_logger.exception("request.unexpected_error", path=scope["path"])
            if self.on_unexpected is not None:
                try:
                    await self.on_unexpected(exc, correlation.current(), scope)
                except Exception:  # recording the error must never change the answer
                    error_logger.exception("request.unexpected_error_hook_failed")
            if response_started:
                raise
            response = unexpected_error_response(exc, expose_details=self.expose_details)
            await response(scope, receive, send)


class BasePathMiddleware:
    """Serve the app under a URL prefix: requests outside it get the 404 envelope."""

    def __init__(self, app: ASGIApp, *, base_path: str) -> None:
        self.app = app
        self.base_path = base_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.base_path or scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == self.base_path or path.startswith(self.base_path + "/"):
            # In place, not a copy: the access log and the error boundary outside read the
            # route the router records in this scope.
            scope["root_path"] = self.base_path
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            response = error_response(
                ErrorCode.NOT_FOUND, f"MediaNest is served under {self.base_path}/."
            )
            await response(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer 413 ourselves; the app then sees a disconnect and whatever it
                    # tries to send is dropped (frameworks turn body errors into 400s).
                    refused = True
                    await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, limited_receive, send_unless_refused)

    def _message(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(ErrorCode.PAYLOAD_TOO_LARGE, self._message())
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
