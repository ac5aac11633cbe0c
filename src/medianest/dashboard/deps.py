"""The dashboard's services for a request."""

from typing import Annotated

from fastapi import Depends

from medianest.auth.deps import AccountServiceDep
from medianest.dashboard.service import AdminStatsService, DashboardService
from medianest.http.deps import SessionDep, StateDep
from medianest.library.deps import PlexBrowserDep
from medianest.media_requests.deps import RequestServiceDep


async def get_dashboard_service(
    session: SessionDep, requests: RequestServiceDep, plex: PlexBrowserDep
) -> DashboardService:
    return DashboardService(session, requests, plex)


async def get_admin_stats_service(
    session: SessionDep, accounts: AccountServiceDep, requests: RequestServiceDep, state: StateDep
) -> AdminStatsService:
    return AdminStatsService(session, accounts, requests, started_at=state.started_at)


DashboardServiceDep = Annotated[DashboardService, Depends(get_dashboard_service)]
AdminStatsServiceDep = Annotated[AdminStatsService, Depends(get_admin_stats_service)]
