"""The status of the services MediaNest depends on: for everyone, the dashboard, admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from medianest.auth.deps import SIGNED_IN_ERRORS, AdminPrincipal, get_principal
from medianest.http.deps import SettingsDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import NotFoundError
from medianest.monitoring.deps import StatusServiceDep
from medianest.monitoring.schemas import (
    AdminServicesRead,
    DashboardServiceDetail,
    DashboardServiceRead,
    ServiceStatusRead,
)

SIGNED_IN = [Depends(get_principal)]

services_router = APIRouter(prefix="/services", tags=["system"], responses=SIGNED_IN_ERRORS)
dashboard_router = APIRouter(prefix="/dashboard", tags=["dashboard"], responses=SIGNED_IN_ERRORS)
admin_router = APIRouter(prefix="/admin", tags=["admin"], responses=SIGNED_IN_ERRORS)


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
