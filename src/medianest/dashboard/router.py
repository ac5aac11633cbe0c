"""A signed-in user's dashboard statistics, and the admins' statistics of the whole site."""

from fastapi import APIRouter

from medianest.auth.deps import SIGNED_IN_ERRORS, AdminPrincipal, CurrentPrincipal
from medianest.dashboard.deps import AdminStatsServiceDep, DashboardServiceDep
from medianest.dashboard.schemas import AdminStats, DashboardStats
from medianest.http.envelope import Envelope, ok

router = APIRouter(prefix="/dashboard", tags=["dashboard"], responses=SIGNED_IN_ERRORS)
admin_router = APIRouter(prefix="/admin", tags=["admin"], responses=SIGNED_IN_ERRORS)


@router.get("/stats")
async def get_dashboard_stats(
    principal: CurrentPrincipal, dashboard: DashboardServiceDep
) -> Envelope[DashboardStats]:
    """Your media requests and downloads counted by status, and the items Plex got most
    recently. When Plex is not configured or down, `recentlyAdded` is empty and
    `plexAvailable` false; the rest is still answered."""
    return ok(await dashboard.stats(principal.user.id))


@admin_router.get("/stats")
async def get_admin_stats(
    _admin: AdminPrincipal, stats: AdminStatsServiceDep
) -> Envelope[AdminStats]:
    """Accounts (total, active in the last 30 days, admins), everyone's requests and
    downloads by status, and this server process's uptime, memory and CPU."""
    return ok(await stats.stats())
