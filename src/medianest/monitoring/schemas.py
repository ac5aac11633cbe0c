"""The services MediaNest checks, what a check finds, and the wire shapes of their status."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from medianest.kit.schemas import CamelModel


class ServiceName(StrEnum):
    DATABASE = "database"
    REDIS = "redis"
    PLEX = "plex"
    OVERSEERR = "overseerr"
    QUEUE = "queue"
    DATA_DISK = "data_disk"
    LIBRARY_DISK = "library_disk"
    YTDLP = "ytdlp"


class ServiceState(StrEnum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
    NOT_CONFIGURED = "not_configured"


MAX_MESSAGE_LENGTH = 500
"""The history's `message` column holds this much."""

AVAILABLE_STATES = frozenset({ServiceState.UP, ServiceState.DEGRADED})
"""What counts as available in uptime: a degraded service answers but needs attention."""


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What one check of one service found; stored as a row of its history."""

    service: ServiceName
    status: ServiceState
    message: str | None = None
    response_ms: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A check whose state differs from the check before it."""

    outcome: CheckOutcome
    previous: ServiceState | None
    checked_at: datetime


class ServiceStatusRead(CamelModel):
    name: ServiceName
    status: ServiceState | None = Field(description="Null until the service was first checked.")
    last_checked_at: datetime | None


class Uptime(CamelModel):
    last_24h: float | None = Field(
        alias="24h",
        description="Percent of checks in the last 24 hours that found it up or degraded "
        "(degraded counts as up); null without checks. `not_configured` checks are left out.",
    )
    last_7d: float | None = Field(alias="7d", description="The same over the last 7 days.")


class DashboardServiceRead(ServiceStatusRead):
    response_ms: float | None = Field(description="Round trip of the latest check.")
    uptime: Uptime


class HistoryPoint(CamelModel):
    status: ServiceState
    response_ms: float | None
    checked_at: datetime


class DashboardServiceDetail(DashboardServiceRead):
    history: list[HistoryPoint] = Field(
        description="The latest checks, newest first (`?points=`, at most 500)."
    )


class AdminServiceRead(DashboardServiceRead):
    message: str | None = Field(description="What the latest check found, for people.")
    details: dict[str, Any] = Field(description="Facts of the latest check (versions, bytes...).")


class AdminServicesRead(CamelModel):
    check_interval_seconds: float = Field(description="`SERVICE_CHECK_SECONDS`.")
    services: list[AdminServiceRead]
