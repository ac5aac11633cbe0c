"""Requests for films and shows, kept in MediaNest and carried out by Overseerr.

Every status change is written to the request's history with who or what made it, and
announced to the request's owner once the change is committed.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.auth.models import User
from medianest.auth.service.principal import Principal
from medianest.db.engine import after_commit
from medianest.db.paging import Total
from medianest.integrations.overseerr.client import OverseerrClient
from medianest.integrations.overseerr.errors import (
    OverseerrNotConfiguredError,
    OverseerrNotFoundError,
    OverseerrRejectedError,
)
from medianest.integrations.overseerr.schemas import (
    MediaInfo,
    MovieDetails,
    OverseerrMediaStatus,
    OverseerrRequest,
    OverseerrRequestStatus,
    OverseerrUser,
    TvDetails,
)
from medianest.kit.clock import utc_now
from medianest.kit.errors import NotFoundError, ValidationError
from medianest.media_requests.catalog import fetch_title
from medianest.media_requests.errors import (
    AlreadyAvailableError,
    AlreadyRequestedError,
    RequestNotPendingError,
)
from medianest.media_requests.events import RequestEventPublisher
from medianest.media_requests.models import MediaRequest, RequestComment, RequestStatusChange
from medianest.media_requests.repository import RequestRepository
from medianest.media_requests.schemas import (
    OPEN_STATUSES,
    ChangeSource,
    MediaRequestCreate,
    RequestFilter,
    RequestStatus,
)
from medianest.media_requests.webhook import WebhookPayload, notification_target
from medianest.notifications.schemas import NotificationKind, Severity
from medianest.notifications.service import NotificationService

logger = structlog.get_logger(__name__)

_PROGRESS = {
    RequestStatus.PENDING: 0,
    RequestStatus.APPROVED: 1,
    RequestStatus.PROCESSING: 2,
    RequestStatus.PARTIALLY_AVAILABLE: 3,
    RequestStatus.AVAILABLE: 4,
}


_DECIDED_BY_REQUEST = {
    OverseerrRequestStatus.DECLINED: RequestStatus.DECLINED,
    OverseerrRequestStatus.FAILED: RequestStatus.FAILED,
}
_DECIDED_BY_MEDIA = {
    OverseerrMediaStatus.AVAILABLE: RequestStatus.AVAILABLE,
    OverseerrMediaStatus.PARTIALLY_AVAILABLE: RequestStatus.PARTIALLY_AVAILABLE,
}


def status_from_overseerr(request_status: int, media_status: int | None) -> RequestStatus:
    """Overseerr's request status and media status, as one MediaNest status."""
    if request_status in _DECIDED_BY_REQUEST:
        return _DECIDED_BY_REQUEST[OverseerrRequestStatus(request_status)]
    if media_status in _DECIDED_BY_MEDIA:
        return _DECIDED_BY_MEDIA[OverseerrMediaStatus(media_status)]
    if request_status == OverseerrRequestStatus.PENDING:
        return RequestStatus.PENDING
    if media_status == OverseerrMediaStatus.PROCESSING:
        return RequestStatus.PROCESSING
    return RequestStatus.APPROVED


def status_of(answer: OverseerrRequest, seasons: Sequence[int] | None = None) -> RequestStatus:
    """A request's status from Overseerr's answer. For a show, the seasons asked for decide
    availability, not the show as a whole."""
    media = answer.media
    media_status = media.status if media else None
    wanted = set(seasons or [season.season_number for season in answer.seasons])
    if media is not None and wanted and media.seasons:
        media_status = _seasons_status(wanted, media)
    return status_from_overseerr(answer.status, media_status)


def _seasons_status(wanted: set[int], media: MediaInfo) -> int | None:
    available = {
        season.season_number
        for season in media.seasons
        if season.status == OverseerrMediaStatus.AVAILABLE
    }
    if wanted <= available:
        return OverseerrMediaStatus.AVAILABLE
    if wanted & available:
        return OverseerrMediaStatus.PARTIALLY_AVAILABLE
    in_progress = {OverseerrMediaStatus.PENDING, OverseerrMediaStatus.PROCESSING}
    return media.status if media.status in in_progress else None


def is_stale_move(current: RequestStatus, new: RequestStatus) -> bool:
    """News older than what we know (a late webhook) never moves a request backwards."""
    if current not in _PROGRESS or new not in _PROGRESS:
        return False
    return _PROGRESS[new] < _PROGRESS[current]


@dataclass(frozen=True, slots=True)
class RequestView:
    request: MediaRequest
    requester: User


class RequestService:
    def __init__(
        self,
        session: AsyncSession,
        overseerr: OverseerrClient | None,
        publisher: RequestEventPublisher,
        notifications: NotificationService,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = session
        self._notifications = notifications
        self._requests = RequestRepository(session)
        self._overseerr = overseerr
        self._publisher = publisher
        self._audit = AuditService(session)
        self._now = clock

    @property
    def overseerr(self) -> OverseerrClient:
        if self._overseerr is None:
            raise OverseerrNotConfiguredError()
        return self._overseerr

    # ------------------------------------------------------------------ requests of a user

    async def create(self, user: User, data: MediaRequestCreate) -> MediaRequest:
        """Record the request and, for users with an Overseerr account, make it there as
        theirs. Requests of users without one wait here for an admin, who sends them on."""
        if await self._requests.open_request(user.id, data.media_type, data.tmdb_id):
            raise AlreadyRequestedError()
        details = await fetch_title(self.overseerr, data.media_type, data.tmdb_id)
        _check_requestable(details, data.seasons)
        overseerr_user = await self._overseerr_user_for(user)
        request = MediaRequest(
            user_id=user.id,
            media_type=data.media_type,
            tmdb_id=data.tmdb_id,
            title=_title(details),
            poster_path=details.poster_path,
            seasons=data.seasons,
            status=RequestStatus.PENDING,
            overseerr_user_id=overseerr_user.id if overseerr_user else None,
            status_changed_at=self._now(),
        )
        await self._claim(request)
        if overseerr_user is not None:
            made = await self._submit(request, details.media_info, as_user=overseerr_user.id)
            self._link(request, made)
        self._record(request, None, request.status, ChangeSource.USER, actor_id=user.id)
        if data.comment:
            self._requests.add_comment(
                RequestComment(request_id=request.id, author_id=user.id, body=data.comment)
            )
        await self._db.flush()
        return request

    def _link(self, request: MediaRequest, made: OverseerrRequest) -> None:
        request.overseerr_request_id = made.id
        request.status = status_of(made, request.seasons)

    async def _claim(self, request: MediaRequest) -> None:
        """Insert the row now: the unique index on open requests settles a race of two
        identical POSTs before anything is sent to Overseerr."""
        try:
            async with self._db.begin_nested():
                await self._requests.add(request)
        except IntegrityError as exc:
            raise AlreadyRequestedError() from exc

    async def _submit(
        self, request: MediaRequest, media_info: MediaInfo | None, *, as_user: int | None
    ) -> OverseerrRequest:
        try:
            return await self.overseerr.create_request(
                media_type=request.media_type.value,
                tmdb_id=request.tmdb_id,
                seasons=request.seasons,
                as_user=as_user,
            )
        except OverseerrRejectedError:
            # Someone asked Overseerr for this title already: follow their request.
            existing = _open_overseerr_request(media_info)
            if existing is None:
                raise
            logger.info("requests.joined_existing", overseerr_request_id=existing)
            return await self.overseerr.request(existing)

    async def _overseerr_user_for(self, user: User) -> OverseerrUser | None:
        """The Overseerr account of this user, by Plex id, else by email."""
        users = await self.overseerr.users()
        if user.plex_id:
            for candidate in users:
                if candidate.plex_id is not None and str(candidate.plex_id) == user.plex_id:
                    return candidate
        if user.email:
            for candidate in users:
                if candidate.email and candidate.email.lower() == user.email.lower():
                    return candidate
        return None

    async def page(
        self, filters: RequestFilter, *, offset: int, limit: int
    ) -> tuple[list[RequestView], Total]:
        rows, total = await self._requests.page(filters, offset=offset, limit=limit)
        return [RequestView(request, requester) for request, requester in rows], total

    async def visible(self, principal: Principal, request_id: uuid.UUID) -> RequestView:
        """The request, when it is the caller's own or the caller is an admin."""
        request = await self._requests.get(request_id)
        if request is None or (request.user_id != principal.user.id and not principal.is_admin):
            raise NotFoundError("No such request.")
        requester = await self._requests.user(request.user_id)
        if requester is None:
            raise NotFoundError("No such request.")
        return RequestView(request, requester)

    async def history(self, request_id: uuid.UUID) -> Sequence[RequestStatusChange]:
        return await self._requests.history(request_id)

    async def count_by_status(
        self, *, user_id: uuid.UUID | None = None
    ) -> dict[RequestStatus, int]:
        """Requests per status, of one user or of everyone: what the dashboards show."""
        return await self._requests.count_by_status(user_id=user_id)

    async def withdraw(
        self, principal: Principal, request_id: uuid.UUID, *, client: ClientInfo
    ) -> None:
        """Users withdraw their own pending requests; admins delete any request."""
        view = await self.visible(principal, request_id)
        request = view.request
        if not principal.is_admin and request.status is not RequestStatus.PENDING:
            raise RequestNotPendingError(
                "Only a pending request can be withdrawn; ask an admin to remove this one."
            )
        if request.overseerr_request_id is not None and request.status in OPEN_STATUSES:
            await self._forget_in_overseerr(request.overseerr_request_id)
        self._audit.record(
            AuditAction.REQUEST_DELETED,
            client=client,
            actor_id=principal.user.id,
            target=("media_request", str(request.id)),
            details={"title": request.title, "status": request.status.value},
        )
        await self._requests.delete(request)

    async def _forget_in_overseerr(self, overseerr_request_id: int) -> None:
        shared = await self._requests.matching_notification(
            overseerr_request_id=overseerr_request_id, media=None
        )
        if len(shared) > 1:
            return  # another user's request follows the same Overseerr request
        try:
            await self.overseerr.delete_request(overseerr_request_id)
        except OverseerrNotFoundError:
            logger.info("requests.already_gone_in_overseerr", id=overseerr_request_id)

    # ------------------------------------------------------------------ admin decisions

    async def approve(
        self, principal: Principal, request_id: uuid.UUID, *, client: ClientInfo
    ) -> RequestView:
        return await self._decide(principal, request_id, "approve", reason=None, client=client)

    async def decline(
        self, principal: Principal, request_id: uuid.UUID, reason: str, *, client: ClientInfo
    ) -> RequestView:
        return await self._decide(principal, request_id, "decline", reason=reason, client=client)

    async def _decide(
        self,
        principal: Principal,
        request_id: uuid.UUID,
        decision: Literal["approve", "decline"],
        *,
        reason: str | None,
        client: ClientInfo,
    ) -> RequestView:
        view = await self.visible(principal, request_id)
        request = view.request
        if request.status is not RequestStatus.PENDING:
            raise RequestNotPendingError()
        if decision == "decline":
            if request.overseerr_request_id is not None:
                await self.overseerr.set_request_status(request.overseerr_request_id, "decline")
            request.decline_reason = reason
            status = RequestStatus.DECLINED
        elif request.overseerr_request_id is None:  # held here: send it on, approved
            details = await fetch_title(self.overseerr, request.media_type, request.tmdb_id)
            made = await self._submit(request, details.media_info, as_user=None)
            request.overseerr_request_id = made.id
            status = status_of(made, request.seasons)
        else:
            linked = request.overseerr_request_id
            answer = await self.overseerr.set_request_status(linked, "approve")
            status = status_of(answer, request.seasons)
        if status is RequestStatus.PENDING:  # Overseerr took the decision but kept it pending
            status = RequestStatus.APPROVED
        await self._transition(
            request, status, ChangeSource.ADMIN, actor=principal.user, reason=reason
        )
        action = (
            AuditAction.REQUEST_APPROVED if decision == "approve" else AuditAction.REQUEST_DECLINED
        )
        self._audit.record(
            action,
            client=client,
            actor_id=principal.user.id,
            target=("media_request", str(request.id)),
            details={"title": request.title, **({"reason": reason} if reason else {})},
        )
        await self._db.flush()
        return view

    # ------------------------------------------------------------------ comments

    async def comments(
        self, principal: Principal, request_id: uuid.UUID
    ) -> Sequence[tuple[RequestComment, User | None]]:
        await self.visible(principal, request_id)
        return await self._requests.comments(request_id)

    async def add_comment(
        self, principal: Principal, request_id: uuid.UUID, body: str
    ) -> tuple[RequestComment, User]:
        await self.visible(principal, request_id)
        comment = RequestComment(
            request_id=request_id, author_id=principal.user.id, body=body, created_at=self._now()
        )
        self._requests.add_comment(comment)
        await self._db.flush()
        return comment, principal.user

    # ------------------------------------------------------------------ news from Overseerr

    async def apply_notification(self, payload: WebhookPayload) -> int:
        """Apply an Overseerr webhook; how many requests changed. The same notification
        twice changes nothing the second time."""
        target = notification_target(payload)
        if target is None:
            return 0
        matches = await self._requests.matching_notification(
            overseerr_request_id=target.overseerr_request_id, media=target.media
        )
        changed = 0
        for request in matches:
            if await self._transition(request, target.status, ChangeSource.WEBHOOK, actor=None):
                changed += 1
        return changed

    async def reconcile(self) -> int:
        """Bring open requests in line with Overseerr (heals missed webhooks)."""
        changed = 0
        for request in await self._requests.open_linked():
            if request.overseerr_request_id is None:
                continue
            try:
                answer = await self.overseerr.request(request.overseerr_request_id)
            except OverseerrNotFoundError:
                logger.warning("requests.gone_in_overseerr", request_id=str(request.id))
                continue
            status = status_of(answer, request.seasons)
            if await self._transition(request, status, ChangeSource.RECONCILIATION, actor=None):
                changed += 1
        return changed

    # ------------------------------------------------------------------ plumbing

    async def _transition(
        self,
        request: MediaRequest,
        status: RequestStatus,
        source: ChangeSource,
        *,
        actor: User | None,
        reason: str | None = None,
    ) -> bool:
        if status is request.status or is_stale_move(request.status, status):
            return False
        previous = request.status
        request.status = status
        request.status_changed_at = self._now()
        self._record(
            request, previous, status, source, actor_id=actor.id if actor else None, reason=reason
        )
        updated_by = actor.username if actor else source.value
        publisher, user_id, request_id, title = (
            self._publisher,
            request.user_id,
            request.id,
            request.title,
        )

        async def announce() -> None:
            await publisher.publish_updated(
                user_id=user_id,
                request_id=request_id,
                status=status,
                media_title=title,
                updated_by=updated_by,
            )

        after_commit(self._db, announce)
        await self._notify_requester(request, previous, reason)
        return True

    async def _notify_requester(
        self, request: MediaRequest, previous: RequestStatus, reason: str | None
    ) -> None:
        """A stored notification for the statuses a requester cares about; it joins the
        unit of work that records the change, so it exists exactly when the change does."""
        status = request.status
        if status is RequestStatus.PROCESSING and previous is RequestStatus.PENDING:
            status = RequestStatus.APPROVED  # approved, and Overseerr started at once
        wording = _NOTIFICATION_WORDING.get(status)
        if wording is None:
            return
        severity, title, template = wording
        message = template.format(title=request.title)
        if status is RequestStatus.DECLINED and reason:
            message = f"{message} Reason: {reason}"
        await self._notifications.notify(
            request.user_id,
            kind=NotificationKind.REQUEST_STATUS,
            title=title,
            message=message,
            severity=severity,
            link=f"/requests/{request.id}",
            data={
                "requestId": str(request.id),
                "status": request.status.value,
                "mediaTitle": request.title,
                **({"reason": reason} if reason else {}),
            },
        )

    def _record(
        self,
        request: MediaRequest,
        previous: RequestStatus | None,
        status: RequestStatus,
        source: ChangeSource,
        *,
        actor_id: uuid.UUID | None,
        reason: str | None = None,
    ) -> None:
        self._requests.record_change(
            RequestStatusChange(
                request_id=request.id,
                from_status=previous,
                to_status=status,
                source=source,
                actor_id=actor_id,
                reason=reason,
                created_at=self._now(),
            )
        )


_NOTIFICATION_WORDING: dict[RequestStatus, tuple[Severity, str, str]] = {
    RequestStatus.APPROVED: (Severity.SUCCESS, "Request approved", "{title} was approved."),
    RequestStatus.DECLINED: (Severity.WARNING, "Request declined", "{title} was declined."),
    RequestStatus.AVAILABLE: (
        Severity.SUCCESS,
        "Now available",
        "{title} is now available in Plex.",
    ),
    RequestStatus.PARTIALLY_AVAILABLE: (
        Severity.INFO,
        "Partly available",
        "Part of {title} is now available in Plex.",
    ),
    RequestStatus.FAILED: (Severity.ERROR, "Request failed", "{title} could not be fetched."),
}
"""What the requester is told of a status (pending and processing are not news)."""


def _title(details: MovieDetails | TvDetails) -> str:
    return details.title if isinstance(details, MovieDetails) else details.name


def _check_requestable(details: MovieDetails | TvDetails, seasons: Sequence[int] | None) -> None:
    info = details.media_info
    if isinstance(details, MovieDetails):
        if info is not None and info.status == OverseerrMediaStatus.AVAILABLE:
            raise AlreadyAvailableError()
        return
    known = {season.season_number for season in details.seasons}
    unknown = sorted(set(seasons or ()) - known)
    if unknown:
        raise ValidationError(
            f"This show has no season {', '.join(map(str, unknown))}.",
            details=[{"field": "seasons", "unknown": unknown}],
        )
    wanted = set(seasons or known)
    available = {
        season.season_number
        for season in (info.seasons if info else [])
        if season.status == OverseerrMediaStatus.AVAILABLE
    }
    if wanted and wanted <= available:
        raise AlreadyAvailableError("These seasons are already available in Plex.")


def _open_overseerr_request(info: MediaInfo | None) -> int | None:
    open_states = {OverseerrRequestStatus.PENDING, OverseerrRequestStatus.APPROVED}
    for request in info.requests if info else []:
        if request.status in open_states:
            return request.id
    return None
