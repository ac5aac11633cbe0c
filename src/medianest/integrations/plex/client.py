"""A client of the Plex Media Server, on python-plexapi.

python-plexapi does the talking: its `PlexServer` keeps the connection and token, parses
Plex's XML into objects, and knows the calls for sections, hub search, scans and
collections. It is synchronous, so every call runs in a worker thread under a deadline.
Only images bypass it: they are bytes to pass through, fetched with httpx. plexapi loads
with the first call (not at start: the server does not need it until Plex is asked).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from xml.etree.ElementTree import ParseError

import anyio
import httpx
import requests
import structlog

from medianest.integrations.plex.errors import (
    PlexAuthFailedError,
    PlexBadResponseError,
    PlexItemNotFoundError,
)
from medianest.integrations.plex.schemas import (
    Image,
    ItemSlice,
    Library,
    MediaItem,
    ServerInfo,
)
from medianest.kit.errors import PlexUnreachableError
from medianest.kit.headers import is_header_safe
from medianest.kit.reachability import describe_failure
from medianest.settings import Settings

if TYPE_CHECKING:
    from plexapi.server import PlexServer

logger = structlog.get_logger(__name__)

T = TypeVar("T")

MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PlexServerConfig:
    url: str
    token: str
    timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> PlexServerConfig | None:
        if not settings.plex_url or settings.plex_token is None:
            return None
        return cls(
            url=settings.plex_url,
            token=settings.plex_token.get_secret_value(),
            timeout_seconds=settings.plex_timeout_seconds,
        )


class PlexServerClient:
    def __init__(self, config: PlexServerConfig) -> None:
        if not is_header_safe(config.token):
            raise PlexAuthFailedError(
                "The Plex token has characters an HTTP header cannot carry. An admin must set "
                "PLEX_TOKEN again."
            )
        self.config = config
        self._session = requests.Session()
        self._server: PlexServer | None = None
        self._connect_lock = threading.Lock()
        self._images = httpx.AsyncClient(
            base_url=config.url,
            timeout=config.timeout_seconds,
            headers={"X-Plex-Token": config.token},
        )

    async def aclose(self) -> None:
        await self._images.aclose()
        self._session.close()

    # ------------------------------------------------------------------ reads

    async def server_info(self) -> ServerInfo:
        def read(server: PlexServer) -> ServerInfo:
            # Read the root afresh: the version changes when Plex is upgraded.
            root = server.query("/").attrib
            return ServerInfo(
                name=root.get("friendlyName", ""),
                version=root.get("version", ""),
                platform=root.get("platform", ""),
                machine_identifier=root.get("machineIdentifier", ""),
                owner_username=root.get("myPlexUsername"),
            )

        return await self._run(read)

    async def ping(self) -> None:
        await self._run(lambda server: server.query("/"))  # needs the token, unlike /identity

    async def machine_identifier(self) -> str:
        identifier: str = await self._run(lambda server: server.machineIdentifier)
        return identifier

    async def libraries(self) -> list[Library]:
        def read(server: PlexServer) -> list[Library]:
            return [
                Library(
                    key=str(section.key),
                    title=section.title,
                    type=section.type,
                    locations=tuple(section.locations),
                    count=section.totalViewSize(includeCollections=False) or 0,
                    thumb=section.thumb,
                )
                for section in server.library.sections()
            ]

        return await self._run(read)

    async def library_items(self, key: str, *, start: int, size: int, sort: str) -> ItemSlice:
        return await self._run(
            functools.partial(
                _read_slice,
                path=f"/library/sections/{_plex_key(key)}/all",
                start=start,
                size=size,
                params={"sort": sort},
            )
        )

    async def collections(self, library_key: str, *, start: int, size: int) -> ItemSlice:
        path = f"/library/sections/{_plex_key(library_key)}/collections"
        return await self._run(functools.partial(_read_slice, path=path, start=start, size=size))

    async def item(self, rating_key: str) -> MediaItem:
        return await self._run(
            lambda server: _media_item(server.fetchItem(int(_plex_key(rating_key))))
        )

    async def collection_items(self, rating_key: str, *, start: int, size: int) -> ItemSlice:
        path = f"/library/collections/{_plex_key(rating_key)}/children"
        return await self._run(functools.partial(_read_slice, path=path, start=start, size=size))

    async def recently_added(self, *, limit: int) -> list[MediaItem]:
        recent = await self._run(
            functools.partial(_read_slice, path="/library/recentlyAdded", start=0, size=limit)
        )
        return list(recent.items)

    async def search(self, query: str, *, limit: int) -> list[MediaItem]:
        def read(server: PlexServer) -> list[MediaItem]:
            found = server.search(query, limit=limit)
            return [_media_item(item) for item in found if getattr(item, "ratingKey", None)]

        items = await self._run(read)
        return items[:limit]

    async def image(self, path: str, *, width: int | None, height: int | None) -> Image:
        """An image of this server, resized by Plex's photo transcoder when asked to."""
        if width is None and height is None:
            request = self._images.build_request("GET", path)
        else:
            params = {"url": path, "minSize": "1", "upscale": "1"}
            params |= {"width": str(width or height), "height": str(height or width)}
            request = self._images.build_request("GET", "/photo/:/transcode", params=params)
        try:
            response = await self._images.send(request, stream=True)
        except httpx.TransportError as exc:
            raise self._unreachable(exc, self.config.timeout_seconds) from exc
        try:
            return await _read_image(response)
        finally:
            await response.aclose()

    # ------------------------------------------------------------------ changes

    async def library_containing(self, folder: str) -> str | None:
        """The key of the library whose locations hold the folder, if any."""
        return await self._run(lambda server: _section_key(_section_containing(server, folder)))

    async def scan_folder(self, folder: str) -> str | None:
        """Ask Plex to scan one folder (a partial scan) of the library that holds it.

        Returns the library's key, or None when no library contains the folder.
        """

        def scan(server: PlexServer) -> str | None:
            section = _section_containing(server, folder)
            if section is not None:
                section.update(path=folder)
            return _section_key(section)

        return await self._run(scan)

    async def find_items_in_folder(self, library_key: str, folder: str) -> list[MediaItem]:
        """Items of a library whose files lie in the folder (those Plex has indexed)."""

        def read(server: PlexServer) -> list[MediaItem]:
            path = f"/library/sections/{_plex_key(library_key)}/all"
            return [
                _media_item(item)
                for item in server.fetchItems(path)
                if any(_contains(folder, location) for location in _files_of(item))
            ]

        return await self._run(read)

    async def upsert_collection(
        self, library_key: str, title: str, rating_keys: Iterable[str]
    ) -> str:
        """Create the collection, or add the items to it when one of this title exists.

        Returns the collection's rating key.
        """
        keys = [int(_plex_key(key)) for key in rating_keys]

        def upsert(server: PlexServer) -> str:
            section = server.library.sectionByID(int(_plex_key(library_key)))
            items = server.fetchItems(keys)
            existing = next(
                (
                    collection
                    for collection in server.fetchItems(
                        f"/library/sections/{section.key}/collections"
                    )
                    if collection.title == title
                ),
                None,
            )
            if existing is None:
                created = server.createCollection(title, section=section, items=items)
                return str(created.ratingKey)
            present = {item.ratingKey for item in existing.items()}
            missing = [item for item in items if item.ratingKey not in present]
            if missing:
                existing.addItems(missing)
            return str(existing.ratingKey)

        return await self._run(upsert)

    # ------------------------------------------------------------------ plumbing

    async def _run(self, work: Callable[[PlexServer], T]) -> T:
        # plexapi's own timeout bounds each HTTP call; this deadline bounds the whole
        # operation, whatever it does, so a caller never waits much longer than configured.
        deadline = self.config.timeout_seconds * 2
        try:
            with anyio.fail_after(deadline):
                return await anyio.to_thread.run_sync(self._call, work, abandon_on_cancel=True)
        except TimeoutError as exc:
            raise self._unreachable(exc, deadline) from exc

    def _call(self, work: Callable[[PlexServer], T]) -> T:
        from plexapi import exceptions as plex_errors

        try:
            return work(self._connect())
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise self._unreachable(exc, self.config.timeout_seconds) from exc
        except plex_errors.Unauthorized as exc:
            raise PlexAuthFailedError() from exc
        except plex_errors.NotFound as exc:
            raise PlexItemNotFoundError() from exc
        except (plex_errors.BadRequest, ParseError, requests.RequestException) as exc:
            logger.warning("plex.bad_response", url=self.config.url, error=str(exc)[:300])
            raise PlexBadResponseError() from exc

    def _unreachable(self, exc: BaseException, timeout_seconds: float) -> PlexUnreachableError:
        reason = describe_failure(exc, url=self.config.url, timeout_seconds=timeout_seconds)
        logger.warning("plex.unreachable", reason=reason, error=type(exc).__name__)
        return PlexUnreachableError(f"Could not reach Plex: {reason}.")

    def _connect(self) -> PlexServer:
        from plexapi.server import PlexServer

        with self._connect_lock:
            if self._server is None:
                self._server = PlexServer(
                    self.config.url,
                    self.config.token,
                    session=self._session,
                    timeout=self.config.timeout_seconds,
                )
            return self._server


def _read_slice(
    server: PlexServer, *, path: str, start: int, size: int, params: dict[str, str] | None = None
) -> ItemSlice:
    headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(size)}
    data = server.query(path, headers=headers, params=params)
    library_key = data.attrib.get("librarySectionID")
    items = tuple(_media_item(item, library_key) for item in server.findItems(data))
    total = int(data.attrib.get("totalSize") or data.attrib.get("size") or len(items))
    return ItemSlice(items=items[:size], total=total)


async def _read_image(response: httpx.Response) -> Image:
    if response.status_code == httpx.codes.NOT_FOUND:
        raise PlexItemNotFoundError("Plex has no image at this path.")
    if response.status_code == httpx.codes.UNAUTHORIZED:
        raise PlexAuthFailedError()
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if response.is_error or not content_type.startswith("image/"):
        raise PlexBadResponseError("Plex did not answer with an image.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_IMAGE_BYTES:
            raise PlexBadResponseError("The image is larger than MediaNest passes through.")
        chunks.append(chunk)
    return Image(content=b"".join(chunks), content_type=content_type)


def _media_item(item: Any, library_key: str | None = None) -> MediaItem:
    # A missing attribute would make plexapi fetch the whole item again, once per item.
    item._autoReload = False
    added_at = getattr(item, "addedAt", None)
    section = getattr(item, "librarySectionID", None) or library_key
    return MediaItem(
        rating_key=str(item.ratingKey),
        type=str(getattr(item, "type", None) or "unknown"),
        title=str(getattr(item, "title", None) or ""),
        year=getattr(item, "year", None),
        summary=getattr(item, "summary", None) or None,
        duration_ms=getattr(item, "duration", None),
        rating=getattr(item, "rating", None) or getattr(item, "audienceRating", None),
        content_rating=getattr(item, "contentRating", None),
        # plexapi builds naive local times (datetime.fromtimestamp): make them UTC-aware.
        added_at=added_at.astimezone(UTC) if isinstance(added_at, datetime) else None,
        thumb=getattr(item, "thumb", None),
        art=getattr(item, "art", None),
        library_key=None if section is None else str(section),
        child_count=getattr(item, "childCount", None),
        leaf_count=getattr(item, "leafCount", None),
    )


def _section_containing(server: PlexServer, folder: str) -> Any:
    for section in server.library.sections():
        if any(_contains(location, folder) for location in section.locations):
            return section
    return None


def _section_key(section: Any) -> str | None:
    return None if section is None else str(section.key)


def _files_of(item: Any) -> list[str]:
    return [part.file for media in getattr(item, "media", []) for part in media.parts if part.file]


def _contains(folder: str, path: str) -> bool:
    folder = folder.rstrip("/")
    return path == folder or path.startswith(f"{folder}/")


def _plex_key(key: str) -> str:
    """Keys go into Plex paths: accept only what Plex issues (digits)."""
    if not key.isdigit():
        raise PlexItemNotFoundError()
    return key
