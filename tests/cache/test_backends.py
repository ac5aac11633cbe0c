"""Cache, rate limits and pub/sub behave the same in-process and on Redis."""

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator

import pytest

from medianest.kit.errors import ServiceUnavailableError
from medianest.runtime.build import build_state, close_state
from medianest.runtime.state import AppState
from tests.conftest import SettingsFactory
from tests.fixtures.backends import Backends


@pytest.fixture
async def state(make_settings: SettingsFactory, backends: Backends) -> AsyncIterator[AppState]:
    # A prefix of its own inside the run's: live servers of other tests share the run's.
    prefix = f"{backends.redis_prefix}backends-{uuid.uuid4().hex[:8]}:"
    state = build_state(make_settings(redis_key_prefix=prefix))
    yield state
    await close_state(state)


class TestCache:
    async def test_values_expire(self, state: AppState) -> None:
        await state.cache.set("k", {"a": [1, 2]}, ttl_seconds=0.2)
        assert await state.cache.get("k") == {"a": [1, 2]}
        await asyncio.sleep(0.3)
        assert await state.cache.get("k") is None

    async def test_clear_removes_only_our_entries(self, state: AppState) -> None:
        await state.cache.set("one", 1, ttl_seconds=60)
        await state.cache.set("two", 2, ttl_seconds=60)
        await state.cache.delete("one")
        assert await state.cache.clear() == 1
        assert await state.cache.get("two") is None


class TestRateLimiter:
    async def test_counts_per_identity(self, state: AppState) -> None:
        first = await state.limiter.hit("2/minute", "login", "10.0.0.1")
        second = await state.limiter.hit("2/minute", "login", "10.0.0.1")
        third = await state.limiter.hit("2/minute", "login", "10.0.0.1")
        other = await state.limiter.hit("2/minute", "login", "10.0.0.2")
        assert (first.allowed, second.allowed, third.allowed, other.allowed) == (
            True,
            True,
            False,
            True,
        )
        assert third.remaining == 0
        assert third.headers()["Retry-After"] == str(third.retry_after_seconds)


class TestPubSub:
    async def test_subscriber_receives_published_messages(self, state: AppState) -> None:
        received: list[dict[str, object]] = []
        ready = asyncio.Event()

        async def listen() -> None:
            stream = state.pubsub.subscribe("events")
            ready.set()
            async for message in stream:
                received.append(message)
                return

        task = asyncio.create_task(listen())
        await ready.wait()
        for _ in range(50):  # the subscription is live once a publish lands
            await state.pubsub.publish("events", {"n": 1})
            await asyncio.sleep(0.05)
            if received:
                break
        await asyncio.wait_for(task, timeout=5)
        assert received == [{"n": 1}]


class TestRedisAway:
    async def test_limiter_and_pubsub_fail_fast_cache_degrades(
        self, make_settings: SettingsFactory
    ) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        state = build_state(
            make_settings(redis_url=f"redis://127.0.0.1:{port}/0", redis_timeout_seconds=1)
        )
        try:
            assert await asyncio.wait_for(state.cache.get("k"), timeout=3) is None
            await asyncio.wait_for(state.cache.set("k", 1, ttl_seconds=5), timeout=3)
            with pytest.raises(ServiceUnavailableError):
                await asyncio.wait_for(state.limiter.hit("5/minute", "x"), timeout=3)
            with pytest.raises(ServiceUnavailableError):
                await asyncio.wait_for(state.pubsub.publish("c", {}), timeout=3)
        finally:
            await close_state(state)
