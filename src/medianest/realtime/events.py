"""What every realtime event is: a socket.io event's name, payload and namespaces.

Each domain declares the events it sends in its own `events.py`, next to the publisher that
sends them; `medianest.routes.REALTIME_EVENTS` lists them all for the reference. Payloads are
pydantic models, camelCase on the wire like the REST API. Where an event goes is declared on
its class, so the emitter's routing and the generated reference (docs/reference/realtime.md)
come from the same place.
"""

from typing import Any, ClassVar

from pydantic import ConfigDict

from medianest.kit.schemas import CamelModel
from medianest.realtime.namespaces import Namespace


def _add_example(schema: dict[str, Any], model: type[Any]) -> None:
    schema["examples"] = [model.example]


class RealtimeEvent(CamelModel):
    """Base of every event: the class names the socket.io event and says where it goes; the
    fields are its payload."""

    model_config = ConfigDict(frozen=True, json_schema_extra=_add_example)

    name: ClassVar[str]
    summary: ClassVar[str]
    example: ClassVar[dict[str, Any]]
    """A payload as clients receive it, for the JSON schema and the reference."""
    user_namespaces: ClassVar[tuple[Namespace, ...]] = ()
    """Namespaces that deliver it to the user it concerns (room `user:<id>`)."""
    copy_to_admins: ClassVar[bool] = False
    """Whether an event sent to a user also goes to every admin on `/admin`."""
    broadcast_namespaces: ClassVar[tuple[Namespace, ...]] = ()
    """Namespaces where it may go to every connection at once."""

    def payload(self) -> dict[str, Any]:
        """The JSON object clients receive."""
        return self.model_dump(mode="json")
