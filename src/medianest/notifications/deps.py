"""The notification service for a request."""

from typing import Annotated

from fastapi import Depends

from medianest.http.deps import SessionDep, StateDep
from medianest.notifications.service import NotificationService


async def get_notification_service(session: SessionDep, state: StateDep) -> NotificationService:
    return NotificationService(session, state.emitter)


NotificationServiceDep = Annotated[NotificationService, Depends(get_notification_service)]
