"""Dependencies of the system routes."""

import hmac
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from medianest.http.deps import StateDep
from medianest.kit.errors import NotFoundError, UnauthorizedError
from medianest.settings import Environment
from medianest.system.service import HealthService
from medianest.system.wiring import health_service


async def get_health_service(state: StateDep) -> HealthService:
    return health_service(state)


HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]


METRICS_TOKEN = HTTPBearer(
    scheme_name="metricsToken",
    description="`METRICS_TOKEN`, as `Authorization: Bearer <METRICS_TOKEN>`. Without a "
    "configured token `/metrics` is open outside production and absent (404) in production.",
    auto_error=False,
)


async def require_metrics_access(
    state: StateDep,
    sent: Annotated[HTTPAuthorizationCredentials | None, Security(METRICS_TOKEN)],
) -> None:
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
    credentials = sent.credentials if sent else ""
    expected = token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.encode(), expected):
        raise UnauthorizedError("`/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`.")


MetricsAccess = Depends(require_metrics_access)
