"""Queries of media requests, their history and comments."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import UnaryExpression

from medianest.auth.models import User
from medianest.db.paging import Total, matching_rows
from medianest.media_requests.models import MediaRequest, RequestComment, RequestStatusChange
from medianest.media_requests.schemas import (
    OPEN_STATUSES,
    MediaType,
    RequestFilter,
    RequestSort,
    RequestStatus,
)

_ORDER: dict[RequestSort, tuple[UnaryExpression[Any], UnaryExpression[Any]]] = {
    RequestSort.NEWEST: (MediaRequest.created_at.desc(), MediaRequest.id.desc()),
    RequestSort.OLDEST: (MediaRequest.created_at.asc(), MediaRequest.id.asc()),
    RequestSort.RECENTLY_CHANGED: (MediaRequest.status_changed_at.desc(), MediaRequest.id.desc()),
    RequestSort.TITLE: (MediaRequest.title.asc(), MediaRequest.id.asc()),
}
"""Each sort, then `id` in the same direction for ties: the order of an index on both
columns read forwards or backwards (see the model's indexes for the default sort)."""


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, request: MediaRequest) -> MediaRequest:
        self._session.add(request)
        await self._session.flush()
        return request

    async def get(self, request_id: uuid.UUID) -> MediaRequest | None:
        return await self._session.get(MediaRequest, request_id)

    async def get_for_update(self, request_id: uuid.UUID) -> MediaRequest | None:
        return await self._session.scalar(
            select(MediaRequest).where(MediaRequest.id == request_id).with_for_update()
        )

    async def delete(self, request: MediaRequest) -> None:
        await self._session.delete(request)
        await self._session.flush()

    async def open_request(
        self, user_id: uuid.UUID, media_type: MediaType, tmdb_id: int
    ) -> MediaRequest | None:
        return await self._session.scalar(
            select(MediaRequest).where(
                MediaRequest.user_id == user_id,
                MediaRequest.media_type == media_type,
                MediaRequest.tmdb_id == tmdb_id,
                MediaRequest.status.in_(OPEN_STATUSES),
            )
        )

    async def open_for_titles(
        self, titles: Iterable[tuple[MediaType, int]]
    ) -> Sequence[MediaRequest]:
        keys = list(titles)
        if not keys:
            return []
        rows = await self._session.scalars(
            select(MediaRequest).where(
                tuple_(MediaRequest.media_type, MediaRequest.tmdb_id).in_(keys),
                MediaRequest.status.in_(OPEN_STATUSES),
            )
        )
        return rows.all()

    async def open_linked(self) -> Sequence[MediaRequest]:
        """Open requests that Overseerr knows about: what reconciliation checks."""
        rows = await self._session.scalars(
            select(MediaRequest)
            .where(
                MediaRequest.status.in_(OPEN_STATUSES),
                MediaRequest.overseerr_request_id.is_not(None),
            )
            .order_by(MediaRequest.status_changed_at)
        )
        return rows.all()

    async def matching_notification(
        self, *, overseerr_request_id: int | None, media: tuple[MediaType, int] | None
    ) -> Sequence[MediaRequest]:
        """Requests an Overseerr notification is about: its request, and for availability
        news every open request of the same title."""
        conditions = []
        if overseerr_request_id is not None:
            conditions.append(MediaRequest.overseerr_request_id == overseerr_request_id)
        if media is not None:
            conditions.append(
                (MediaRequest.media_type == media[0])
                & (MediaRequest.tmdb_id == media[1])
                & MediaRequest.status.in_(OPEN_STATUSES)
            )
        if not conditions:
            return []
        rows = await self._session.scalars(select(MediaRequest).where(or_(*conditions)))
        return rows.all()

    async def page(
        self, filters: RequestFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[tuple[MediaRequest, User]], Total]:
        conditions: list[ColumnElement[bool]] = []
        if filters.user_id is not None:
            conditions.append(MediaRequest.user_id == filters.user_id)
        if filters.status is not None:
            conditions.append(MediaRequest.status == filters.status)
        if filters.media_type is not None:
            conditions.append(MediaRequest.media_type == filters.media_type)
        rows = await self._session.execute(
            select(MediaRequest, User)
            .join(User, User.id == MediaRequest.user_id)
            .where(*conditions)
            .order_by(*_ORDER[filters.sort])
            .offset(offset)
            .limit(limit)
        )
        page = [(request, user) for request, user in rows]
        total = await matching_rows(
            self._session, MediaRequest, conditions, offset=offset, limit=limit, shown=len(page)
        )
        return page, total

    async def count_by_status(self, *, user_id: uuid.UUID | None) -> dict[RequestStatus, int]:
        """Requests per status (every status, zero when none), of one user or of all."""
        query = select(MediaRequest.status, func.count()).group_by(MediaRequest.status)
        if user_id is not None:
            query = query.where(MediaRequest.user_id == user_id)
        counts = dict.fromkeys(RequestStatus, 0)
        for status, count in await self._session.execute(query):
            counts[RequestStatus(status)] = count
        return counts

    async def history(self, request_id: uuid.UUID) -> Sequence[RequestStatusChange]:
        rows = await self._session.scalars(
            select(RequestStatusChange)
            .where(RequestStatusChange.request_id == request_id)
            .order_by(RequestStatusChange.created_at, RequestStatusChange.id)
        )
        return rows.all()

    def record_change(self, change: RequestStatusChange) -> None:
        self._session.add(change)

    async def comments(self, request_id: uuid.UUID) -> Sequence[tuple[RequestComment, User | None]]:
        rows = await self._session.execute(
            select(RequestComment, User)
            .outerjoin(User, User.id == RequestComment.author_id)
            .where(RequestComment.request_id == request_id)
            .order_by(RequestComment.created_at, RequestComment.id)
        )
        return list(rows)

    def add_comment(self, comment: RequestComment) -> None:
        self._session.add(comment)

    async def user(self, user_id: uuid.UUID) -> User | None:
        return await self._session.get(User, user_id)
