"""A notification belongs to one user and is read or not."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from medianest.db.base import Base, UUIDPrimaryKey
from medianest.db.types import UTCDateTime
from medianest.kit.clock import utc_now


class Notification(UUIDPrimaryKey, Base):
    __tablename__ = "notifications"
    # A user's list, newest first with `id` breaking ties, read from the index backwards;
    # the unread ones (their list and their count) from an index of those alone.
    __table_args__ = (
        Index("ix_notifications_user_id_created_at_id", "user_id", "created_at", "id"),
        Index(
            "ix_notifications_unread_user_id_created_at_id",
            "user_id",
            "created_at",
            "id",
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    """request_status, download_completed, download_failed, broadcast, service_status."""
    severity: Mapped[str] = mapped_column(String(20), default="info")
    """info, success, warning or error."""
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
