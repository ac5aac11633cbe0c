"""Browsing the Plex server. Every route needs a signed-in user; the server's token never
leaves MediaNest (images go through `/plex/image`)."""

import hashlib
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from medianest.auth.deps import SIGNED_IN_ERRORS, get_principal
from medianest.http.deps import PageDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.integrations.plex.errors import (
    PlexAuthFailedError,
    PlexBadResponseError,
    PlexItemNotFoundError,
    PlexNotConfiguredError,
)
from medianest.kit.errors import PlexUnreachableError, ValidationError
from medianest.kit.schemas import Page, SafeStr
from medianest.library.deps import PlexBrowserDep
from medianest.library.schemas import (
    CollectionRead,
    ImagePath,
    ItemSort,
    LibrariesRead,
    MediaItemRead,
    MediaItemsRead,
    PlexServerRead,
)
from medianest.library.service import Cached, Freshness

M = TypeVar("M", bound=BaseModel)

PLEX_ERRORS = error_responses(
    PlexUnreachableError, PlexNotConfiguredError, PlexAuthFailedError, PlexBadResponseError
)
IMAGE_MAX_AGE_SECONDS = 7 * 24 * 3600
"""Plex puts a timestamp in image paths: a path's image does not change, so cache long."""

router = APIRouter(
    prefix="/plex",
    tags=["plex"],
    dependencies=[Depends(get_principal)],
    responses=SIGNED_IN_ERRORS | PLEX_ERRORS,
)

LimitQuery = Annotated[int, Query(ge=1, le=100, description="How many items at most.")]


def _answer(response: Response, cached: Cached[M]) -> Envelope[M]:
    """Cache headers from the cache tier; stale data says so (`X-Cache-Status: STALE`)."""
    if cached.freshness is Freshness.STALE:
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["Warning"] = '110 - "Response is Stale"'
    else:
        remaining = max(0, cached.max_age_seconds - cached.age_seconds)
        response.headers["Cache-Control"] = f"private, max-age={remaining}"
    response.headers["Age"] = str(cached.age_seconds)
    response.headers["X-Cache-Status"] = cached.freshness.value
    return ok(cached.value)


@router.get("/server")
async def get_server(plex: PlexBrowserDep, response: Response) -> Envelope[PlexServerRead]:
    """The Plex server's name, version, platform and library count. Cached for an hour."""
    return _answer(response, await plex.server())


@router.get("/libraries")
async def list_libraries(plex: PlexBrowserDep, response: Response) -> Envelope[LibrariesRead]:
    """The server's libraries with their item counts. Cached for an hour."""
    return _answer(response, await plex.libraries())


@router.get("/libraries/{key}/items", responses=error_responses(PlexItemNotFoundError))
async def list_library_items(
    key: str,
    page: PageDep,
    plex: PlexBrowserDep,
    response: Response,
    sort: Annotated[
        ItemSort,
        Query(
            description="`title`, `addedAt`, `year`, `rating`, `originallyAvailableAt` or "
            "`duration`, optionally with `:asc` or `:desc`."
        ),
    ] = "title",
) -> Envelope[Page[MediaItemRead]]:
    """One page of a library's items. Cached for 5 minutes."""
    items = await plex.library_items(key, page=page.page, limit=page.limit, sort=sort)
    return _answer(response, items)


@router.get("/libraries/{key}/collections", responses=error_responses(PlexItemNotFoundError))
async def list_collections(
    key: str, page: PageDep, plex: PlexBrowserDep, response: Response
) -> Envelope[Page[MediaItemRead]]:
    """One page of a library's collections. Cached for 5 minutes."""
    return _answer(response, await plex.collections(key, page=page.page, limit=page.limit))


@router.get("/collections/{key}", responses=error_responses(PlexItemNotFoundError))
async def get_collection(
    key: str, page: PageDep, plex: PlexBrowserDep, response: Response
) -> Envelope[CollectionRead]:
    """A collection and one page of its items. Cached for 5 minutes."""
    return _answer(response, await plex.collection(key, page=page.page, limit=page.limit))


@router.get("/search")
async def search(
    plex: PlexBrowserDep,
    response: Response,
    query: Annotated[SafeStr, Query(min_length=1, max_length=200, description="Words to find.")],
    limit: LimitQuery = 20,
) -> Envelope[MediaItemsRead]:
    """Films, shows and collections whose titles match. Cached for 5 minutes."""
    if not query.strip():
        raise ValidationError("Type something to search for.", details=[{"field": "query"}])
    return _answer(response, await plex.search(query.strip(), limit=limit))


@router.get("/recently-added")
async def recently_added(
    plex: PlexBrowserDep, response: Response, limit: LimitQuery = 20
) -> Envelope[MediaItemsRead]:
    """The newest items across libraries. Cached for 5 minutes."""
    return _answer(response, await plex.recently_added(limit=limit))


@router.get(
    "/image",
    response_class=Response,
    responses={
        200: {"content": {"image/*": {}}, "description": "The image bytes."},
        304: {"description": "Not modified (matches `If-None-Match`)."},
        **error_responses(ValidationError, PlexItemNotFoundError),
    },
)
async def get_image(
    request: Request,
    plex: PlexBrowserDep,
    path: Annotated[
        ImagePath,
        Query(description="An image path Plex gave, e.g. `/library/metadata/123/thumb/17000`."),
    ],
    width: Annotated[int | None, Query(ge=16, le=4096)] = None,
    height: Annotated[int | None, Query(ge=16, le=4096)] = None,
) -> Response:
    """An image of the Plex server, resized by Plex, without exposing its token.

    Only the server's own image paths are accepted: this is not an open proxy.
    """
    image = await plex.image(path, width=width, height=height)
    etag = f'"{hashlib.sha256(image.content).hexdigest()[:32]}"'
    headers = {
        "Cache-Control": f"private, max-age={IMAGE_MAX_AGE_SECONDS}, immutable",
        "ETag": etag,
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(image.content, media_type=image.content_type, headers=headers)
