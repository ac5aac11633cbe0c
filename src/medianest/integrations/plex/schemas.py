"""What MediaNest reads from the Plex server, independent of python-plexapi's objects."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ServerInfo:
    name: str
    version: str
    platform: str
    machine_identifier: str
    owner_username: str | None


@dataclass(frozen=True, slots=True)
class Library:
    key: str
    title: str
    type: str
    locations: tuple[str, ...]
    count: int
    thumb: str | None


@dataclass(frozen=True, slots=True)
class MediaItem:
    rating_key: str
    type: str
    title: str
    year: int | None
    summary: str | None
    duration_ms: int | None
    rating: float | None
    content_rating: str | None
    added_at: datetime | None
    thumb: str | None
    art: str | None
    library_key: str | None
    child_count: int | None
    """Seasons of a show, items of a collection."""
    leaf_count: int | None
    """Episodes of a show."""


@dataclass(frozen=True, slots=True)
class ItemSlice:
    """Part of a longer list, with the length of the whole list."""

    items: tuple[MediaItem, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Image:
    content: bytes
    content_type: str
