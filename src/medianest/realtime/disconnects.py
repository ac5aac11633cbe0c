"""Ending socket.io connections whose credentials no longer hold.

A connection is authenticated once, when it opens. When a user signs out, is signed out
everywhere, loses the admin role or is deleted, the auth domain asks (through `Disconnector`,
after its change is committed) that their connections end; every server process hears the
request on `state.pubsub` and drops its own connections in the user's (or the session's)
room. The clients may reconnect, and the connect-time checks then admit or refuse them anew.
socket.io's rooms are per process even with its Redis manager, hence the fan-out.
"""

from dataclasses import dataclass

import structlog

from medianest.cache.pubsub import Message, PubSub
from medianest.kit.errors import ServiceUnavailableError
from medianest.realtime.namespaces import session_room, user_room

logger = structlog.get_logger(__name__)

DISCONNECT_CHANNEL = "realtime:disconnect-user"


@dataclass(frozen=True, slots=True)
class Disconnect:
    """End the connections of one user, or only those made with one of their sessions."""

    user_id: str
    session_id: str | None = None

    @property
    def room(self) -> str:
        return user_room(self.user_id) if self.session_id is None else session_room(self.session_id)

    def to_message(self) -> Message:
        message: Message = {"userId": self.user_id}
        if self.session_id is not None:
            message["sessionId"] = self.session_id
        return message

    @classmethod
    def from_message(cls, message: Message) -> "Disconnect | None":
        """None for a message that names no user (it is ignored)."""
        user_id, session_id = message.get("userId"), message.get("sessionId")
        if not isinstance(user_id, str) or not user_id:
            return None
        return cls(user_id=user_id, session_id=session_id if isinstance(session_id, str) else None)


class Disconnector:
    """Asks every server process to end connections. Never raises: the change that asks is
    committed, and with Redis away the request is logged and dropped (the connections then
    last until they close, but every REST call of theirs is refused)."""

    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def disconnect_user(self, user_id: object) -> None:
        await self._publish(Disconnect(user_id=str(user_id)))

    async def disconnect_session(self, user_id: object, session_id: object) -> None:
        await self._publish(Disconnect(user_id=str(user_id), session_id=str(session_id)))

    async def _publish(self, disconnect: Disconnect) -> None:
        try:
            await self._pubsub.publish(DISCONNECT_CHANNEL, disconnect.to_message())
        except ServiceUnavailableError:
            logger.warning(
                "realtime.disconnect_not_sent",
                user_id=disconnect.user_id,
                session_id=disconnect.session_id,
            )
