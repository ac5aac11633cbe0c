"""One row per audited action; rows are never updated."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from medianest.db.base import Base, UUIDPrimaryKey
from medianest.db.types import UTCDateTime
from medianest.kit.clock import utc_now


class AuditLog(UUIDPrimaryKey, Base):
    __tablename__ = "audit_logs"
    # The log's list, newest first with `id` breaking ties, read from an index backwards:
    # everyone's, one actor's, one action's.
    __table_args__ = (
        Index("ix_audit_logs_created_at_id", "created_at", "id"),
        Index("ix_audit_logs_actor_id_created_at_id", "actor_id", "created_at", "id"),
        Index("ix_audit_logs_action_created_at_id", "action", "created_at", "id"),
    )

    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str | None] = mapped_column(String(50))
    target_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
