"""The long-lived resources `create_app` builds in its lifespan and routes depend on."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from medianest.cache.cache import Cache
from medianest.cache.pubsub import PubSub
from medianest.cache.ratelimit import RateLimiter
from medianest.cache.redis import Redis
from medianest.http.metrics import HttpMetrics
from medianest.integrations.overseerr.client import OverseerrClient, OverseerrConfig
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.integrations.smtp.client import Mailer
from medianest.jobs.context import JobContext
from medianest.jobs.queue import JobQueue
from medianest.kit.clock import utc_now
from medianest.kit.pools import ClientPool
from medianest.realtime.emitter import Emitter
from medianest.settings import Settings


@dataclass(slots=True)
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    cache: Cache
    limiter: RateLimiter
    pubsub: PubSub
    metrics: HttpMetrics
    mailer: Mailer
    emitter: Emitter
    """Sends socket.io events: this process's server, or Redis when the process has none."""
    redis: Redis | None = None
    plex: ClientPool[PlexServerConfig, PlexServerClient] = field(
        default_factory=lambda: ClientPool(PlexServerClient)
    )
    overseerr: ClientPool[OverseerrConfig, OverseerrClient] = field(
        default_factory=lambda: ClientPool(OverseerrClient)
    )
    started_at: float = field(default_factory=lambda: utc_now().timestamp())
    jobs: JobContext | None = None
    """What this process's jobs run with; None until the lifespan starts the queue."""

    @property
    def queue(self) -> JobQueue | None:
        return None if self.jobs is None else self.jobs.queue

    def plex_client(self) -> PlexServerClient | None:
        """The client of the Plex server as configured now; None when Plex is not set up."""
        config = PlexServerConfig.from_settings(self.settings)
        return None if config is None else self.plex.client(config)

    def overseerr_client(self) -> OverseerrClient | None:
        """The client of Overseerr as configured now; None when it is not set up."""
        config = OverseerrConfig.from_settings(self.settings)
        return None if config is None else self.overseerr.client(config)


async def get_state(connection: HTTPConnection) -> AppState:
    state: AppState = connection.app.state.medianest
    return state
