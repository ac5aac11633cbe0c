"""Rate limiting on the `limits` library: in-process storage, or Redis across processes."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from math import floor, inf

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

    def __init__(self, storage: Storage, *, acquire: "AcquireScript | None" = None) -> None:
        self._storage = storage
        self._strategy = SlidingWindowCounterRateLimiter(storage)
        self._acquire = acquire

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
        return cls(storage, acquire=AcquireScript(storage, redis))

    async def hit(self, rule: str | RateLimitItem, *identity: str) -> RateLimitResult:
        """Count one hit; raises ServiceUnavailableError when the storage is unreachable."""
        item = parse_rule(rule) if isinstance(rule, str) else rule
        with _storage_errors():
            if self._acquire is not None:  # Redis: one round trip
                return await self._acquire.hit(item, identity)
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


ACQUIRE_AND_READ_SLIDING_WINDOW = """
-- limits' acquire_sliding_window.lua, returning the window it decided on, which
-- limits' sliding_window.lua would read next: {acquired, previous count, previous TTL,
-- current count, current TTL}, TTLs in milliseconds, 0 for a key that does not exist.
local limit = tonumber(ARGV[1])
local expiry = tonumber(ARGV[2]) * 1000
local amount = tonumber(ARGV[3])

local current_ttl = tonumber(redis.call('pttl', KEYS[2]))
if current_ttl > 0 and current_ttl < expiry then
    -- Current window expired, shift it to the previous window
    redis.call('rename', KEYS[2], KEYS[1])
    redis.call('set', KEYS[2], 0, 'PX', current_ttl + expiry)
end

local previous_count = tonumber(redis.call('get', KEYS[1])) or 0
local previous_ttl = tonumber(redis.call('pttl', KEYS[1])) or 0
local current_count = tonumber(redis.call('get', KEYS[2])) or 0
current_ttl = tonumber(redis.call('pttl', KEYS[2])) or 0
if previous_ttl <= 0 then
    previous_ttl = 0
end
if current_ttl <= 0 then
    current_ttl = 0
end

local weighted_count = math.floor(previous_count * previous_ttl / expiry) + current_count
if amount > limit or (weighted_count + amount) > limit then
    return {0, previous_count, previous_ttl, current_count, current_ttl}
end

if redis.call('exists', KEYS[2]) == 1 then
    current_count = redis.call('incrby', KEYS[2], amount)
else
    redis.call('set', KEYS[2], amount, 'PX', expiry * 2)
    current_count = amount
    current_ttl = expiry * 2
end
return {1, previous_count, previous_ttl, current_count, current_ttl}
"""


class AcquireScript:
    """`SlidingWindowCounterRateLimiter.hit` then `.get_window_stats` on limits' Redis
    storage, in one script: one round trip per hit instead of two. The keys are limits' own
    (`{prefix}limits:{key}` and its `/-1`, from the storage's methods), so `peek`, `clear`
    and `hit_each`, which still go through limits, read and reset the same counts."""

    def __init__(self, storage: RedisStorage, redis: Redis) -> None:
        self._storage = storage
        self._script = redis.register_script(ACQUIRE_AND_READ_SLIDING_WINDOW)

    def keys(self, item: RateLimitItem, identity: tuple[str, ...]) -> list[str]:
        key = item.key_for(*identity)
        prefixed = self._storage.bridge.prefixed_key
        return [
            prefixed(self._storage._previous_window_key(key)),
            prefixed(self._storage._current_window_key(key)),
        ]

    async def hit(self, item: RateLimitItem, identity: tuple[str, ...]) -> RateLimitResult:
        expiry = item.get_expiry()
        acquired, previous_count, previous_ttl, current_count, current_ttl = await self._script(
            self.keys(item, identity), [item.amount, expiry, 1]
        )
        remaining, reset_at = sliding_window_stats(
            item,
            int(previous_count),
            int(previous_ttl) / 1000,
            int(current_count),
            int(current_ttl) / 1000,
        )
        return RateLimitResult(
            allowed=bool(acquired),
            limit=item.amount,
            remaining=max(0, remaining),
            reset_at=_future_reset(reset_at, item),
        )


def sliding_window_stats(
    item: RateLimitItem,
    previous_count: int,
    previous_expires_in: float,
    current_count: int,
    current_expires_in: float,
) -> tuple[int, float]:
    """(remaining, reset time) as `SlidingWindowCounterRateLimiter.get_window_stats` computes
    them from the four figures of the window."""
    expiry = item.get_expiry()
    weighted = previous_count * previous_expires_in / expiry + current_count
    remaining = max(0, item.amount - floor(weighted))
    now = time.time()
    if not (previous_count or current_count):
        return remaining, now
    previous_reset_in, current_reset_in = inf, inf
    if previous_count:
        previous_reset_in = previous_expires_in % (expiry / previous_count)
    if current_count:
        current_reset_in = current_expires_in % expiry
    return remaining, now + min(previous_reset_in, current_reset_in)


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
