"""The long-lived resources of one process (server, worker or command): what routes, jobs and
commands take what they need from."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from medianest.cache.cache import Cache
from medianest.cache.pubsub import PubSub
from medianest.cache.ratelimit import RateLimiter
from medianest.cache.redis import Redis
from medianest.db.metrics import StatementMetrics
from medianest.integrations.overseerr.client import OverseerrClient, OverseerrConfig
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.integrations.smtp.client import Mailer, create_mailer
from medianest.integrations.smtp.schemas import SmtpConfig
from medianest.integrations.tmdb.client import TmdbImageClient, TmdbImageConfig
from medianest.jobs.context import JobContext
from medianest.jobs.queue import JobQueue
from medianest.kit.clock import utc_now
from medianest.kit.pools import ClientPool
from medianest.realtime.emitter import Emitter
from medianest.runtime.metrics import HttpMetrics
from medianest.settings import Settings


@dataclass(slots=True)
class AppState:
    settings: Settings
    """The effective configuration: the environment's, overlaid with what admins saved in
    the database. Replaced (never mutated) by `apply_settings`: read it when you need it,
    do not keep it."""
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
    tmdb_images: ClientPool[TmdbImageConfig, TmdbImageClient] = field(
        default_factory=lambda: ClientPool(TmdbImageClient)
    )
    started_at: float = field(default_factory=lambda: utc_now().timestamp())
    jobs: JobContext | None = None
    """What this process's jobs run with; None until the lifespan starts the queue."""
    statements: StatementMetrics = field(default_factory=StatementMetrics)
    """Timing of the statements this process sends to the database."""
    base_settings: Settings = field(init=False)
    """The configuration from the environment alone, under any stored overlay."""

    def __post_init__(self) -> None:
        self.base_settings = self.settings

    def apply_settings(self, settings: Settings) -> None:
        """Make `settings` this process's effective configuration, at once: requests and
        jobs read it from here; what was built from the old one (the mailer) is rebuilt.
        Plex and Overseerr clients follow by themselves (`plex_client`, `overseerr_client`)."""
        previous, self.settings = self.settings, settings
        smtp = SmtpConfig.from_settings(settings)
        if smtp != SmtpConfig.from_settings(previous):
            self.mailer = create_mailer(smtp)
        if self.jobs is not None:
            self.jobs.settings = settings

    @property
    def queue(self) -> JobQueue | None:
        return None if self.jobs is None else self.jobs.queue

    def plex_client(self) -> PlexServerClient | None:
        """The client of the Plex server as configured now; None when Plex is not set up."""
        config = PlexServerConfig.from_settings(self.settings)
        return None if config is None else self.plex.client(config)

    def tmdb_image_client(self) -> TmdbImageClient:
        """The client of the TMDB image host as configured now."""
        return self.tmdb_images.client(TmdbImageConfig.from_settings(self.settings))

    def overseerr_client(self) -> OverseerrClient | None:
        """The client of Overseerr as configured now; None when it is not set up."""
        config = OverseerrConfig.from_settings(self.settings)
        return None if config is None else self.overseerr.client(config)
