"""Statement timing from SQLAlchemy's cursor events: counts, a latency histogram for
`/metrics`, and the slow statements (normalised, without their values)."""

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from sqlalchemy import event
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from medianest.kit.clock import utc_now

STATEMENT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
MAX_SLOW_STATEMENTS = 200
"""Distinct slow statements remembered; later new ones are only counted."""
MAX_SQL_LENGTH = 1000
_OPERATIONS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK"})
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_STARTED = "medianest_statement_started"

_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w$])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\$\d+|%\(\w+\)s|%s|(?<!:):\w+|\?")
_VALUE_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)")
_SPACE = re.compile(r"\s+")


def normalise_sql(statement: str) -> str:
    """The statement's shape: literals and parameters as `?`, lists of them as `(?, ...)`,
    comments dropped, whitespace collapsed. Never carries a value."""
    text = _COMMENT.sub(" ", statement)
    text = _STRING.sub("?", text)
    text = _PLACEHOLDER.sub("?", text)
    text = _NUMBER.sub("?", text)
    text = _VALUE_LIST.sub("(?, ...)", text)
    text = _SPACE.sub(" ", text).strip()
    return text[:MAX_SQL_LENGTH]


def _operation(statement: str) -> str:
    first = statement.lstrip().split(None, 1)[:1]
    word = first[0].upper() if first else ""
    return word if word in _OPERATIONS else "OTHER"


def _is_transaction_control(statement: str) -> bool:
    """Time spent in BEGIN or COMMIT is waiting for another writer or the disk, not a
    statement an index could speed up: it shows in the histogram, never among slow queries."""
    first = statement.lstrip().split(None, 1)[:1]
    return bool(first) and first[0].upper() in _TRANSACTION_CONTROL


@dataclass(slots=True)
class SlowStatement:
    sql: str
    count: int = 0
    total_seconds: float = 0.0
    max_seconds: float = 0.0
    last_seen: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class StatementFigures:
    """A consistent copy of the counters, for reports."""

    since: datetime
    count: int
    errors: int
    total_seconds: float
    slow_count: int
    slow_threshold_ms: float
    slow: list[SlowStatement]


class StatementMetrics:
    """Times every statement an engine runs. One per process; `attach` it to the engine."""

    def __init__(
        self,
        *,
        slow_ms: float = 200.0,
        registry: CollectorRegistry | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.slow_ms = slow_ms
        self._clock = clock
        self._lock = threading.Lock()
        self._since = utc_now()
        self._count = 0
        self._errors = 0
        self._total_seconds = 0.0
        self._slow_count = 0
        self._slow: dict[str, SlowStatement] = {}
        self._histogram = (
            None
            if registry is None
            else Histogram(
                "medianest_db_statement_duration_seconds",
                "Time each database statement took, by operation.",
                ["operation"],
                buckets=STATEMENT_BUCKETS,
                registry=registry,
            )
        )

    def attach(self, engine: AsyncEngine) -> None:
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._before)
        event.listen(sync_engine, "after_cursor_execute", self._after)
        event.listen(sync_engine, "handle_error", self._failed)

    def snapshot(self) -> StatementFigures:
        with self._lock:
            slow = [
                SlowStatement(
                    sql=item.sql,
                    count=item.count,
                    total_seconds=item.total_seconds,
                    max_seconds=item.max_seconds,
                    last_seen=item.last_seen,
                )
                for item in self._slow.values()
            ]
            return StatementFigures(
                since=self._since,
                count=self._count,
                errors=self._errors,
                total_seconds=self._total_seconds,
                slow_count=self._slow_count,
                slow_threshold_ms=self.slow_ms,
                slow=slow,
            )

    def _before(self, conn: Connection, *_args: Any) -> None:
        conn.info.setdefault(_STARTED, []).append(self._clock())

    def _after(self, conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        started: list[float] = conn.info.get(_STARTED, [])
        if not started:
            return
        self.record(statement, self._clock() - started.pop())

    def _failed(self, context: ExceptionContext) -> None:
        connection = context.connection
        started: list[float] = [] if connection is None else connection.info.get(_STARTED, [])
        if started:
            started.pop()
        with self._lock:
            self._errors += 1

    def record(self, statement: str, seconds: float) -> None:
        if self._histogram is not None:
            self._histogram.labels(_operation(statement)).observe(seconds)
        with self._lock:
            self._count += 1
            self._total_seconds += seconds
        if seconds * 1000 >= self.slow_ms and not _is_transaction_control(statement):
            self._remember_slow(statement, seconds)

    def _remember_slow(self, statement: str, seconds: float) -> None:
        sql = normalise_sql(statement)
        with self._lock:
            self._slow_count += 1
            slow = self._slow.get(sql)
            if slow is None:
                if len(self._slow) >= MAX_SLOW_STATEMENTS:
                    return
                slow = self._slow[sql] = SlowStatement(sql=sql)
            slow.count += 1
            slow.total_seconds += seconds
            slow.max_seconds = max(slow.max_seconds, seconds)
            slow.last_seen = utc_now()
