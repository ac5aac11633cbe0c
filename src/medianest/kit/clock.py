"""Time helpers: every timestamp MediaNest stores or sends is timezone-aware UTC."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
