"""This domain's services made from the process's resources, for routes, jobs and commands
alike."""

from medianest.runtime.state import AppState
from medianest.system.service import HealthService


def health_service(state: AppState) -> HealthService:
    return HealthService(
        engine=state.engine,
        redis=state.redis,
        started_at=state.started_at,
        timeout_seconds=state.settings.database_timeout_seconds,
        plex=state.plex_client(),
        overseerr=state.overseerr_client(),
    )
