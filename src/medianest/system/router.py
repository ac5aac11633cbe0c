"""Health and metrics endpoints."""

from fastapi import APIRouter, Response

from medianest.http.deps import PageDep, StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import NotFoundError, UnauthorizedError
from medianest.kit.schemas import Page
from medianest.system.deps import HealthServiceDep, MetricsAccess
from medianest.system.schemas import EchoRead, EchoRequest, LivenessRead

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
