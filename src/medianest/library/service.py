"""Browsing the Plex server through the platform cache, and scans for other features.

Every read is cached in the tier of seed 004 that suits it. Entries outlive their freshness
by a day so that, while Plex is briefly down, the last answer is served and marked stale
instead of failing.
"""

import hashlib
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Generic, TypeVar
from urllib.parse import urlencode

import structlog
from pydantic import BaseModel

from medianest.cache.cache import Cache
from medianest.integrations.plex.client import PlexServerClient
from medianest.integrations.plex.errors import (
    PlexBadResponseError,
    PlexItemNotFoundError,
    PlexNotConfiguredError,
)
from medianest.integrations.plex.schemas import Image, ItemSlice, MediaItem
from medianest.kit.errors import PlexUnreachableError
from medianest.kit.schemas import Page
from medianest.library.schemas import (
    CollectionRead,
    LibrariesRead,
    LibraryRead,
    MediaItemRead,
    MediaItemsRead,
    PlexServerRead,
)

logger = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

STALE_FOR_SECONDS = 24 * 3600
"""How long past its freshness an answer is kept for when Plex is down."""

POSTER_SIZE = (240, 360)
ART_SIZE = (1280, 720)


class CacheTier(Enum):
    """Freshness in seconds, per seed 004's caching strategy."""

    LONG = 3600  # server info, libraries
    MEDIUM = 300  # search, recently added, library pages
    SHORT = 30  # service status
    USER = 300  # per-user data


class Freshness(StrEnum):
    HIT = "HIT"
    MISS = "MISS"
    STALE = "STALE"


@dataclass(frozen=True, slots=True)
class Cached(Generic[M]):
    value: M
    freshness: Freshness
    age_seconds: int
    max_age_seconds: int


class PlexBrowser:
    def __init__(
        self,
        client: PlexServerClient | None,
        cache: Cache,
        *,
        api_base: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`api_base` is where the API is mounted (`BASE_PATH` + `/api/v1`), for image URLs."""
        self._client = client
        self._now = clock
        self._cache = cache
        self._api_base = api_base
        self._key_prefix = "plex:" + (
            hashlib.sha256(client.config.url.encode()).hexdigest()[:16] if client else "none"
        )

    @property
    def client(self) -> PlexServerClient:
        if self._client is None:
            raise PlexNotConfiguredError()
        return self._client

    # ------------------------------------------------------------------ browsing

    async def server(self) -> Cached[PlexServerRead]:
        async def load() -> PlexServerRead:
            info = await self.client.server_info()
            libraries = await self.client.libraries()
            return PlexServerRead(
                name=info.name,
                version=info.version,
                platform=info.platform,
                machine_identifier=info.machine_identifier,
                libraries=len(libraries),
            )

        return await self._cached("server", CacheTier.LONG, PlexServerRead, load)

    async def libraries(self) -> Cached[LibrariesRead]:
        async def load() -> LibrariesRead:
            libraries = await self.client.libraries()
            return LibrariesRead(
                libraries=[
                    LibraryRead(key=lib.key, title=lib.title, type=lib.type, count=lib.count)
                    for lib in libraries
                ]
            )

        return await self._cached("libraries", CacheTier.LONG, LibrariesRead, load)

    async def library_items(
        self, key: str, *, page: int, limit: int, sort: str
    ) -> Cached[Page[MediaItemRead]]:
        async def load() -> Page[MediaItemRead]:
            found = await self.client.library_items(
                key, start=(page - 1) * limit, size=limit, sort=sort
            )
            return self._page(found, page=page, limit=limit)

        cache_key = f"items:{key}:{sort}:{page}:{limit}"
        return await self._cached(cache_key, CacheTier.MEDIUM, Page[MediaItemRead], load)

    async def collections(self, key: str, *, page: int, limit: int) -> Cached[Page[MediaItemRead]]:
        async def load() -> Page[MediaItemRead]:
            found = await self.client.collections(key, start=(page - 1) * limit, size=limit)
            return self._page(found, page=page, limit=limit)

        cache_key = f"collections:{key}:{page}:{limit}"
        return await self._cached(cache_key, CacheTier.MEDIUM, Page[MediaItemRead], load)

    async def collection(self, key: str, *, page: int, limit: int) -> Cached[CollectionRead]:
        async def load() -> CollectionRead:
            collection = await self.client.item(key)
            if collection.type != "collection":
                raise PlexItemNotFoundError("No Plex collection has this key.")
            found = await self.client.collection_items(key, start=(page - 1) * limit, size=limit)
            return CollectionRead(
                collection=self._item(collection), items=self._page(found, page=page, limit=limit)
            )

        cache_key = f"collection:{key}:{page}:{limit}"
        return await self._cached(cache_key, CacheTier.MEDIUM, CollectionRead, load)

    async def recently_added(self, *, limit: int) -> Cached[MediaItemsRead]:
        async def load() -> MediaItemsRead:
            items = await self.client.recently_added(limit=limit)
            return MediaItemsRead(items=[self._item(item) for item in items])

        return await self._cached(f"recent:{limit}", CacheTier.MEDIUM, MediaItemsRead, load)

    async def search(self, query: str, *, limit: int) -> Cached[MediaItemsRead]:
        async def load() -> MediaItemsRead:
            items = await self.client.search(query, limit=limit)
            return MediaItemsRead(items=[self._item(item) for item in items])

        digest = hashlib.sha256(query.casefold().encode()).hexdigest()[:24]
        return await self._cached(
            f"search:{digest}:{limit}", CacheTier.MEDIUM, MediaItemsRead, load
        )

    async def image(self, path: str, *, width: int | None, height: int | None) -> Image:
        return await self.client.image(path, width=width, height=height)

    # ------------------------------------------------------------------ for other features

    async def scan_folder(self, folder: str) -> str | None:
        """Ask Plex to scan a folder new files landed in; the key of its library, or None
        when no Plex library holds that folder."""
        library_key = await self.client.scan_folder(folder)
        logger.info("plex.scan_requested", folder=folder, library=library_key)
        return library_key

    async def library_containing(self, folder: str) -> str | None:
        return await self.client.library_containing(folder)

    async def publish_collection(
        self, library_key: str, title: str, rating_keys: Iterable[str]
    ) -> str:
        """Create the collection or add the items to the one of this title; its key."""
        return await self.client.upsert_collection(library_key, title, rating_keys)

    async def items_in_folder(self, library_key: str, folder: str) -> list[MediaItem]:
        """What Plex has indexed of a folder so far."""
        return await self.client.find_items_in_folder(library_key, folder)

    # ------------------------------------------------------------------ plumbing

    async def _cached(
        self, key: str, tier: CacheTier, model: type[M], load: Callable[[], Awaitable[M]]
    ) -> Cached[M]:
        full_key = f"{self._key_prefix}:{key}"
        entry = await self._cache.get(full_key)
        now = self._now()
        age = int(now - entry["storedAt"]) if entry else 0
        if entry is not None and age < tier.value:
            return Cached(model.model_validate(entry["value"]), Freshness.HIT, age, tier.value)
        try:
            value = await load()
        except (PlexUnreachableError, PlexBadResponseError):
            if entry is None:
                raise
            logger.warning("plex.serving_stale", key=key, age_seconds=age)
            return Cached(model.model_validate(entry["value"]), Freshness.STALE, age, tier.value)
        stored = {"storedAt": now, "value": value.model_dump(mode="json")}
        await self._cache.set(full_key, stored, tier.value + STALE_FOR_SECONDS)
        return Cached(value, Freshness.MISS, 0, tier.value)

    def _page(self, found: ItemSlice, *, page: int, limit: int) -> Page[MediaItemRead]:
        return Page[MediaItemRead].build(
            [self._item(item) for item in found.items],
            page=page,
            limit=limit,
            total_items=found.total,
        )

    def _item(self, item: MediaItem) -> MediaItemRead:
        return MediaItemRead(
            rating_key=item.rating_key,
            type=item.type,
            title=item.title,
            year=item.year,
            summary=item.summary,
            duration_ms=item.duration_ms,
            rating=item.rating,
            content_rating=item.content_rating,
            added_at=item.added_at,
            library_key=item.library_key,
            child_count=item.child_count,
            leaf_count=item.leaf_count,
            thumb_url=self.image_url(item.thumb, POSTER_SIZE),
            art_url=self.image_url(item.art, ART_SIZE),
        )

    def image_url(self, path: str | None, size: tuple[int, int]) -> str | None:
        if not path:
            return None
        query = urlencode({"path": path, "width": size[0], "height": size[1]})
        return f"{self._api_base}/plex/image?{query}"
