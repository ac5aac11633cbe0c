"""Services the admin routes orchestrate."""

from typing import Annotated

from fastapi import Depends

from medianest.audit.service import AuditService
from medianest.http.deps import SessionDep


async def get_audit_service(session: SessionDep) -> AuditService:
    return AuditService(session)


AuditServiceDep = Annotated[AuditService, Depends(get_audit_service)]
