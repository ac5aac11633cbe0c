"""A user's request for a film or show, its status history and its comment thread."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from medianest.db.base import Base, Timestamps, UUIDPrimaryKey
from medianest.db.types import UTCDateTime
from medianest.kit.clock import utc_now
from medianest.media_requests.schemas import (
    OPEN_STATUSES,
    ChangeSource,
    MediaType,
    RequestStatus,
)


def _enum(enum: type[MediaType] | type[RequestStatus] | type[ChangeSource], length: int) -> Enum:
    return Enum(
        enum, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


_OPEN_CLAUSE = text(
    "status IN ({})".format(", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES)))
)


class MediaRequest(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "media_requests"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    media_type: Mapped[MediaType] = mapped_column(_enum(MediaType, 10))
    tmdb_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    poster_path: Mapped[str | None] = mapped_column(String(500))
    seasons: Mapped[list[int] | None] = mapped_column(JSON)
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, 30))
    overseerr_request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """Overseerr's request; several users who asked for one title may share it."""
    overseerr_user_id: Mapped[int | None] = mapped_column(Integer)
    """The Overseerr user the request was made for, when one matched this MediaNest user."""
    decline_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    __table_args__ = (
        # The lists' default sort (newest first, `id` breaking ties), read from an index
        # forwards or backwards: everyone's, one status's and one user's requests. Each also
        # serves what filters on its first column alone (a user's cascade, counts by status).
        Index("ix_media_requests_created_at_id", "created_at", "id"),
        Index("ix_media_requests_status_created_at_id", "status", "created_at", "id"),
        Index("ix_media_requests_user_id_created_at_id", "user_id", "created_at", "id"),
        # One open request per user and title, even under concurrent POSTs.
        Index(
            "uq_media_requests_open_per_user",
            "user_id",
            "media_type",
            "tmdb_id",
            unique=True,
            sqlite_where=_OPEN_CLAUSE,
            postgresql_where=_OPEN_CLAUSE,
        ),
    )


class RequestStatusChange(UUIDPrimaryKey, Base):
    __tablename__ = "request_status_changes"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("media_requests.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[RequestStatus | None] = mapped_column(_enum(RequestStatus, 30))
    to_status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, 30))
    source: Mapped[ChangeSource] = mapped_column(_enum(ChangeSource, 20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class RequestComment(UUIDPrimaryKey, Base):
    __tablename__ = "request_comments"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("media_requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
