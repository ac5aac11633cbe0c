"""The socket.io namespaces, who may connect to each, and the rooms events are sent to."""

from dataclasses import dataclass
from enum import StrEnum

ADMINS_ROOM = "admins"
"""Every admin's connection to `/admin` is in this room."""


def user_room(user_id: object) -> str:
    """The room of one user's connections: events for that user go here, never broadcast."""
    return f"user:{user_id}"


def session_room(session_id: object) -> str:
    """The room of the connections made with one session's credentials, so that signing out
    one browser ends that browser's connections and no other."""
    return f"session:{session_id}"


class Namespace(StrEnum):
    PUBLIC = "/"
    AUTHENTICATED = "/authenticated"
    ADMIN = "/admin"
    MEDIA = "/media"
    SYSTEM = "/system"


USER_MEDIA_NAMESPACES = (Namespace.AUTHENTICATED, Namespace.MEDIA)
"""Where a user's request and download events reach them."""


class Audience(StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed_in"
    ADMINS = "admins"


@dataclass(frozen=True, slots=True)
class NamespaceRule:
    namespace: Namespace
    audience: Audience
    description: str


NAMESPACE_RULES: dict[Namespace, NamespaceRule] = {
    rule.namespace: rule
    for rule in (
        NamespaceRule(
            Namespace.PUBLIC,
            Audience.ANYONE,
            "Public: anyone may connect, signed in or not; it carries nothing private.",
        ),
        NamespaceRule(
            Namespace.AUTHENTICATED,
            Audience.SIGNED_IN,
            "Everything addressed to the signed-in user: their requests, their downloads "
            "and notifications for them.",
        ),
        NamespaceRule(
            Namespace.MEDIA,
            Audience.SIGNED_IN,
            "Only the user's media events (requests and downloads), for pages that show "
            "nothing else.",
        ),
        NamespaceRule(
            Namespace.SYSTEM,
            Audience.SIGNED_IN,
            "Announcements to every signed-in user: notifications for all and the status of "
            "the services MediaNest depends on.",
        ),
        NamespaceRule(
            Namespace.ADMIN,
            Audience.ADMINS,
            "Admins only: a copy of every user's request and download events, and events "
            "meant for admins.",
        ),
    )
}
