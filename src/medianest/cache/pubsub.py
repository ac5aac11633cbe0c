"""Publish/subscribe between the parts of MediaNest: in-process, or Redis across processes."""

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from medianest.cache.redis import redis_unavailable

Message = dict[str, Any]


class PubSub(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    def subscribe(self, channel: str) -> "AsyncIterator[Message]": ...


class MemoryPubSub:
    """Fan-out to subscribers in this process only."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, set[asyncio.Queue[Message]]] = defaultdict(set)

    async def publish(self, channel: str, message: Message) -> None:
        for queue in list(self._queues[channel]):
            queue.put_nowait(message)

    async def subscribe(self, channel: str) -> AsyncIterator[Message]:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[channel].discard(queue)


class RedisPubSub:
    """Redis PUBLISH/SUBSCRIBE; messages are JSON objects."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}pubsub:"

    async def publish(self, channel: str, message: Message) -> None:
        try:
            await self._redis.publish(self._prefix + channel, json.dumps(message))
        except (RedisError, OSError) as exc:
            raise redis_unavailable(exc) from exc

    async def subscribe(self, channel: str) -> AsyncIterator[Message]:
        async with self._subscription(self._prefix + channel) as pubsub:
            async for raw in pubsub.listen():
                if raw.get("type") == "message":
                    yield json.loads(raw["data"])

    @asynccontextmanager
    async def _subscription(self, channel: str) -> AsyncIterator[Any]:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(channel)
        except (RedisError, OSError) as exc:
            raise redis_unavailable(exc) from exc
        try:
            yield pubsub
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
