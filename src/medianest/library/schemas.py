"""The Plex browsing API's wire shapes (camelCase JSON)."""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from medianest.kit.schemas import CamelModel, Page, documented_pattern


class ItemSortField(StrEnum):
    TITLE = "title"
    ADDED_AT = "addedAt"
    YEAR = "year"
    RATING = "rating"
    RELEASED = "originallyAvailableAt"
    DURATION = "duration"


_PLEX_SORT_FIELD = {ItemSortField.TITLE: "titleSort"}
_SORT_PATTERN = re.compile(r"(?P<field>[A-Za-z]+)(?::(?P<direction>asc|desc))?", re.ASCII)


def to_plex_sort(value: str) -> str:
    """`addedAt:desc` in our API to Plex's `sort=` parameter; ValueError when unknown."""
    match = _SORT_PATTERN.fullmatch(value)
    fields = ", ".join(field.value for field in ItemSortField)
    if match is None or match["field"] not in ItemSortField.__members__.values():
        raise ValueError(f"must be one of {fields}, optionally followed by :asc or :desc")
    field = ItemSortField(match["field"])
    return f"{_PLEX_SORT_FIELD.get(field, field.value)}:{match['direction'] or 'asc'}"


ItemSort = Annotated[
    str,
    AfterValidator(to_plex_sort),
    documented_pattern(
        f"^(?:{'|'.join(ItemSortField)})(?::(?:asc|desc))?$", example="addedAt:desc"
    ),
]

_IMAGE_PATH = re.compile(
    r"/library/(?:metadata|collections)/[0-9]{1,12}/(?:thumb|art|banner|clearLogo|composite)"
    r"(?:/[0-9]{1,20})?"
)
r"""Matched whole (`fullmatch`) with ASCII digits: `$` would let a trailing newline through,
and `\d` any script's digits."""


def check_image_path(value: str) -> str:
    if not _IMAGE_PATH.fullmatch(value):
        raise ValueError(
            "must be an image path of the Plex server, such as "
            "/library/metadata/123/thumb/1700000000"
        )
    return value


ImagePath = Annotated[
    str,
    AfterValidator(check_image_path),
    documented_pattern(
        f"^{_IMAGE_PATH.pattern}$", example="/library/metadata/123/thumb/1700000000"
    ),
]


class PlexServerRead(CamelModel):
    name: str
    version: str
    platform: str
    machine_identifier: str
    libraries: int = Field(description="How many libraries the server has.")


class LibraryRead(CamelModel):
    key: str
    title: str
    type: str = Field(description="`movie`, `show`, `artist` or `photo`.")
    count: int = Field(description="Items in the library (films, shows...).")


class LibrariesRead(CamelModel):
    libraries: list[LibraryRead]


class MediaItemRead(CamelModel):
    """What a poster grid needs. Image URLs point at MediaNest's image proxy, never at Plex."""

    rating_key: str
    type: str = Field(description="`movie`, `show`, `episode`, `collection`...")
    title: str
    year: int | None = None
    summary: str | None = None
    duration_ms: int | None = None
    rating: float | None = None
    content_rating: str | None = None
    added_at: datetime | None = None
    library_key: str | None = None
    child_count: int | None = Field(default=None, description="Seasons, or collection items.")
    leaf_count: int | None = Field(default=None, description="Episodes of a show.")
    thumb_url: str | None = Field(default=None, description="Poster, through the image proxy.")
    art_url: str | None = Field(default=None, description="Background art, through the proxy.")


class MediaItemsRead(CamelModel):
    items: list[MediaItemRead]


class CollectionRead(CamelModel):
    collection: MediaItemRead
    items: Page[MediaItemRead]
