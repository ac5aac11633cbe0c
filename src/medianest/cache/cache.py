"""A small key-value cache with per-entry time-to-live.

Reads degrade gracefully: when Redis is unreachable a lookup is a miss and a write is
skipped (and logged), so a cache outage slows MediaNest down but never breaks it.
"""

import json
import time
from typing import Any, Protocol

import structlog
from cachetools import TLRUCache
from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = structlog.get_logger(__name__)


class Cache(Protocol):
    """Values must be JSON-serialisable so both implementations behave alike."""

    async def get(self, key: str) -> Any | None: ...
    async def set(self, key: str, value: Any, ttl_seconds: float) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def clear(self) -> int: ...


def _expires_at(_key: str, value: tuple[Any, float], now: float) -> float:
    return now + value[1]


class MemoryCache:
    """In-process cache for the embedded, single-process shape."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: TLRUCache[str, tuple[Any, float]] = TLRUCache(
            maxsize=max_entries, ttu=_expires_at, timer=time.monotonic
        )

    async def get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        return None if entry is None else entry[0]

    async def set(self, key: str, value: Any, ttl_seconds: float) -> None:
        self._entries[key] = (value, ttl_seconds)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def clear(self) -> int:
        count = len(self._entries)
        self._entries.clear()
        return count


class RedisCache:
    """Cache shared by every process; values are stored as JSON."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}cache:"

    async def get(self, key: str) -> Any | None:
        try:
            raw = await self._redis.get(self._prefix + key)
        except (RedisError, OSError) as exc:
            logger.warning("cache.unavailable", operation="get", error=str(exc))
            return None
        return None if raw is None else json.loads(raw)

    async def set(self, key: str, value: Any, ttl_seconds: float) -> None:
        try:
            await self._redis.set(
                self._prefix + key, json.dumps(value), px=max(1, int(ttl_seconds * 1000))
            )
        except (RedisError, OSError) as exc:
            logger.warning("cache.unavailable", operation="set", error=str(exc))

    async def delete(self, key: str) -> None:
        try:
            await self._redis.delete(self._prefix + key)
        except (RedisError, OSError) as exc:
            logger.warning("cache.unavailable", operation="delete", error=str(exc))

    async def clear(self) -> int:
        deleted = 0
        async for batch in _batched(self._redis.scan_iter(match=self._prefix + "*", count=500)):
            deleted += await self._redis.delete(*batch)
        return deleted


async def _batched(keys: Any, size: int = 500) -> Any:
    batch: list[bytes] = []
    async for key in keys:
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
