"""What MediaNest reads from Overseerr, in Overseerr's field names."""

from enum import IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OverseerrRequestStatus(IntEnum):
    PENDING = 1
    APPROVED = 2
    DECLINED = 3
    FAILED = 4


class OverseerrMediaStatus(IntEnum):
    UNKNOWN = 1
    PENDING = 2
    PROCESSING = 3
    PARTIALLY_AVAILABLE = 4
    AVAILABLE = 5


DiscoverListing = Literal["trending", "movies", "movies/upcoming", "tv", "tv/upcoming"]
"""Overseerr's discover lists (paths below `/discover/`): popular and upcoming by type."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class OverseerrUser(_Model):
    id: int
    email: str | None = None
    plex_id: int | None = Field(default=None, alias="plexId")
    plex_username: str | None = Field(default=None, alias="plexUsername")


class SeasonStatus(_Model):
    season_number: int = Field(alias="seasonNumber")
    status: int


class OverseerrRequestRef(_Model):
    """A request as listed inside media info."""

    id: int
    status: int
    requested_by: OverseerrUser | None = Field(default=None, alias="requestedBy")
    seasons: list[SeasonStatus] = []


class MediaInfo(_Model):
    id: int | None = None
    tmdb_id: int | None = Field(default=None, alias="tmdbId")
    status: int = OverseerrMediaStatus.UNKNOWN
    requests: list[OverseerrRequestRef] = []
    seasons: list[SeasonStatus] = []


class OverseerrRequest(_Model):
    id: int
    status: int
    media: MediaInfo | None = None
    requested_by: OverseerrUser | None = Field(default=None, alias="requestedBy")
    seasons: list[SeasonStatus] = []


class SearchResult(_Model):
    id: int
    media_type: str = Field(alias="mediaType")
    title: str | None = None
    name: str | None = None
    overview: str | None = None
    poster_path: str | None = Field(default=None, alias="posterPath")
    release_date: str | None = Field(default=None, alias="releaseDate")
    first_air_date: str | None = Field(default=None, alias="firstAirDate")
    media_info: MediaInfo | None = Field(default=None, alias="mediaInfo")


class SearchPage(_Model):
    page: int
    total_pages: int = Field(alias="totalPages")
    total_results: int = Field(alias="totalResults")
    results: list[SearchResult]


class Genre(_Model):
    name: str


class Season(_Model):
    season_number: int = Field(alias="seasonNumber")
    name: str | None = None
    episode_count: int | None = Field(default=None, alias="episodeCount")
    air_date: str | None = Field(default=None, alias="airDate")


class MovieDetails(_Model):
    id: int
    title: str
    overview: str | None = None
    poster_path: str | None = Field(default=None, alias="posterPath")
    backdrop_path: str | None = Field(default=None, alias="backdropPath")
    release_date: str | None = Field(default=None, alias="releaseDate")
    runtime: int | None = None
    genres: list[Genre] = []
    media_info: MediaInfo | None = Field(default=None, alias="mediaInfo")


class TvDetails(_Model):
    id: int
    name: str
    overview: str | None = None
    poster_path: str | None = Field(default=None, alias="posterPath")
    backdrop_path: str | None = Field(default=None, alias="backdropPath")
    first_air_date: str | None = Field(default=None, alias="firstAirDate")
    episode_run_time: list[int] = Field(default=[], alias="episodeRunTime")
    genres: list[Genre] = []
    seasons: list[Season] = []
    media_info: MediaInfo | None = Field(default=None, alias="mediaInfo")


class PageInfo(_Model):
    pages: int
    page: int
    results: int


class UserPage(_Model):
    page_info: PageInfo = Field(alias="pageInfo")
    results: list[OverseerrUser]
