"""Wire shapes of the health endpoints and the doctor report."""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from medianest.kit.schemas import CamelModel, SafeStr


class DependencyStatus(StrEnum):
    UP = "up"
    DOWN = "down"
    NOT_CONFIGURED = "not_configured"
    UNKNOWN = "unknown"


class OverallStatus(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"


class LivenessRead(CamelModel):
    status: str = Field(default="ok", description="Always `ok` when the process answers.")
    version: str
    uptime_seconds: float
    timestamp: datetime


class DependencyHealth(CamelModel):
    status: DependencyStatus
    latency_ms: float | None = Field(default=None, description="Round trip of the check.")
    message: str | None = Field(
        default=None, description="Why it is down, when it is (told to admins only)."
    )
    checked_at: datetime | None = Field(
        default=None,
        description="When the periodic check observed this state; absent when this request "
        "checked it.",
    )


class HealthReport(CamelModel):
    status: OverallStatus = Field(
        description="`healthy`: all up; `degraded`: an optional dependency is down; "
        "`unhealthy`: the database is down."
    )
    version: str
    uptime_seconds: float
    timestamp: datetime
    services: dict[str, DependencyHealth]


class CheckResult(CamelModel):
    name: str
    ok: bool
    detail: str


class EchoRequest(CamelModel):
    message: SafeStr = Field(min_length=1, max_length=1000)
    repeat: int = Field(default=1, ge=1, le=500, description="How many echoes to page through.")


class EchoRead(CamelModel):
    index: int
    message: str
