"""One row per check of one service; the history that uptime is computed from."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from medianest.db.base import Base, UUIDPrimaryKey
from medianest.db.types import UTCDateTime
from medianest.kit.clock import utc_now


class ServiceCheck(UUIDPrimaryKey, Base):
    __tablename__ = "service_checks"
    __table_args__ = (
        Index("ix_service_checks_service_checked_at", "service", "checked_at"),
        # Uptime counts checks per service and state over a period from the index alone.
        Index("ix_service_checks_service_status_checked_at", "service", "status", "checked_at"),
    )

    service: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    """up, degraded, down or not_configured."""
    response_ms: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
