"""Rate limiting on the `limits` library: in-process storage, or Redis across processes."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse, parse_many
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
        item = parse_rule(rule) if isinstance(rule, str) else rule
        with _storage_errors():
            allowed = await self._strategy.hit(item, *identity)
            return await self._result(item, identity, allowed=allowed)

    async def hit_each(self, rules: str, *identity: str) -> RateLimitResult:
        """One hit on each limit of `rules` (`5/minute;20/hour`), or on none while one of
        them is spent: refused attempts never lengthen the wait. Refused, the result is the
        spent limit that frees up last; allowed, the one with the fewest hits left."""
        items = parse_many(rules)
        with _storage_errors():
            windows = [await self._result(item, identity, allowed=True) for item in items]
            spent = [window for window in windows if window.remaining <= 0]
            if spent:
                latest = max(spent, key=lambda window: window.reset_at)
                return RateLimitResult(False, latest.limit, 0, latest.reset_at)
            for item in items:
                if not await self._strategy.hit(item, *identity):  # a parallel hit won
                    return await self._result(item, identity, allowed=False)
            results = [await self._result(item, identity, allowed=True) for item in items]
        return min(results, key=lambda result: result.remaining)

    async def peek(self, rule: str, *identity: str) -> RateLimitResult:
        """Where `identity` stands on `rule`, without counting a hit."""
        item = parse_rule(rule)
        with _storage_errors():
            window = await self._result(item, identity, allowed=True)
        return RateLimitResult(
            window.remaining > 0, window.limit, window.remaining, window.reset_at
        )

    async def clear(self, rules: str, *identity: str) -> None:
        """Forget every hit `identity` made on the limits of `rules`."""
        with _storage_errors():
            for item in parse_many(rules):
                await self._strategy.clear(item, *identity)

    async def _result(
        self, item: RateLimitItem, identity: tuple[str, ...], *, allowed: bool
    ) -> RateLimitResult:
        stats = await self._strategy.get_window_stats(item, *identity)
        return RateLimitResult(
            allowed=allowed,
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_at=_future_reset(stats.reset_time, item),
        )


@lru_cache(maxsize=64)
def parse_rule(rule: str) -> RateLimitItem:
    """`limits.parse`, once per rule: the rules are a handful of settings, and parsing one
    runs a dozen regular expressions."""
    return parse(rule)


def _future_reset(reset_at: float, item: RateLimitItem) -> float:
    """On Redis, limits' sliding window says a window that just began resets now (the key's
    TTL, twice the window, modulo the window is 0): then say a whole window, which is true."""
    now = time.time()
    return reset_at if reset_at > now else now + item.get_expiry()


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except (StorageError, RedisError, OSError) as exc:
        raise ServiceUnavailableError("Rate-limit storage (Redis) is unavailable.") from exc
