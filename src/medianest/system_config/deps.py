"""Services of the settings domain for a request."""

from typing import Annotated

from fastapi import Depends

from medianest.http.deps import SessionDep, StateDep
from medianest.system_config.service import SettingsService


async def get_settings_service(session: SessionDep, state: StateDep) -> SettingsService:
    return SettingsService(session, state.base_settings)


SettingsServiceDep = Annotated[SettingsService, Depends(get_settings_service)]
