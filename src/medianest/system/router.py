"""Health and metrics endpoints."""

from fastapi import APIRouter, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from medianest.http.deps import PageDep, StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import NotFoundError, UnauthorizedError
from medianest.kit.schemas import Page
from medianest.system.deps import HealthServiceDep, MetricsAccess
from medianest.system.schemas import EchoRead, EchoRequest, LivenessRead
from medianest.system.service import liveness

root_router = APIRouter(tags=["system"])


@root_router.get("/health")
async def get_liveness(health: HealthServiceDep) -> LivenessRead:
    """Cheap liveness probe for load balancers and `curl -f`: it touches no dependency.

    Answers without the envelope, as container health checks expect. `HEAD /health` answers
    the same status and headers, without the body.
    """
    return health.liveness()


@root_router.head("/health", include_in_schema=False)
async def head_liveness(health: HealthServiceDep) -> LivenessRead:
    """`GET /health` for monitors that probe with HEAD (the server sends no body)."""
    return health.liveness()


LIVENESS_PATH = "/health"
_JSON_HEADERS = [(b"content-type", b"application/json")]


def liveness_body(scope: Scope) -> bytes:
    """The JSON the liveness routes answer, for the app serving `scope`."""
    started_at: float = scope["app"].state.medianest.started_at
    return LivenessRead.__pydantic_serializer__.to_json(liveness(started_at))


class LivenessShortcut:
    """`GET` and `HEAD /health` answered before FastAPI's routing, with the bytes the routes
    above give: load balancers probe it often, and routing, dependencies and response
    validation cost several times what the answer does. It sits inside every other layer
    (base path, edge headers, access log), so only the framework's own work is skipped.
    Most probes never reach it: the edge answers them itself (`http.middleware.Liveness`);
    the ones it leaves (cross-origin, with a body) come here. The routes stay for the
    OpenAPI document and for any stack built without these layers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._is_liveness(scope):
            await self.app(scope, receive, send)
            return
        scope["endpoint"] = get_liveness  # the access log labels requests by their route
        body = liveness_body(scope)
        headers = [(b"content-length", str(len(body)).encode("ascii")), *_JSON_HEADERS]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    @staticmethod
    def _is_liveness(scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"}:
            return False
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        return path == root_path + LIVENESS_PATH


@root_router.get(
    "/metrics",
    response_class=Response,
    dependencies=[MetricsAccess],
    responses={
        200: {"content": {"text/plain": {}}, "description": "Prometheus text format."},
        **error_responses(UnauthorizedError, NotFoundError),
    },
)
async def get_metrics(state: StateDep) -> Response:
    """Prometheus metrics: request counts and latency histograms per route, process figures.

    In production it requires `Authorization: Bearer <METRICS_TOKEN>`.
    """
    return Response(state.metrics.render(), media_type=state.metrics.content_type)


dev_router = APIRouter(prefix="/test", tags=["development"], include_in_schema=False)
"""Diagnostics that exist only when MEDIANEST_ENV=test (and refuse cross-site calls)."""


@dev_router.post("/echo")
async def echo(body: EchoRequest, page: PageDep) -> Envelope[Page[EchoRead]]:
    """Echo a validated body back as a paged list: exercises validation and pagination."""
    echoes = [EchoRead(index=i, message=body.message) for i in range(1, body.repeat + 1)]
    window = echoes[page.offset : page.offset + page.limit]
    return ok(
        Page[EchoRead].build(window, page=page.page, limit=page.limit, total_items=len(echoes))
    )


@dev_router.get("/error")
async def raise_unexpected_error() -> None:
    """Fail on purpose, to see how an unexpected error is answered and logged."""
    raise RuntimeError("deliberate failure from /api/v1/test/error")
