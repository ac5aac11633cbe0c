"""A user's download job: what was asked, how far it got, and who holds it right now."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from medianest.db.base import Base, UUIDPrimaryKey
from medianest.db.types import UTCDateTime
from medianest.downloads.schemas import DownloadFormat, DownloadQuality, DownloadStatus
from medianest.kit.clock import utc_now


def _enum(enum: type[DownloadStatus] | type[DownloadQuality] | type[DownloadFormat]) -> Enum:
    return Enum(enum, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class YoutubeDownload(UUIDPrimaryKey, Base):
    __tablename__ = "youtube_downloads"
    __table_args__ = (
        # The list's sort (newest first, `id` breaking ties) for everyone, one status and one
        # user; the first columns alone serve the workers' status lookups and a user's cascade.
        Index("ix_youtube_downloads_created_at_id", "created_at", "id"),
        Index("ix_youtube_downloads_status_created_at_id", "status", "created_at", "id"),
        Index("ix_youtube_downloads_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    quality: Mapped[DownloadQuality] = mapped_column(_enum(DownloadQuality))
    format: Mapped[DownloadFormat] = mapped_column(_enum(DownloadFormat))
    audio_only: Mapped[bool] = mapped_column(Boolean, default=False)
    playlist_items: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[DownloadStatus] = mapped_column(_enum(DownloadStatus))
    title: Mapped[str | None] = mapped_column(String(500))
    playlist_title: Mapped[str | None] = mapped_column(String(500))
    is_playlist: Mapped[bool] = mapped_column(Boolean, default=False)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    speed: Mapped[float | None] = mapped_column(Float)
    eta: Mapped[int | None] = mapped_column(Integer)
    files: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    """The worker running it; only that worker may write progress or finish it."""
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
