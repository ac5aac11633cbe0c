"""What a change of a service's state announces over socket.io."""

from medianest.monitoring.schemas import StatusChange
from medianest.realtime.emitter import Emitter
from medianest.realtime.events import ServiceStatusEvent


class ServiceStatusEvents:
    def __init__(self, emitter: Emitter) -> None:
        self._emitter = emitter

    async def changed(self, change: StatusChange) -> None:
        """`service:status` to everyone signed in, on `/system`."""
        outcome = change.outcome
        event = ServiceStatusEvent(
            service=outcome.service.value,
            status=outcome.status,
            previous_status=change.previous,
            message=outcome.message,
            checked_at=change.checked_at,
            response_ms=outcome.response_ms,
        )
        await self._emitter.broadcast(event)
