"""The media requests API's wire shapes and the status vocabulary."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from medianest.kit.schemas import CamelModel, NonBlankStr


class MediaType(StrEnum):
    MOVIE = "movie"
    TV = "tv"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    PROCESSING = "processing"
    PARTIALLY_AVAILABLE = "partially_available"
    AVAILABLE = "available"
    DECLINED = "declined"
    FAILED = "failed"


OPEN_STATUSES = frozenset(
    {
        RequestStatus.PENDING,
        RequestStatus.APPROVED,
        RequestStatus.PROCESSING,
        RequestStatus.PARTIALLY_AVAILABLE,
    }
)
"""While a request is in one of these, its user cannot request the same title again."""


class ChangeSource(StrEnum):
    USER = "user"
    ADMIN = "admin"
    WEBHOOK = "webhook"
    RECONCILIATION = "reconciliation"


class RequestSort(StrEnum):
    NEWEST = "-createdAt"
    OLDEST = "createdAt"
    RECENTLY_CHANGED = "-statusChangedAt"
    TITLE = "title"


class DiscoverRow(StrEnum):
    """The discover rows, each one of Overseerr's TMDB lists."""

    TRENDING = "trending"
    POPULAR_MOVIES = "movies"
    POPULAR_TV = "tv"
    UPCOMING_MOVIES = "movies-upcoming"
    UPCOMING_TV = "tv-upcoming"


class Availability(StrEnum):
    """Whether Plex has it, as Overseerr knows."""

    AVAILABLE = "available"
    PARTIALLY_AVAILABLE = "partially_available"
    PROCESSING = "processing"
    PENDING = "pending"
    UNKNOWN = "unknown"


CommentBody = Annotated[NonBlankStr, Field(max_length=2000)]


class MediaRequestCreate(CamelModel):
    media_type: MediaType
    tmdb_id: int = Field(ge=1, le=2**31 - 1)
    seasons: list[Annotated[int, Field(ge=0, le=1000)]] | None = Field(
        default=None,
        max_length=200,
        description="TV only: the season numbers wanted; omitted means every season.",
    )
    comment: CommentBody | None = Field(default=None, description="Starts the comment thread.")

    @field_validator("seasons")
    @classmethod
    def _unique_seasons(cls, value: list[int] | None) -> list[int] | None:
        return None if value is None else sorted(set(value)) or None

    @model_validator(mode="after")
    def _seasons_only_for_shows(self) -> Self:
        if self.seasons and self.media_type is MediaType.MOVIE:
            raise ValueError("seasons: films have no seasons")
        return self


class DeclineRequest(CamelModel):
    reason: Annotated[NonBlankStr, Field(max_length=1000)] = Field(
        description="Shown to the requester."
    )


class CommentCreate(CamelModel):
    body: CommentBody


class RequestFilter(CamelModel):
    status: RequestStatus | None = None
    media_type: MediaType | None = None
    sort: RequestSort = RequestSort.NEWEST
    user_id: uuid.UUID | None = None


class RequesterRead(CamelModel):
    id: uuid.UUID
    username: str
    name: str | None


class StatusChangeRead(CamelModel):
    from_status: RequestStatus | None
    to_status: RequestStatus
    source: ChangeSource
    actor_id: uuid.UUID | None
    reason: str | None
    created_at: datetime


class MediaRequestRead(CamelModel):
    id: uuid.UUID
    media_type: MediaType
    tmdb_id: int
    title: str
    poster_url: str | None
    seasons: list[int] | None
    status: RequestStatus
    decline_reason: str | None = Field(description="Why an admin declined it, when they did.")
    overseerr_request_id: int | None
    requested_by: RequesterRead
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime


class MediaRequestDetailRead(MediaRequestRead):
    history: list[StatusChangeRead]


class CommentRead(CamelModel):
    id: uuid.UUID
    author: RequesterRead | None = Field(description="Null when the author's account is gone.")
    body: str
    created_at: datetime


class SeasonAvailability(CamelModel):
    season_number: int
    name: str | None = None
    episode_count: int | None = None
    air_date: str | None = None
    availability: Availability


class RequestSummary(CamelModel):
    """An open request for this title."""

    id: uuid.UUID
    status: RequestStatus
    requested_by_me: bool
    seasons: list[int] | None


class MediaAvailability(CamelModel):
    plex: Availability = Field(description="In Plex fully, partly, coming, or not at all.")
    requested: bool = Field(description="Anyone has an open request (here or in Overseerr).")
    requested_by_me: bool
    my_request: RequestSummary | None = None


class MediaSummaryRead(CamelModel):
    tmdb_id: int
    media_type: MediaType
    title: str
    year: int | None
    overview: str | None
    poster_url: str | None
    availability: MediaAvailability


class MediaDetailsRead(MediaSummaryRead):
    backdrop_url: str | None
    runtime_minutes: int | None = None
    genres: list[str]
    seasons: list[SeasonAvailability] | None = Field(default=None, description="TV only.")


class MediaSearchRead(CamelModel):
    items: list[MediaSummaryRead]
    page: int
    total_pages: int
    total_results: int


class ReconcileRead(CamelModel):
    updated: int = Field(description="How many requests changed.")


class WebhookAck(CamelModel):
    handled: bool = Field(description="False when the notification was ignored.")
    notification_type: str
    updated: int = Field(description="How many requests changed.")
