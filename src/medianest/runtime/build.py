"""Building one process's resources from its settings, and closing them."""

from medianest.cache.cache import Cache, MemoryCache, RedisCache
from medianest.cache.pubsub import MemoryPubSub, PubSub, RedisPubSub
from medianest.cache.ratelimit import RateLimiter
from medianest.cache.redis import create_redis
from medianest.db.engine import create_engine, create_sessionmaker, dispose_engine
from medianest.db.metrics import StatementMetrics
from medianest.integrations.smtp.client import create_mailer
from medianest.integrations.smtp.schemas import SmtpConfig
from medianest.realtime.config import RealtimeConfig
from medianest.realtime.emitter import Emitter, create_worker_emitter
from medianest.runtime.metrics import HttpMetrics
from medianest.runtime.model_modules import load_models
from medianest.runtime.state import AppState
from medianest.settings import Settings


def build_state(
    settings: Settings,
    metrics: HttpMetrics | None = None,
    *,
    emitter: Emitter | None = None,
    statements: StatementMetrics | None = None,
) -> AppState:
    """The resources of one process. `emitter` is the socket.io server's in a server process;
    other processes (workers, CLI) publish through Redis, or nowhere without it. `statements`
    times the engine's statements (a server's also feed its `/metrics`)."""
    load_models()
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.database_pool_size,
        timeout_seconds=settings.database_timeout_seconds,
    )
    statements = statements or StatementMetrics(slow_ms=settings.slow_query_ms)
    statements.attach(engine)
    sessionmaker = create_sessionmaker(engine)
    redis = None
    if settings.redis_url is None:
        cache: Cache = MemoryCache()
        limiter = RateLimiter.in_memory()
        pubsub: PubSub = MemoryPubSub()
    else:
        redis = create_redis(settings.redis_url, timeout_seconds=settings.redis_timeout_seconds)
        prefix = settings.redis_key_prefix
        cache = RedisCache(redis, prefix=prefix)
        limiter = RateLimiter.on_redis(redis, url=settings.redis_url, prefix=prefix)
        pubsub = RedisPubSub(redis, prefix=prefix)
    return AppState(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        cache=cache,
        limiter=limiter,
        pubsub=pubsub,
        metrics=metrics or HttpMetrics(),
        mailer=create_mailer(SmtpConfig.from_settings(settings)),
        emitter=emitter or create_worker_emitter(RealtimeConfig.from_settings(settings)),
        redis=redis,
        statements=statements,
    )


async def close_state(state: AppState) -> None:
    await state.emitter.aclose()
    await state.plex.aclose()
    await state.overseerr.aclose()
    await state.tmdb_images.aclose()
    if state.redis is not None:
        await state.redis.aclose()
    await dispose_engine(state.engine)
