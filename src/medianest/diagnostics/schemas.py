"""Wire shapes of error reports, performance figures and the development endpoints."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, StrictBool

from medianest.kit.schemas import CamelModel, IsoDateTime, NonBlankStr, SafeStr
from medianest.system.schemas import CheckResult, DependencyHealth

MAX_ERRORS_PER_REPORT = 20


class ErrorSource(StrEnum):
    CLIENT = "client"
    """Sent by the browser app (`POST /errors/report`)."""
    SERVER = "server"
    """An unexpected exception of this server (answered with a 500)."""


class ErrorLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARN = "warn"
    ERROR = "error"
    FATAL = "fatal"


class ClientErrorDetail(CamelModel):
    """The JavaScript error behind a report."""

    message: SafeStr | None = Field(default=None, max_length=2000)
    stack: SafeStr | None = Field(default=None, max_length=30_000)
    code: SafeStr | None = Field(default=None, max_length=100, examples=["NETWORK_ERROR"])
    status_code: int | None = Field(default=None, ge=100, le=599)


class ClientError(CamelModel):
    timestamp: IsoDateTime | None = Field(default=None, description="When the browser saw it.")
    level: ErrorLevel = ErrorLevel.ERROR
    message: NonBlankStr = Field(max_length=2000, examples=["API request failed"])
    error: ClientErrorDetail | None = None
    context: dict[str, Any] = Field(
        default_factory=dict,
        description="Anything that helps: component, props, state. Secrets are masked.",
    )


class ErrorReportCreate(CamelModel):
    """One or more errors the browser app met (seed `004`'s body)."""

    errors: list[ClientError] = Field(min_length=1, max_length=MAX_ERRORS_PER_REPORT)
    timestamp: IsoDateTime | None = None
    user_agent: SafeStr | None = Field(default=None, max_length=500)
    url: SafeStr | None = Field(default=None, max_length=2000, examples=["/search?query=test"])


class ErrorReportAccepted(CamelModel):
    ids: list[uuid.UUID] = Field(description="The stored reports, one per error sent.")


class ErrorReportRead(CamelModel):
    id: uuid.UUID
    source: ErrorSource
    user_id: uuid.UUID | None
    error_code: str | None
    message: str
    stack_trace: str | None
    url: str | None
    user_agent: str | None
    context: dict[str, Any]
    correlation_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ServerErrorInfo:
    """What is known of an unexpected exception when it reaches the error boundary."""

    exception: BaseException
    correlation_id: str
    method: str
    path: str
    route: str
    query: str
    user_agent: str | None


# Performance


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class LatencyFigures(CamelModel):
    count: int
    error_count: int = Field(description="Answers with a 5xx status.")
    error_rate: float = Field(description="error_count / count, 0..1.")
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    avg_ms: float


class RouteFigures(LatencyFigures):
    method: str
    route: str = Field(description="The route template, such as `/api/v1/plex/items/{id}`.")
    client_error_count: int | None = Field(
        default=None, description="Answers with a 4xx status (detailed only)."
    )
    statuses: dict[str, int] | None = Field(
        default=None, description="Answers by status code (detailed only)."
    )


class TrafficTotals(LatencyFigures):
    requests_per_second: float


class PerformanceMetricsRead(CamelModel):
    window_seconds: int
    since: datetime
    totals: TrafficTotals
    routes: list[RouteFigures] = Field(description="Busiest first.")


class MemoryFigures(CamelModel):
    rss_bytes: int
    system_total_bytes: int
    system_used_percent: float


class CpuFigures(CamelModel):
    percent: float = Field(description="This process's CPU use over the measurement, in %.")
    average_percent: float = Field(description="Since the process started, in %.")
    cores: int


class EventLoopFigures(CamelModel):
    lag_ms: float = Field(description="Mean delay of a timer past its due time.")
    max_lag_ms: float
    samples: int


class RequestRateFigures(CamelModel):
    window_seconds: int
    count: int
    requests_per_second: float
    error_count: int
    error_rate: float


class SystemHealthRead(CamelModel):
    status: str = Field(description="`healthy`, or `degraded` when a recommendation is critical.")
    uptime_seconds: float
    memory: MemoryFigures
    cpu: CpuFigures
    event_loop: EventLoopFigures
    requests: RequestRateFigures


class PoolFigures(CamelModel):
    kind: str = Field(description="The pool class, such as `AsyncAdaptedQueuePool`.")
    size: int | None
    checked_out: int | None
    checked_in: int | None
    overflow: int | None
    max_overflow: int | None
    capacity: int | None = Field(description="Connections it may open: size + max overflow.")


class SlowQueryRead(CamelModel):
    sql: str = Field(description="The statement's shape, values replaced by `?`.")
    count: int
    max_ms: float
    avg_ms: float
    last_seen: datetime


class StatementTotals(CamelModel):
    since: datetime
    count: int
    errors: int
    avg_ms: float
    slow_count: int
    slow_threshold_ms: float


class DatabasePerformanceRead(CamelModel):
    dialect: str
    pool: PoolFigures
    statements: StatementTotals
    slow_queries: list[SlowQueryRead] = Field(description="Slowest first.")


class RecommendationKind(StrEnum):
    SLOW_ROUTE = "slow_route"
    HIGH_ERROR_RATE = "high_error_rate"
    SLOW_QUERIES = "slow_queries"
    POOL_SATURATION = "pool_saturation"
    MEMORY = "memory"
    EVENT_LOOP_LAG = "event_loop_lag"


class Recommendation(CamelModel):
    kind: RecommendationKind
    severity: Severity
    message: str
    evidence: dict[str, Any] = Field(description="The figures that triggered it.")


class OptimizeRequest(CamelModel):
    clear_cache: StrictBool = False


class OptimizeRead(CamelModel):
    actions: list[str] = Field(description="What was done, for people.")
    cache_cleared: bool
    cache_entries_removed: int | None


# Development


class HarnessHealthRead(CamelModel):
    status: str = Field(description="`healthy` when the database is up and migrated.")
    version: str
    environment: str
    database: DependencyHealth
    redis: DependencyHealth
    schema_check: CheckResult
    uptime_seconds: float
    timestamp: datetime


class HarnessResetRead(CamelModel):
    tables: list[str] = Field(description="The tables emptied.")
    rows_deleted: int
    cache_entries_removed: int
