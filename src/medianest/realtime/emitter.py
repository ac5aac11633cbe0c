"""Emitters: how any part of MediaNest sends an event to socket.io clients.

Inside a server process the emitter is the socket.io server itself (`ServerEmitter` in
`medianest.realtime.server`); with Redis its emits reach the clients of every process. A
process without a socket.io server (a download worker, a CLI command) uses `RedisEmitter`, a
write-only client of the same Redis channel, or `NullEmitter` when there is no Redis (then
no process could have a client to reach).
"""

import asyncio
from abc import ABC, abstractmethod
from typing import Any

import socketio
import structlog

from medianest.realtime.config import RealtimeConfig
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import ADMINS_ROOM, Namespace, user_room

logger = structlog.get_logger(__name__)


class Emitter(ABC):
    """Sends events to rooms of namespaces. Emitting never raises into the caller: a lost
    realtime message must not undo the change it announces (it is logged instead)."""

    def __init__(self, *, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds

    async def emit(
        self, event: str, payload: dict[str, Any], *, namespace: str, room: str | None = None
    ) -> None:
        """Send `event` with `payload` to `room` of `namespace` (every connection of the
        namespace when `room` is None), on every process."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._send(event, payload, namespace=namespace, room=room)
        except Exception:
            logger.exception("realtime.emit_failed", event=event, namespace=namespace)

    @abstractmethod
    async def _send(
        self, event: str, payload: dict[str, Any], *, namespace: str, room: str | None
    ) -> None: ...

    async def aclose(self) -> None:
        """Release connections; the emitter is not used afterwards."""
        return

    async def emit_to_user(self, user_id: object, event: RealtimeEvent) -> None:
        """Deliver an event to one user's connections on the namespaces its class names, plus
        the admins' copy when the class asks for one."""
        if not event.user_namespaces:
            raise ValueError(f"{event.name} is not an event for one user")
        payload = event.payload()
        for namespace in event.user_namespaces:
            await self.emit(event.name, payload, namespace=namespace, room=user_room(user_id))
        if event.copy_to_admins:
            await self.emit(event.name, payload, namespace=Namespace.ADMIN, room=ADMINS_ROOM)

    async def broadcast(self, event: RealtimeEvent) -> None:
        """Deliver an event to every connection of its broadcast namespaces. Events for one
        user have none, so they cannot be broadcast by mistake."""
        if not event.broadcast_namespaces:
            raise ValueError(f"{event.name} is never broadcast")
        payload = event.payload()
        for namespace in event.broadcast_namespaces:
            await self.emit(event.name, payload, namespace=namespace)


class NullEmitter(Emitter):
    """For a process without a socket.io server and without Redis: nobody can be reached."""

    def __init__(self) -> None:
        super().__init__(timeout_seconds=1.0)

    async def _send(
        self,
        event: str,
        payload: dict[str, Any],  # noqa: ARG002 - nobody to send it to
        *,
        namespace: str,
        room: str | None,
    ) -> None:
        logger.debug("realtime.emit_dropped", event=event, namespace=namespace, room=room)


class RedisEmitter(Emitter):
    """Write-only: publishes on the installation's socket.io channel in Redis, where every
    API process's socket.io server picks the event up and delivers it to its clients."""

    def __init__(self, url: str, *, channel: str, timeout_seconds: float) -> None:
        super().__init__(timeout_seconds=timeout_seconds)
        self._manager = socketio.AsyncRedisManager(
            url,
            channel=channel,
            write_only=True,
            redis_options={
                "socket_connect_timeout": timeout_seconds,
                "socket_timeout": timeout_seconds,
            },
        )

    async def _send(
        self, event: str, payload: dict[str, Any], *, namespace: str, room: str | None
    ) -> None:
        await self._manager.emit(event, payload, namespace=namespace, room=room)

    async def aclose(self) -> None:
        redis = self._manager.redis
        if redis is not None:
            await redis.aclose()


def create_worker_emitter(config: RealtimeConfig) -> Emitter:
    """The emitter of a process that has no socket.io server of its own."""
    if config.redis_url is None:
        return NullEmitter()
    return RedisEmitter(
        config.redis_url, channel=config.channel, timeout_seconds=config.timeout_seconds
    )
