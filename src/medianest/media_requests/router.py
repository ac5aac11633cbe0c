"""Media search, requests and their comments; the admin's decisions; Overseerr's webhook."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request, status
from fastapi.responses import FileResponse

from medianest.auth.deps import (
    SIGNED_IN_ERRORS,
    AdminPrincipal,
    ClientDep,
    CurrentPrincipal,
    UserQuota,
    get_admin,
    get_principal,
    peek_user_quota,
    spend_user_quota,
)
from medianest.auth.models import User
from medianest.auth.schemas import QuotaRead
from medianest.http.deps import PageDep, PageParams, StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.integrations.overseerr.errors import (
    OverseerrAuthFailedError,
    OverseerrNotConfiguredError,
    OverseerrRejectedError,
    OverseerrUnreachableError,
)
from medianest.kit.errors import (
    ConflictError,
    NotFoundError,
    RateLimitExceededError,
    ServiceUnavailableError,
    UnauthorizedError,
    ValidationError,
)
from medianest.kit.schemas import Page, SafeStr
from medianest.media_requests.deps import (
    ApiBaseDep,
    CatalogDep,
    ImageStoreDep,
    RequestServiceDep,
    WebhookSecret,
)
from medianest.media_requests.errors import InvalidMediaIdError
from medianest.media_requests.images import POSTER_SIZE, FileName, TmdbImageSize, image_url
from medianest.media_requests.models import MediaRequest, RequestComment
from medianest.media_requests.schemas import (
    CommentCreate,
    CommentRead,
    DeclineRequest,
    DiscoverRow,
    MediaDetailsRead,
    MediaRequestCreate,
    MediaRequestDetailRead,
    MediaRequestRead,
    MediaSearchRead,
    MediaType,
    ReconcileRead,
    RequesterRead,
    RequestFilter,
    RequestSort,
    RequestStatus,
    StatusChangeRead,
    WebhookAck,
)
from medianest.media_requests.service import RequestService, RequestView
from medianest.media_requests.webhook import WebhookPayload

OVERSEERR_ERRORS = error_responses(
    OverseerrUnreachableError,
    OverseerrNotConfiguredError,
    OverseerrAuthFailedError,
    OverseerrRejectedError,
)

REQUEST_QUOTA = UserQuota("media-request", "rate_limit_media_requests")

router = APIRouter(prefix="/media", tags=["requests"], responses=SIGNED_IN_ERRORS)
admin_router = APIRouter(
    prefix="/admin/requests",
    tags=["admin"],
    dependencies=[Depends(get_admin)],
    responses=SIGNED_IN_ERRORS,
)
webhook_router = APIRouter(prefix="/webhooks", tags=["webhooks"])
images_router = APIRouter(
    prefix="/images",
    tags=["images"],
    dependencies=[Depends(get_principal)],
    responses=SIGNED_IN_ERRORS,
)

IMAGE_MAX_AGE_SECONDS = 365 * 24 * 3600
"""A TMDB file name names one image for good."""

RequestId = Annotated[uuid.UUID, Path(description="The request's id.")]
StatusQuery = Annotated[RequestStatus | None, Query(description="Only requests in this status.")]
TypeQuery = Annotated[MediaType | None, Query(alias="mediaType", description="`movie` or `tv`.")]
SortQuery = Annotated[RequestSort, Query(description="Order; `-` means newest first.")]


# ---------------------------------------------------------------------- search and details


@router.get("/search", responses=OVERSEERR_ERRORS)
async def search_media(
    principal: CurrentPrincipal,
    catalog: CatalogDep,
    query: Annotated[SafeStr, Query(min_length=1, max_length=200, description="Title words.")],
    media_type: Annotated[
        MediaType | None, Query(alias="type", description="Only films or shows.")
    ] = None,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Envelope[MediaSearchRead]:
    """Films and shows (through Overseerr and TMDB), each with what Plex has and whether it
    is requested already, by anyone and by you. `page` is Overseerr's page of 20 results."""
    if not query.strip():
        raise ValidationError("Type something to search for.", details=[{"field": "query"}])
    found = await catalog.search(principal.user.id, query.strip(), media_type=media_type, page=page)
    return ok(found)


@router.get("/discover/{row}", responses=OVERSEERR_ERRORS)
async def discover_media(
    row: Annotated[
        DiscoverRow,
        Path(
            description="`trending` (films and shows), `movies` and `tv` (popular), "
            "`movies-upcoming`, `tv-upcoming`."
        ),
    ],
    principal: CurrentPrincipal,
    catalog: CatalogDep,
    page: Annotated[int, Query(ge=1, le=500, description="TMDB's page of 20.")] = 1,
) -> Envelope[MediaSearchRead]:
    """A discover row (Overseerr's TMDB lists), in the shape of search: each title with
    what Plex has and whether it is requested already, by anyone and by you. People in
    trending are left out, so a page may hold fewer than 20. The lists are cached for
    5 minutes (and served from the cache while Overseerr is unreachable); requests are
    always current."""
    return ok(await catalog.discover(principal.user.id, row, page=page))


# ---------------------------------------------------------------------- a user's requests


@router.post(
    "/request",
    status_code=status.HTTP_201_CREATED,
    responses=OVERSEERR_ERRORS
    | error_responses(InvalidMediaIdError, ConflictError, RateLimitExceededError),
)
async def create_request(
    body: MediaRequestCreate,
    principal: CurrentPrincipal,
    requests: RequestServiceDep,
    state: StateDep,
    http_request: Request,
    api_base: ApiBaseDep,
) -> Envelope[MediaRequestDetailRead]:
    """Request a film, or a show (all seasons, or the ones in `seasons`).

    409 `CONFLICT` when you have an open request for it already or Plex has it; at most
    `RATE_LIMIT_MEDIA_REQUESTS` (20 an hour) per user. Users with an Overseerr account make
    the request there as themselves; others' requests wait here for an admin.
    """
    await spend_user_quota(state, http_request, principal, REQUEST_QUOTA)
    request = await requests.create(principal.user, body)
    return ok(await _detail(requests, RequestView(request, principal.user), api_base))


@router.get("/request/quota")
async def get_request_quota(principal: CurrentPrincipal, state: StateDep) -> Envelope[QuotaRead]:
    """How many media requests you have left this window (`RATE_LIMIT_MEDIA_REQUESTS`),
    without spending one: what `POST /media/request` reports in its `X-RateLimit-*` headers."""
    return ok(await peek_user_quota(state, principal, REQUEST_QUOTA))


@router.get("/requests")
async def list_my_requests(
    principal: CurrentPrincipal,
    requests: RequestServiceDep,
    page: PageDep,
    api_base: ApiBaseDep,
    status_filter: Annotated[StatusQuery, Query(alias="status")] = None,
    media_type: TypeQuery = None,
    sort: SortQuery = RequestSort.NEWEST,
) -> Envelope[Page[MediaRequestRead]]:
    """Your requests."""
    filters = RequestFilter(
        status=status_filter, media_type=media_type, sort=sort, user_id=principal.user.id
    )
    return ok(await _page(requests, filters, page, api_base))


@router.get("/requests/{request_id}", responses=error_responses(NotFoundError))
async def get_request(
    request_id: RequestId,
    principal: CurrentPrincipal,
    requests: RequestServiceDep,
    api_base: ApiBaseDep,
) -> Envelope[MediaRequestDetailRead]:
    """One of your requests (admins: anyone's), with its status history."""
    view = await requests.visible(principal, request_id)
    return ok(await _detail(requests, view, api_base))


@router.delete(
    "/requests/{request_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotFoundError, ConflictError) | OVERSEERR_ERRORS,
)
async def delete_request(
    request_id: RequestId,
    principal: CurrentPrincipal,
    requests: RequestServiceDep,
    client: ClientDep,
) -> None:
    """Withdraw your pending request (admins: delete any). It is removed in Overseerr too."""
    await requests.withdraw(principal, request_id, client=client)


@router.get("/requests/{request_id}/comments", responses=error_responses(NotFoundError))
async def list_comments(
    request_id: RequestId, principal: CurrentPrincipal, requests: RequestServiceDep
) -> Envelope[list[CommentRead]]:
    """The request's comment thread, oldest first: for its requester and admins."""
    return ok([_comment(c, author) for c, author in await requests.comments(principal, request_id)])


@router.post(
    "/requests/{request_id}/comments",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(NotFoundError),
)
async def add_comment(
    request_id: RequestId,
    body: CommentCreate,
    principal: CurrentPrincipal,
    requests: RequestServiceDep,
) -> Envelope[CommentRead]:
    """Add to the request's comment thread."""
    comment, author = await requests.add_comment(principal, request_id, body.body)
    return ok(_comment(comment, author))


# Declared after /requests/...: its two free path segments would match those paths too.
@router.get(
    "/{media_type}/{tmdb_id}", responses=OVERSEERR_ERRORS | error_responses(InvalidMediaIdError)
)
async def get_media(
    media_type: MediaType,
    tmdb_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    principal: CurrentPrincipal,
    catalog: CatalogDep,
) -> Envelope[MediaDetailsRead]:
    """A film or show with its availability; a show lists its seasons, each with its own."""
    return ok(await catalog.details(principal.user.id, media_type, tmdb_id))


# ---------------------------------------------------------------------- admin


@admin_router.get("")
async def list_all_requests(
    requests: RequestServiceDep,
    page: PageDep,
    api_base: ApiBaseDep,
    status_filter: Annotated[StatusQuery, Query(alias="status")] = None,
    media_type: TypeQuery = None,
    user_id: Annotated[uuid.UUID | None, Query(alias="userId")] = None,
    sort: SortQuery = RequestSort.NEWEST,
) -> Envelope[Page[MediaRequestRead]]:
    """Everyone's requests."""
    filters = RequestFilter(status=status_filter, media_type=media_type, sort=sort, user_id=user_id)
    return ok(await _page(requests, filters, page, api_base))


@admin_router.post(
    "/{request_id}/approve",
    responses=error_responses(NotFoundError, ConflictError) | OVERSEERR_ERRORS,
)
async def approve_request(
    request_id: RequestId,
    admin: AdminPrincipal,
    requests: RequestServiceDep,
    client: ClientDep,
    api_base: ApiBaseDep,
) -> Envelope[MediaRequestDetailRead]:
    """Approve a pending request (in Overseerr too)."""
    view = await requests.approve(admin, request_id, client=client)
    return ok(await _detail(requests, view, api_base))


@admin_router.post(
    "/{request_id}/decline",
    responses=error_responses(NotFoundError, ConflictError) | OVERSEERR_ERRORS,
)
async def decline_request(
    request_id: RequestId,
    body: DeclineRequest,
    admin: AdminPrincipal,
    requests: RequestServiceDep,
    client: ClientDep,
    api_base: ApiBaseDep,
) -> Envelope[MediaRequestDetailRead]:
    """Decline a pending request with a reason, which its requester sees."""
    view = await requests.decline(admin, request_id, body.reason, client=client)
    return ok(await _detail(requests, view, api_base))


@admin_router.post("/reconcile", responses=OVERSEERR_ERRORS)
async def reconcile_now(requests: RequestServiceDep) -> Envelope[ReconcileRead]:
    """Align open requests with Overseerr now (it also happens every
    `OVERSEERR_SYNC_MINUTES`)."""
    return ok(ReconcileRead(updated=await requests.reconcile()))


# ---------------------------------------------------------------------- webhook


@webhook_router.post(
    "/overseerr",
    dependencies=[WebhookSecret],
    responses=error_responses(UnauthorizedError, ValidationError),
)
async def overseerr_webhook(
    payload: Annotated[WebhookPayload, Body()], requests: RequestServiceDep
) -> Envelope[WebhookAck]:
    """Overseerr's webhook agent, with its default JSON payload.

    Authenticated by the `Authorization` header Overseerr is configured to send
    (`OVERSEERR_WEBHOOK_SECRET`). `MEDIA_*` notifications update the matching requests;
    `TEST_NOTIFICATION` and other types are accepted and ignored. Sending the same
    notification again changes nothing more.
    """
    updated = await requests.apply_notification(payload)
    handled = payload.notification_type.startswith("MEDIA_")
    return ok(
        WebhookAck(handled=handled, notification_type=payload.notification_type, updated=updated)
    )


# ---------------------------------------------------------------------- images


@images_router.get(
    "/tmdb/{size}/{file_name}",
    response_class=FileResponse,
    responses={
        200: {"content": {"image/*": {}}, "description": "The image bytes."},
        **error_responses(ValidationError, NotFoundError, ServiceUnavailableError),
    },
)
async def get_tmdb_image(
    size: Annotated[TmdbImageSize, Path(description="One of TMDB's sizes.")],
    file_name: Annotated[FileName, Path(description="A TMDB file name, e.g. `abc123.jpg`.")],
    images: ImageStoreDep,
) -> FileResponse:
    """A TMDB poster or backdrop, fetched once from the image host (`TMDB_IMAGE_URL`) and
    then served from MediaNest's disk, so browsers talk to no third party.

    The `posterUrl` and `backdropUrl` of search, discover, details and requests point here.
    Only TMDB's sizes and plain file names are accepted (400 otherwise, and TMDB is not
    asked): this is not an open proxy. 404 when TMDB has no such image; 503 when the image
    host cannot be reached. Cookie sessions work, so an `<img src>` needs nothing more.
    """
    path, media_type = await images.image(size, file_name)
    headers = {"Cache-Control": f"private, max-age={IMAGE_MAX_AGE_SECONDS}, immutable"}
    return FileResponse(path, media_type=media_type, headers=headers)


# ---------------------------------------------------------------------- shapes


def _requester(user: User) -> RequesterRead:
    return RequesterRead(id=user.id, username=user.username, name=user.name)


def _read(request: MediaRequest, requester: User, api_base: str) -> MediaRequestRead:
    return MediaRequestRead(
        id=request.id,
        media_type=request.media_type,
        tmdb_id=request.tmdb_id,
        title=request.title,
        poster_url=image_url(api_base, request.poster_path, POSTER_SIZE),
        seasons=request.seasons,
        status=request.status,
        decline_reason=request.decline_reason,
        overseerr_request_id=request.overseerr_request_id,
        requested_by=_requester(requester),
        created_at=request.created_at,
        updated_at=request.updated_at,
        status_changed_at=request.status_changed_at,
    )


async def _detail(
    requests: RequestService, view: RequestView, api_base: str
) -> MediaRequestDetailRead:
    history = await requests.history(view.request.id)
    return MediaRequestDetailRead(
        **_read(view.request, view.requester, api_base).model_dump(),
        history=[StatusChangeRead.model_validate(change) for change in history],
    )


async def _page(
    requests: RequestService, filters: RequestFilter, page: PageParams, api_base: str
) -> Page[MediaRequestRead]:
    views, total = await requests.page(filters, offset=page.offset, limit=page.limit)
    return Page[MediaRequestRead].build(
        [_read(view.request, view.requester, api_base) for view in views],
        page=page.page,
        limit=page.limit,
        total_items=total.items,
        total_exact=total.exact,
    )


def _comment(comment: RequestComment, author: User | None) -> CommentRead:
    return CommentRead(
        id=comment.id,
        author=_requester(author) if author else None,
        body=comment.body,
        created_at=comment.created_at,
    )
