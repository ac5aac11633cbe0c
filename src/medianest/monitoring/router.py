"""The status of the services MediaNest depends on: for everyone, the dashboard, admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from medianest.auth.deps import SIGNED_IN_ERRORS, AdminPrincipal, OptionalPrincipal, get_principal
from medianest.http.deps import SettingsDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import CREDENTIALS_OPTIONAL, error_responses
from medianest.kit.errors import DatabaseUnavailableError, NotFoundError, UnauthorizedError
from medianest.monitoring.deps import ObservedHealthDep, StatusServiceDep
from medianest.monitoring.schemas import (
    AdminServicesRead,
    DashboardServiceDetail,
    DashboardServiceRead,
    ServiceStatusRead,
)
from medianest.system.deps import HealthServiceDep
from medianest.system.schemas import DependencyStatus, HealthReport

SIGNED_IN = [Depends(get_principal)]

health_router = APIRouter(tags=["system"])

services_router = APIRouter(prefix="/services", tags=["system"], responses=SIGNED_IN_ERRORS)
dashboard_router = APIRouter(prefix="/dashboard", tags=["dashboard"], responses=SIGNED_IN_ERRORS)
admin_router = APIRouter(prefix="/admin", tags=["admin"], responses=SIGNED_IN_ERRORS)


@health_router.get(
    "/health",
    responses=error_responses(DatabaseUnavailableError, UnauthorizedError),
    openapi_extra=CREDENTIALS_OPTIONAL,
)
async def get_health(
    health: HealthServiceDep, observed: ObservedHealthDep, caller: OptionalPrincipal
) -> Envelope[HealthReport]:
    """Each dependency's state and latency. The database and Redis are checked by the
    request; Plex and Overseerr are told as the latest periodic check found them
    (`checkedAt`), so anonymous calls never reach them. An admin's call checks them too, and
    only admins see why something is down (`message`). 503 `DATABASE_ERROR` when the
    database is down, with the report in `details`; anything else down only degrades it."""
    if caller is not None and caller.is_admin:
        report = await health.report()
    else:
        report = _without_messages(await health.report(observed=observed))
    if report.services["database"].status is DependencyStatus.DOWN:
        raise DatabaseUnavailableError(
            "The database is unavailable.", details=report.model_dump(mode="json")
        )
    return ok(report)


def _without_messages(report: HealthReport) -> HealthReport:
    """Messages may name hosts and ports of the home network: not for everyone's eyes."""
    services = {
        name: service.model_copy(update={"message": None})
        for name, service in report.services.items()
    }
    return report.model_copy(update={"services": services})


@services_router.get("/status", dependencies=SIGNED_IN)
async def list_service_statuses(status: StatusServiceDep) -> Envelope[list[ServiceStatusRead]]:
    """Each service's state (`up`, `degraded`, `down`, `not_configured`; null before its
    first check) as the latest periodic check found it."""
    return ok(await status.statuses())


@dashboard_router.get("/status", dependencies=SIGNED_IN)
async def get_dashboard_status(status: StatusServiceDep) -> Envelope[list[DashboardServiceRead]]:
    """Each service's state, response time and uptime over 24 hours and 7 days."""
    return ok(await status.dashboard())


@dashboard_router.get(
    "/status/{service}", dependencies=SIGNED_IN, responses=error_responses(NotFoundError)
)
async def get_dashboard_service(
    status: StatusServiceDep,
    service: Annotated[str, Path(description="A service, as `GET /services/status` names it.")],
    points: Annotated[
        int, Query(ge=1, le=500, description="How many of the latest checks to include.")
    ] = 50,
) -> Envelope[DashboardServiceDetail]:
    """One service's state and uptime, with its latest checks, newest first."""
    return ok(await status.detail(service, points=points))


@admin_router.get("/services")
async def list_services_in_detail(
    _admin: AdminPrincipal, status: StatusServiceDep, settings: SettingsDep
) -> Envelope[AdminServicesRead]:
    """Every service with what its latest check found (message, details such as versions,
    free bytes or the queue's backlog), and how often the checks run."""
    return ok(
        AdminServicesRead(
            check_interval_seconds=settings.service_check_seconds,
            services=await status.admin(),
        )
    )
