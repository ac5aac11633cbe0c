"""This domain's services made from the process's resources, for jobs and commands alike."""

from medianest.operations.installation import InstallationSecrets
from medianest.operations.service.doctor import DoctorService
from medianest.runtime.state import AppState
from medianest.system.wiring import health_service


def doctor_service(state: AppState) -> DoctorService:
    return DoctorService(
        settings=state.settings,
        health=health_service(state),
        sessionmaker=state.sessionmaker,
        cache=state.cache,
        shared_cache=state.redis is not None,
        secrets=InstallationSecrets(state.settings),
    )
