"""Every process keeps its settings in step with the database: at once on an announcement
(Redis), and at the latest every SETTINGS_REFRESH_SECONDS."""

import structlog

from medianest.jobs.periodic import PeriodicJob
from medianest.kit.logging import mask_url_password
from medianest.runtime.state import AppState
from medianest.system_config.runtime import follow_settings_changes, reload_settings

logger = structlog.get_logger(__name__)


async def load_stored_settings(state: AppState) -> None:
    """Before a process serves anything: the stored settings, or the environment's alone
    when the database cannot be read yet (the refresh job tries again)."""
    try:
        await reload_settings(state)
    except Exception as exc:  # starting with the environment's settings beats not starting
        logger.warning(
            "settings.load_failed", error=mask_url_password(f"{type(exc).__name__}: {exc}")
        )


def settings_refresh_job(state: AppState) -> PeriodicJob:
    async def run() -> list[str]:
        return await reload_settings(state)

    return PeriodicJob(
        name="settings.refresh",
        interval_seconds=state.base_settings.settings_refresh_seconds,
        run=run,
        run_at_start=True,
    )


def settings_listener_job(state: AppState) -> PeriodicJob:
    """Subscribed for good; should the subscription drop, it comes back a period later."""
    return PeriodicJob(
        name="settings.listen",
        interval_seconds=state.base_settings.settings_refresh_seconds,
        run=lambda: follow_settings_changes(state),
        run_at_start=True,
        listens=True,
    )
