"""Periodic work of the media requests domain."""

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.db.engine import unit_of_work
from medianest.integrations.overseerr.client import OverseerrClient
from medianest.jobs.periodic import PeriodicJob
from medianest.media_requests.events import RequestEventPublisher
from medianest.media_requests.service import RequestService
from medianest.notifications.service import NotificationService
from medianest.realtime.emitter import Emitter
from medianest.runtime.state import AppState

logger = structlog.get_logger(__name__)


async def reconcile_requests(
    sessionmaker: async_sessionmaker[AsyncSession],
    overseerr: OverseerrClient | None,
    emitter: Emitter,
) -> int:
    """Heal missed webhooks: align every open request with Overseerr. Safe to run often
    and from several processes (a change already made is not made again)."""
    if overseerr is None:
        return 0
    async with unit_of_work(sessionmaker) as session:
        service = RequestService(
            session,
            overseerr,
            RequestEventPublisher(emitter),
            NotificationService(session, emitter),
        )
        changed = await service.reconcile()
    if changed:
        logger.info("requests.reconciled", changed=changed)
    return changed


def reconciliation_job(state: AppState) -> PeriodicJob:
    async def run() -> int:
        return await reconcile_requests(state.sessionmaker, state.overseerr_client(), state.emitter)

    return PeriodicJob(
        name="requests.reconcile",
        interval_seconds=state.settings.overseerr_sync_minutes * 60,
        run=run,
    )
