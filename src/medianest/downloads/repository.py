"""Queries of download jobs. Every write a worker makes is a compare-and-set on its lease,
so a job never runs twice at once and a worker that lost its lease changes nothing."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.db.paging import Total, matching_rows
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.schemas import DownloadStatus


class DownloadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, download: YoutubeDownload) -> YoutubeDownload:
        self._session.add(download)
        await self._session.flush()
        return download

    async def get(self, download_id: uuid.UUID) -> YoutubeDownload | None:
        return await self._session.get(YoutubeDownload, download_id)

    async def delete(self, download: YoutubeDownload) -> None:
        await self._session.delete(download)

    async def refresh(self, download: YoutubeDownload) -> None:
        await self._session.refresh(download)

    async def page(
        self,
        *,
        user_id: uuid.UUID | None,
        status: DownloadStatus | None,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[YoutubeDownload], Total]:
        """Newest first, `id` (in the same direction) breaking ties: an index read backwards."""
        conditions: list[ColumnElement[bool]] = []
        if user_id is not None:
            conditions.append(YoutubeDownload.user_id == user_id)
        if status is not None:
            conditions.append(YoutubeDownload.status == status)
        rows = await self._session.scalars(
            select(YoutubeDownload)
            .where(*conditions)
            .order_by(YoutubeDownload.created_at.desc(), YoutubeDownload.id.desc())
            .offset(offset)
            .limit(limit)
        )
        page = rows.all()
        total = await matching_rows(
            self._session, YoutubeDownload, conditions, offset=offset, limit=limit, shown=len(page)
        )
        return page, total

    async def count_by_status(self, *, user_id: uuid.UUID | None) -> dict[DownloadStatus, int]:
        """Downloads per status (every status, zero when none), of one user or of all."""
        query = select(YoutubeDownload.status, func.count()).group_by(YoutubeDownload.status)
        if user_id is not None:
            query = query.where(YoutubeDownload.user_id == user_id)
        counts = dict.fromkeys(DownloadStatus, 0)
        for status, count in await self._session.execute(query):
            counts[DownloadStatus(status)] = count
        return counts

    # ------------------------------------------------------------------ for workers

    async def running_count(self, now: datetime) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(YoutubeDownload).where(_holds_lease(now))
        )
        return count or 0

    async def claim(
        self, download_id: uuid.UUID, *, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Take the job when it is queued, or running under a lease that expired."""
        result = await self._session.execute(
            update(YoutubeDownload)
            .where(
                YoutubeDownload.id == download_id,
                YoutubeDownload.cancel_requested.is_(False),
                or_(
                    YoutubeDownload.status == DownloadStatus.QUEUED,
                    and_(
                        YoutubeDownload.status == DownloadStatus.RUNNING,
                        YoutubeDownload.lease_expires_at < now,
                    ),
                ),
            )
            .values(
                status=DownloadStatus.RUNNING,
                lease_owner=owner,
                lease_expires_at=until,
                attempts=YoutubeDownload.attempts + 1,
                started_at=func.coalesce(YoutubeDownload.started_at, now),
                error=None,
            )
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def update_held(self, download_id: uuid.UUID, owner: str, **values: Any) -> bool:
        """Write progress or an outcome, only while `owner` holds the lease."""
        result = await self._session.execute(
            update(YoutubeDownload)
            .where(
                YoutubeDownload.id == download_id,
                YoutubeDownload.lease_owner == owner,
                YoutubeDownload.status == DownloadStatus.RUNNING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def stalled(self, now: datetime) -> Sequence[YoutubeDownload]:
        """Running jobs whose worker stopped renewing the lease (it died)."""
        rows = await self._session.scalars(
            select(YoutubeDownload).where(
                YoutubeDownload.status == DownloadStatus.RUNNING,
                YoutubeDownload.lease_expires_at < now,
            )
        )
        return rows.all()

    async def queued_before(self, moment: datetime) -> Sequence[YoutubeDownload]:
        rows = await self._session.scalars(
            select(YoutubeDownload).where(
                YoutubeDownload.status == DownloadStatus.QUEUED,
                YoutubeDownload.created_at < moment,
            )
        )
        return rows.all()


def _holds_lease(now: datetime) -> Any:
    return and_(
        YoutubeDownload.status == DownloadStatus.RUNNING, YoutubeDownload.lease_expires_at >= now
    )


def _changed(result: Any) -> bool:
    return bool(getattr(result, "rowcount", 0))
