"""Services of the monitoring domain for a request."""

from typing import Annotated

from fastapi import Depends

from medianest.db.engine import unit_of_work
from medianest.http.deps import SessionDep, StateDep
from medianest.monitoring.service import ServiceStatusService
from medianest.system.schemas import DependencyHealth
from medianest.system.service import ObservedHealth


async def get_status_service(session: SessionDep) -> ServiceStatusService:
    return ServiceStatusService(session)


StatusServiceDep = Annotated[ServiceStatusService, Depends(get_status_service)]


async def get_observed_health(state: StateDep) -> ObservedHealth:
    """What the periodic check last found of the integrations, read in a unit of work of its
    own: only once the database is known to answer."""

    async def observed() -> dict[str, DependencyHealth]:
        async with unit_of_work(state.sessionmaker, reads_only=True) as session:
            return await ServiceStatusService(session).observed_integrations()

    return observed


ObservedHealthDep = Annotated[ObservedHealth, Depends(get_observed_health)]
