"""Dependencies of the system routes."""

import hmac
from typing import Annotated

from fastapi import Depends, Request

from medianest.http.deps import StateDep
from medianest.http.state import AppState
from medianest.kit.errors import NotFoundError, UnauthorizedError
from medianest.settings import Environment
from medianest.system.service import HealthService


def health_service(state: AppState) -> HealthService:
    return HealthService(
        engine=state.engine,
        redis=state.redis,
        started_at=state.started_at,
        timeout_seconds=state.settings.database_timeout_seconds,
        plex=state.plex_client(),
        overseerr=state.overseerr_client(),
    )


async def get_health_service(state: StateDep) -> HealthService:
    return health_service(state)


HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]


async def require_metrics_access(request: Request, state: StateDep) -> None:
    """In production `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; without a
    configured token it does not exist there at all."""
    token = state.settings.metrics_token
    if token is None:
        if state.settings.env is Environment.PRODUCTION:
            raise NotFoundError(
                "`/metrics` is off in production until METRICS_TOKEN is set; then scrape it "
                "with `Authorization: Bearer <METRICS_TOKEN>`."
            )
        return
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.encode(), expected):
        raise UnauthorizedError("`/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`.")


MetricsAccess = Depends(require_metrics_access)
