"""Rate limiting on the `limits` library: in-process storage, or Redis across processes."""

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from medianest.kit.errors import ServiceUnavailableError


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    """Unix time at which the window has room again."""

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int(self.reset_at - time.time()) + 1)

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(int(self.reset_at)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after_seconds)
        return headers


class RateLimiter:
    """Counts hits per (limit name, identity) on a sliding window."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._strategy = SlidingWindowCounterRateLimiter(storage)

    @classmethod
    def in_memory(cls) -> "RateLimiter":
        return cls(MemoryStorage())

    @classmethod
    def on_redis(cls, redis: Redis, *, url: str, prefix: str) -> "RateLimiter":
        """Share the app's Redis connection pool (and so its timeouts and its closing)."""
        storage = RedisStorage(
            f"async+{url}",
            implementation="redispy",
            key_prefix=f"{prefix}limits",
            wrap_exceptions=True,
            connection_pool=redis.connection_pool,  # type: ignore[arg-type] # documented option
        )
        return cls(storage)

    async def hit(self, rule: str | RateLimitItem, *identity: str) -> RateLimitResult:
        """Count one hit; raises ServiceUnavailableError when the storage is unreachable."""
        item = parse(rule) if isinstance(rule, str) else rule
        try:
            allowed = await self._strategy.hit(item, *identity)
            stats = await self._strategy.get_window_stats(item, *identity)
        except (StorageError, RedisError, OSError) as exc:
            raise ServiceUnavailableError("Rate-limit storage (Redis) is unavailable.") from exc
        return RateLimitResult(
            allowed=allowed,
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_at=stats.reset_time,
        )
