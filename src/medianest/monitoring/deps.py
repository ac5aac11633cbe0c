"""Services of the monitoring domain for a request."""

from typing import Annotated

from fastapi import Depends

from medianest.http.deps import SessionDep
from medianest.monitoring.service import ServiceStatusService


async def get_status_service(session: SessionDep) -> ServiceStatusService:
    return ServiceStatusService(session)


StatusServiceDep = Annotated[ServiceStatusService, Depends(get_status_service)]
