"""Rate limiting on the `limits` library: in-process storage, or Redis across processes."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from limits import RateLimitItem, parse, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError

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
        storage = OneTripRedisStorage(
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


Window = tuple[int, float, int, float]
"""limits' sliding window: previous count, seconds it still counts, current count, seconds."""

_window_just_read: ContextVar[tuple[str, int, Window] | None] = ContextVar(
    "medianest_window_just_read", default=None
)


class OneTripRedisStorage(RedisStorage):
    """limits' Redis storage, where taking a sliding-window hit also reads the window: limits'
    own two scripts (acquire, then read) go in one pipeline, one round trip instead of two.
    The window statistics the strategy asks for right after (the `X-RateLimit-*` figures)
    are answered from what came back. Same scripts and keys as limits: quotas (`peek`),
    `clear` and the sign-in throttle read and reset the same counts."""

    async def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        bridge = cast(RedispyBridge, self.bridge)
        keys = [
            bridge.prefixed_key(self._previous_window_key(key)),
            bridge.prefixed_key(self._current_window_key(key)),
        ]
        acquire, read = bridge.lua_acquire_sliding_window, bridge.lua_sliding_window
        # EVALSHA straight on the pipeline: given the scripts themselves, redis-py would ask
        # SCRIPT EXISTS first, a round trip of its own on every hit.
        async with cast(Redis, bridge.get_connection()).pipeline(transaction=False) as pipe:
            pipe.evalsha(acquire.sha, len(keys), *keys, limit, expiry, amount)
            pipe.evalsha(read.sha, len(keys), *keys, expiry)
            try:
                acquired, window = await pipe.execute()
            except NoScriptError:  # Redis restarted or flushed its scripts: load them again
                acquired = await acquire(keys, [limit, expiry, amount])
                window = await read(keys, [expiry])
        _window_just_read.set((key, expiry, _as_window(window)))
        return bool(acquired)

    async def get_sliding_window(self, key: str, expiry: int) -> Window:
        read = _window_just_read.get()
        if read is not None and read[:2] == (key, expiry):
            _window_just_read.set(None)
            return read[2]
        return await super().get_sliding_window(key, expiry)


def _as_window(reply: list[object] | None) -> Window:
    """The script's reply (counts, and times to live in milliseconds) as limits returns it."""
    if not reply:
        return 0, 0.0, 0, 0.0
    previous, previous_ms, current, current_ms = (0 if value is None else value for value in reply)
    return (
        int(cast(int, previous)),
        max(0.0, float(cast(float, previous_ms)) / 1000),
        int(cast(int, current)),
        max(0.0, float(cast(float, current_ms)) / 1000),
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
