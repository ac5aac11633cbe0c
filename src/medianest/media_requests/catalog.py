"""Search and title details from Overseerr, each with what Plex has and who asked for it."""

import hashlib
import time
import uuid
from collections.abc import Callable, Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.cache.cache import Cache
from medianest.integrations.overseerr.client import OverseerrClient
from medianest.integrations.overseerr.errors import (
    OverseerrNotConfiguredError,
    OverseerrNotFoundError,
    OverseerrServerError,
    OverseerrUnreachableError,
)
from medianest.integrations.overseerr.schemas import (
    DiscoverListing,
    MediaInfo,
    MovieDetails,
    OverseerrMediaStatus,
    OverseerrRequestStatus,
    SearchPage,
    SearchResult,
    TvDetails,
)
from medianest.library.service import STALE_FOR_SECONDS, CacheTier
from medianest.media_requests.errors import InvalidMediaIdError
from medianest.media_requests.images import (
    BACKDROP_SIZE,
    DETAILS_POSTER_SIZE,
    POSTER_SIZE,
    image_url,
)
from medianest.media_requests.models import MediaRequest
from medianest.media_requests.repository import RequestRepository
from medianest.media_requests.schemas import (
    Availability,
    DiscoverRow,
    MediaAvailability,
    MediaDetailsRead,
    MediaSearchRead,
    MediaSummaryRead,
    MediaType,
    RequestSummary,
    SeasonAvailability,
)

_AVAILABILITY = {
    OverseerrMediaStatus.AVAILABLE: Availability.AVAILABLE,
    OverseerrMediaStatus.PARTIALLY_AVAILABLE: Availability.PARTIALLY_AVAILABLE,
    OverseerrMediaStatus.PROCESSING: Availability.PROCESSING,
    OverseerrMediaStatus.PENDING: Availability.PENDING,
}
_OPEN_IN_OVERSEERR = {OverseerrRequestStatus.PENDING, OverseerrRequestStatus.APPROVED}
_LISTINGS: dict[DiscoverRow, DiscoverListing] = {
    DiscoverRow.TRENDING: "trending",
    DiscoverRow.POPULAR_MOVIES: "movies",
    DiscoverRow.POPULAR_TV: "tv",
    DiscoverRow.UPCOMING_MOVIES: "movies/upcoming",
    DiscoverRow.UPCOMING_TV: "tv/upcoming",
}

DISCOVER_FRESH_SECONDS = CacheTier.MEDIUM.value
"""Lists change daily on TMDB; what Plex has shows within the medium tier (5 minutes)."""
DISCOVER_KEPT_SECONDS = DISCOVER_FRESH_SECONDS + STALE_FOR_SECONDS
"""A list is kept a day past freshness, to be served while Overseerr is unreachable."""

logger = structlog.get_logger(__name__)


async def fetch_title(
    overseerr: OverseerrClient, media_type: MediaType, tmdb_id: int
) -> MovieDetails | TvDetails:
    """A film's or show's details; 400 `INVALID_MEDIA_ID` when TMDB has no such title."""
    unknown = InvalidMediaIdError(f"There is no {media_type.value} with TMDB id {tmdb_id}.")
    try:
        if media_type is MediaType.MOVIE:
            return await overseerr.movie(tmdb_id)
        return await overseerr.tv(tmdb_id)
    except OverseerrNotFoundError as exc:
        raise unknown from exc
    except OverseerrServerError as exc:
        if exc.is_unknown_title:
            raise unknown from exc
        raise


class MediaCatalog:
    def __init__(
        self,
        session: AsyncSession,
        overseerr: OverseerrClient | None,
        cache: Cache,
        *,
        api_base: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`api_base` is where the API is mounted (`BASE_PATH` + `/api/v1`), for image URLs."""
        self._api_base = api_base
        self._requests = RequestRepository(session)
        self._overseerr = overseerr
        self._cache = cache
        self._now = clock

    @property
    def overseerr(self) -> OverseerrClient:
        if self._overseerr is None:
            raise OverseerrNotConfiguredError()
        return self._overseerr

    async def search(
        self, user_id: uuid.UUID, query: str, *, media_type: MediaType | None, page: int
    ) -> MediaSearchRead:
        found = await self.overseerr.search(query, page=page)
        return await self._merged(user_id, found, media_type=media_type)

    async def discover(self, user_id: uuid.UUID, row: DiscoverRow, *, page: int) -> MediaSearchRead:
        """A discover row's page, from the cache when fresh; who asked for what is always
        read anew, so a request made a second ago shows."""
        found = await self._discover_page(_LISTINGS[row], page)
        return await self._merged(user_id, found, media_type=None)

    async def _discover_page(self, listing: DiscoverListing, page: int) -> SearchPage:
        overseerr = self.overseerr
        origin = hashlib.sha256(overseerr.config.url.encode()).hexdigest()[:16]
        key = f"overseerr:{origin}:discover:{listing}:{page}"
        entry = await self._cache.get(key)
        now = self._now()
        if entry is not None and now - entry["storedAt"] < DISCOVER_FRESH_SECONDS:
            return SearchPage.model_validate(entry["value"])
        try:
            found = await overseerr.discover(listing, page=page)
        except OverseerrUnreachableError:
            if entry is None:
                raise
            logger.warning("overseerr.serving_stale", key=key, age_seconds=now - entry["storedAt"])
            return SearchPage.model_validate(entry["value"])
        stored = {"storedAt": now, "value": found.model_dump(mode="json", by_alias=True)}
        await self._cache.set(key, stored, DISCOVER_KEPT_SECONDS)
        return found

    async def _merged(
        self, user_id: uuid.UUID, found: SearchPage, *, media_type: MediaType | None
    ) -> MediaSearchRead:
        """Films and shows only (no people), with what Plex has and who asked for them."""
        results = [
            result
            for result in found.results
            if result.media_type in {MediaType.MOVIE, MediaType.TV}
            and (media_type is None or result.media_type == media_type)
        ]
        open_requests = await self._requests.open_for_titles(
            (MediaType(result.media_type), result.id) for result in results
        )
        return MediaSearchRead(
            items=[self._summary(result, user_id, open_requests) for result in results],
            page=found.page,
            total_pages=found.total_pages,
            total_results=found.total_results,
        )

    async def details(
        self, user_id: uuid.UUID, media_type: MediaType, tmdb_id: int
    ) -> MediaDetailsRead:
        details = await fetch_title(self.overseerr, media_type, tmdb_id)
        open_requests = await self._requests.open_for_titles([(media_type, tmdb_id)])
        availability = _availability(details.media_info, open_requests, user_id)
        if isinstance(details, MovieDetails):
            title, date, runtime, seasons = (
                details.title,
                details.release_date,
                details.runtime,
                None,
            )
        else:
            title, date, seasons = details.name, details.first_air_date, _seasons(details)
            runtime = details.episode_run_time[0] if details.episode_run_time else None
        return MediaDetailsRead(
            tmdb_id=details.id,
            media_type=media_type,
            title=title,
            year=_year(date),
            overview=details.overview,
            poster_url=image_url(self._api_base, details.poster_path, DETAILS_POSTER_SIZE),
            backdrop_url=image_url(self._api_base, details.backdrop_path, BACKDROP_SIZE),
            runtime_minutes=runtime,
            genres=[genre.name for genre in details.genres],
            availability=availability,
            seasons=seasons,
        )

    def _summary(
        self, result: SearchResult, user_id: uuid.UUID, open_requests: Sequence[MediaRequest]
    ) -> MediaSummaryRead:
        media_type = MediaType(result.media_type)
        same_title = [
            request
            for request in open_requests
            if request.media_type is media_type and request.tmdb_id == result.id
        ]
        return MediaSummaryRead(
            tmdb_id=result.id,
            media_type=media_type,
            title=result.title or result.name or "",
            year=_year(result.release_date or result.first_air_date),
            overview=result.overview,
            poster_url=image_url(self._api_base, result.poster_path, POSTER_SIZE),
            availability=_availability(result.media_info, same_title, user_id),
        )


def _availability(
    info: MediaInfo | None, open_requests: Sequence[MediaRequest], user_id: uuid.UUID
) -> MediaAvailability:
    plex = (
        _AVAILABILITY.get(OverseerrMediaStatus(info.status), Availability.UNKNOWN)
        if info
        else (Availability.UNKNOWN)
    )
    # Search results carry no requests; a PENDING or PROCESSING title was asked for.
    open_in_overseerr = plex in {Availability.PENDING, Availability.PROCESSING} or any(
        request.status in _OPEN_IN_OVERSEERR for request in (info.requests if info else [])
    )
    mine = next((request for request in open_requests if request.user_id == user_id), None)
    return MediaAvailability(
        plex=plex,
        requested=open_in_overseerr or bool(open_requests),
        requested_by_me=mine is not None,
        my_request=None
        if mine is None
        else RequestSummary(
            id=mine.id, status=mine.status, requested_by_me=True, seasons=mine.seasons
        ),
    )


def _seasons(details: TvDetails) -> list[SeasonAvailability]:
    statuses = {
        season.season_number: season.status
        for season in (details.media_info.seasons if details.media_info else [])
    }
    return [
        SeasonAvailability(
            season_number=season.season_number,
            name=season.name,
            episode_count=season.episode_count,
            air_date=season.air_date,
            availability=_availability_of(statuses.get(season.season_number)),
        )
        for season in details.seasons
    ]


def _availability_of(media_status: int | None) -> Availability:
    for status, availability in _AVAILABILITY.items():
        if media_status == status:
            return availability
    return Availability.UNKNOWN


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None
