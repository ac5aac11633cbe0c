"""Putting the stored settings to work in this process, and telling the other processes.

`AppState.settings` is what every part of MediaNest reads; this module is the only one that
replaces it (through `AppState.apply_settings`), with the environment's settings
(`AppState.base_settings`) overlaid by the rows admins saved.
"""

import structlog

from medianest.cache.redis import RedisError
from medianest.db.engine import read_only_session
from medianest.kit.errors import ServiceUnavailableError
from medianest.runtime.state import AppState
from medianest.settings import Settings
from medianest.system_config.schemas import SETTINGS_CHANNEL
from medianest.system_config.service import SettingsService

logger = structlog.get_logger(__name__)


def apply(state: AppState, settings: Settings) -> list[str]:
    """Make `settings` effective here; the names of the fields that changed (logged)."""
    current = state.settings
    changed = [
        name for name in Settings.model_fields if getattr(settings, name) != getattr(current, name)
    ]
    if changed:
        state.apply_settings(settings)
        logger.info("settings.applied", changed=changed)
    return changed


async def reload_settings(state: AppState) -> list[str]:
    """Read the stored settings afresh and apply them; the fields that changed."""
    async with read_only_session(state.sessionmaker) as session:
        settings = await SettingsService(session, state.base_settings).effective()
    return apply(state, settings)


async def publish_settings_changed(state: AppState) -> None:
    """Ask every process to reload now; without Redis, the others' timers do it."""
    try:
        await state.pubsub.publish(SETTINGS_CHANNEL, {"reload": True})
    except ServiceUnavailableError:
        logger.warning("settings.announce_failed")


async def follow_settings_changes(state: AppState) -> None:
    """Reload whenever another process announces a change; returns when Redis goes away
    (the periodic runner subscribes again on its next turn)."""
    try:
        async for _message in state.pubsub.subscribe(SETTINGS_CHANNEL):
            try:
                await reload_settings(state)
            except Exception:  # the database may be away a moment; keep listening
                logger.exception("settings.reload_failed")
    except (ServiceUnavailableError, RedisError, OSError):
        logger.warning("settings.subscription_lost")
