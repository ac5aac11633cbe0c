"""The socket.io server that runs on MediaNest's ASGI app: who may connect to which
namespace, and the rooms a connection joins.

Who a connection belongs to is not decided here: `app.py` hands `start()` an authenticator
from the auth domain, which checks the same credentials as the REST API. This layer only sees
the `SocketUser` it returns.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import socketio
import structlog
from socketio import exceptions as socketio_errors
from starlette.requests import cookie_parser
from starlette.types import Receive, Scope, Send

from medianest.cache.pubsub import PubSub
from medianest.cache.redis import RedisError
from medianest.kit.errors import AppError, ErrorCode, ServiceUnavailableError
from medianest.kit.tasks import cancel_and_wait
from medianest.realtime.config import RealtimeConfig, origin_allowed
from medianest.realtime.disconnects import DISCONNECT_CHANNEL, Disconnect
from medianest.realtime.emitter import Emitter
from medianest.realtime.namespaces import (
    ADMINS_ROOM,
    NAMESPACE_RULES,
    Audience,
    Namespace,
    session_room,
    user_room,
)

logger = structlog.get_logger(__name__)

SOCKETIO_PATH = "/socket.io"
"""Where the server is mounted, under `BASE_PATH`."""

RESUBSCRIBE_SECONDS = 5.0
"""How soon a lost subscription to disconnect requests (Redis away) is tried again."""


@dataclass(frozen=True, slots=True)
class SocketUser:
    """Who a connection belongs to, as far as routing events is concerned."""

    id: str
    is_admin: bool
    session_id: str | None = None
    """The session whose credentials opened the connection."""


@dataclass(frozen=True, slots=True)
class Handshake:
    """The credentials a client may present when it connects: the socket.io `auth` payload
    (`{"token": "<access token>"}`), an `Authorization` header, or the session cookie."""

    auth: Mapping[str, Any]
    authorization: str | None
    cookies: Mapping[str, str]

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any], auth: object) -> "Handshake":
        return cls(
            auth=auth if isinstance(auth, dict) else {},
            authorization=environ.get("HTTP_AUTHORIZATION"),
            cookies=cookie_parser(environ.get("HTTP_COOKIE", "")),
        )

    @property
    def token(self) -> str | None:
        """The access token of the `auth` payload or of a bearer `Authorization` header."""
        token = self.auth.get("token")
        if isinstance(token, str) and token.strip():
            return token.strip()
        scheme, _, credentials = (self.authorization or "").partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip()
        return None


Authenticator = Callable[[Handshake], Awaitable[SocketUser | None]]
"""Who presented the handshake: None without credentials; raises an `AppError` (such as
`JwtInvalidError`) when the credentials are bad."""


class SocketRefusedError(socketio_errors.ConnectionRefusedError):
    """Refuses a connection with the REST API's error code, so clients handle both alike:
    the client's `connect_error` gets `{"message", "data": {"code"}}`."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message, {"code": code.value})


class RealtimeServer:
    """socket.io on the ASGI app, with the Redis manager when Redis is configured so that
    emits from any process reach clients connected to any other."""

    def __init__(self, config: RealtimeConfig) -> None:
        self._authenticate: Authenticator | None = None
        self._disconnects: asyncio.Task[None] | None = None
        manager = (
            None
            if config.redis_url is None
            else socketio.AsyncRedisManager(
                config.redis_url,
                channel=config.channel,
                redis_options={"socket_connect_timeout": config.timeout_seconds},
            )
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            # engine.io accepts a callable (origin, environ); the stubs only know lists
            cors_allowed_origins=partial(origin_allowed, config.allowed_origins),  # type: ignore[arg-type]
            cors_credentials=True,
            logger=False,
            engineio_logger=False,
        )
        for namespace in Namespace:
            self.sio.on("connect", self._connect_handler(namespace), namespace=namespace.value)
        self.emitter: Emitter = ServerEmitter(self.sio, timeout_seconds=config.timeout_seconds)

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app to mount at `SOCKETIO_PATH`: the mount does the routing, so every
        HTTP and WebSocket request that reaches it is engine.io's."""
        if scope["type"] in {"http", "websocket"}:
            await self.sio.handle_request(scope, receive, send)

    def start(self, authenticate: Authenticator, pubsub: PubSub) -> None:
        """Accept connections, and end them when `pubsub` asks (`realtime.disconnects`).
        With Redis, subscribe to socket.io's channel now rather than on the first client's
        request (socket.io's default), so that a client's first events do not race the
        subscription."""
        self._authenticate = authenticate
        if not self.sio.manager_initialized:
            self.sio.manager_initialized = True
            self.sio.manager.initialize()
        if self._disconnects is None:
            self._disconnects = asyncio.create_task(
                self._follow_disconnects(pubsub), name="realtime:disconnects"
            )

    async def aclose(self) -> None:
        """Disconnect clients and stop listening to Redis."""
        self._authenticate = None
        if self._disconnects is not None:
            await cancel_and_wait(self._disconnects)
            self._disconnects = None
        await self.sio.shutdown()
        listener: asyncio.Task[Any] | None = getattr(self.sio.manager, "thread", None)
        if listener is not None:
            await cancel_and_wait(listener)
        redis = getattr(self.sio.manager, "redis", None)
        if redis is not None:
            await redis.aclose()

    def _connect_handler(self, namespace: Namespace) -> Callable[..., Awaitable[None]]:
        async def on_connect(sid: str, environ: Mapping[str, Any], auth: object = None) -> None:
            await self._admit(namespace, sid, Handshake.from_environ(environ, auth))

        return on_connect

    async def _admit(self, namespace: Namespace, sid: str, handshake: Handshake) -> None:
        """Refuse or accept a connection to `namespace`, and put it in its rooms."""
        audience = NAMESPACE_RULES[namespace].audience
        if audience is Audience.ANYONE:
            return
        user = await self._identify(handshake)
        if user is None:
            raise SocketRefusedError(
                ErrorCode.UNAUTHORIZED,
                f"Sign in first: {namespace.value} needs an access token in the auth "
                'payload ({"token": ...}) or the session cookie.',
            )
        if audience is Audience.ADMINS and not user.is_admin:
            raise SocketRefusedError(ErrorCode.FORBIDDEN, f"{namespace.value} is for admins only.")
        await self.sio.enter_room(sid, user_room(user.id), namespace=namespace.value)
        if user.session_id is not None:
            await self.sio.enter_room(sid, session_room(user.session_id), namespace=namespace.value)
        if user.is_admin:
            await self.sio.enter_room(sid, ADMINS_ROOM, namespace=namespace.value)

    async def _follow_disconnects(self, pubsub: PubSub) -> None:
        """For as long as the server runs, end this process's connections that a disconnect
        request names; when the subscription is lost, subscribe again a little later."""
        while True:
            try:
                async for message in pubsub.subscribe(DISCONNECT_CHANNEL):
                    disconnect = Disconnect.from_message(message)
                    if disconnect is not None:
                        await self._disconnect_here(disconnect)
            except (ServiceUnavailableError, RedisError, OSError):
                logger.warning("realtime.disconnect_subscription_lost")
            await asyncio.sleep(RESUBSCRIBE_SECONDS)

    async def _disconnect_here(self, disconnect: Disconnect) -> None:
        """Disconnect the connections of this process in the request's room, on every
        namespace (rooms are per namespace, and per process)."""
        ended = 0
        for namespace in Namespace:
            participants = self.sio.manager.get_participants(namespace.value, disconnect.room)
            for sid in [sid for sid, _eio_sid in participants]:
                try:
                    await self.sio.disconnect(sid, namespace=namespace.value, ignore_queue=True)
                except Exception:  # one broken transport must not spare the others
                    logger.exception("realtime.disconnect_failed", namespace=namespace.value)
                else:
                    ended += 1
        if ended:
            logger.info(
                "realtime.disconnected",
                user_id=disconnect.user_id,
                session_id=disconnect.session_id,
                connections=ended,
            )

    async def _identify(self, handshake: Handshake) -> SocketUser | None:
        if self._authenticate is None:
            raise SocketRefusedError(ErrorCode.SERVICE_UNAVAILABLE, "MediaNest is starting.")
        try:
            return await self._authenticate(handshake)
        except AppError as exc:
            raise SocketRefusedError(exc.code, exc.message) from exc
        except Exception as exc:
            logger.exception("realtime.authentication_failed")
            raise SocketRefusedError(
                ErrorCode.INTERNAL_ERROR, "Your credentials could not be checked; try again."
            ) from exc


class ServerEmitter(Emitter):
    """Emits through the process's own socket.io server (and so, with Redis, everywhere)."""

    def __init__(self, sio: socketio.AsyncServer, *, timeout_seconds: float) -> None:
        super().__init__(timeout_seconds=timeout_seconds)
        self._sio = sio

    async def _send(
        self, event: str, payload: dict[str, Any], *, namespace: str, room: str | None
    ) -> None:
        await self._sio.emit(event, payload, to=room, namespace=namespace)
