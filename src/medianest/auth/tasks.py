"""The auth domain's background work: keeping the principal cache in step with other processes."""

from medianest.auth import principal_cache
from medianest.jobs.periodic import PeriodicJob
from medianest.runtime.state import AppState

RESUBSCRIBE_SECONDS = 5.0


def principal_cache_listener_job(state: AppState) -> PeriodicJob:
    """Subscribed for good; should the subscription drop, the cache answers nothing until it
    comes back (a few seconds later), emptied."""

    async def listen() -> bool:
        if not principal_cache.can_cache(
            redis=state.redis is not None, sqlite=state.engine.dialect.name == "sqlite"
        ):
            return False
        cache = principal_cache.create_cache(state.sessionmaker, state.pubsub)
        await principal_cache.follow_changes(cache)
        return True

    return PeriodicJob(
        name="auth.principal_cache",
        interval_seconds=RESUBSCRIBE_SECONDS,
        run=listen,
        run_at_start=True,
        listens=True,
    )
