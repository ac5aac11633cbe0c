"""Observability benchmark: the service status pages over a week of history, the rolling
request window behind `/api/v1/performance/metrics`, and what that window costs in memory.

It starts a real `medianest serve` (production settings, SQLite in a temporary data dir
unless --database-url is given), creates an admin through the public API, and adds
`--history-days` of service checks (one round a minute for the 8 services, ~80k rows for a
week) to its database. Then:

1. Service status: one request at a time, `GET /api/v1/dashboard/status`,
   `GET /api/v1/dashboard/status/plex?points=500` and `GET /api/v1/admin/services`; and,
   in this process against the same database, rounds of the periodic service check (the
   probes, then the recording of their rows, which reads the history).
2. The rolling window (`HttpMetrics.observe` adds each request to `RecentRequests`): in
   this process, nanoseconds per `observe` with and without it, and the time
   `PerformanceService.metrics` takes over a full window (100 routes x 2048 samples); then
   through the server, `GET /api/v1/performance/metrics?timeWindow=24h` after driving
   requests over 20 routes, first a few thousand, then until their windows are full.
3. Memory: the server's RSS before and after filling the window through HTTP.

It prints tables; it asserts nothing. Run from the repository root:

    .venv/bin/python bench/observability.py [--history-days 7] [--requests 30]
"""

import argparse
import asyncio
import contextlib
import gc
import http.client
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import psutil

# `python bench/observability.py` puts only bench/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import common
from bench.common import HOST, Server, fail_with_log, positive_int, say
from medianest import __version__
from medianest.db.engine import read_only_session, unit_of_work
from medianest.db.metrics import StatementMetrics
from medianest.diagnostics.service.performance import PerformanceService
from medianest.kit.clock import utc_now
from medianest.kit.logging import configure_logging
from medianest.monitoring.models import ServiceCheck
from medianest.monitoring.repository import ServiceCheckRepository
from medianest.monitoring.schemas import ServiceName
from medianest.monitoring.service import SERVICE_NAMES, CheckRecorder
from medianest.monitoring.tasks import service_probes
from medianest.runtime.build import build_state, close_state
from medianest.runtime.metrics import SAMPLES_PER_ROUTE, HttpMetrics, RecentRequests
from medianest.runtime.state import AppState
from medianest.settings import load_settings

T = TypeVar("T")

SERVICES = tuple(name.value for name in ServiceName)
STATUS_WEIGHTS = {"up": 0.95, "degraded": 0.03, "down": 0.02}
SEED_CHUNK_ROWS = 5000
WARMUP_REQUESTS = 2
STATUS_PATHS = (
    "/api/v1/dashboard/status",
    "/api/v1/dashboard/status/plex?points=500",
    "/api/v1/admin/services",
)
METRICS_PATH = "/api/v1/performance/metrics?timeWindow=24h"
DETAILED_METRICS_PATH = f"{METRICS_PATH}&detailed=true"
DRIVEN_PATHS = (
    "/health",
    "/api/v1/health",
    "/api/v1/auth/session",
    "/api/v1/auth/me",
    "/api/v1/auth/sessions",
    "/api/v1/auth/api-keys",
    "/api/v1/csrf/token",
    "/api/v1/media/requests",
    "/api/v1/youtube/downloads",
    "/api/v1/admin/users",
    "/api/v1/admin/audit-logs",
    "/api/v1/admin/settings",
    "/api/v1/admin/requests",
    "/api/v1/dashboard/notifications",
    "/api/v1/services/status",
    "/api/v1/errors/recent",
    "/api/v1/performance/database",
    "/api/v1/plex/libraries",
    "/api/v1/youtube/downloads/00000000-0000-0000-0000-000000000000",
    "/bench-no-such-path",
)
"""Cheap GETs, each its own route template (the last one `unmatched`); whatever they answer
(Plex is not configured, the download does not exist), each is one sample of its route."""
DRIVE_CONNECTIONS = 4
WINDOW_ROUTES = 100
WINDOW_METHODS = ("GET", "POST", "PATCH", "DELETE")


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    """What the command line asked for."""

    history_days: int
    requests: int
    drive_requests: int
    observe_calls: int
    check_rounds: int
    database_url: str | None
    redis_url: str | None
    startup_timeout: float


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        description="Time MediaNest's service status pages and rolling request window."
    )
    parser.add_argument(
        "--history-days", type=positive_int, default=7, help="Days of service checks to add."
    )
    parser.add_argument(
        "--requests",
        type=positive_int,
        default=30,
        help="Timed requests of each one-at-a-time series (after 2 not timed).",
    )
    parser.add_argument(
        "--drive-requests",
        type=positive_int,
        default=5000,
        help="Requests driven over the 20 routes before the first performance figures "
        "(then more, until every route's window is full).",
    )
    parser.add_argument(
        "--observe-calls",
        type=positive_int,
        default=200_000,
        help="Calls of each variant of the in-process observe microbenchmark.",
    )
    parser.add_argument(
        "--check-rounds", type=positive_int, default=3, help="Service check rounds to time."
    )
    parser.add_argument("--database-url", help="DATABASE_URL for MediaNest (default: SQLite).")
    parser.add_argument("--redis-url", help="REDIS_URL for MediaNest (default: none).")
    common.add_startup_timeout(parser)
    return common.config_from(Config, parser.parse_args(argv))


def medianest_settings(config: Config) -> dict[str, str]:
    """What this benchmark sets on top of `bench.common.medianest_environment`."""
    return common.load_settings(config.database_url, config.redis_url)


# ---------------------------------------------------------------- figures


def percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return float(ordered[int(rank) - 1])


@dataclass(frozen=True)
class Timings:
    """What one series measured, in milliseconds, ascending; and a note for the table."""

    name: str
    values_ms: list[float]
    note: str = ""

    def row(self) -> list[str]:
        values = self.values_ms
        return [
            self.name,
            f"{len(values)}",
            f"{statistics.median(values):.2f}",
            f"{percentile(values, 95):.2f}",
            f"{values[0]:.2f}",
            f"{values[-1]:.2f}",
            self.note,
        ]


def timings_lines(series: list[Timings]) -> list[str]:
    rows = [["what", "n", "p50 ms", "p95 ms", "min ms", "max ms", ""]]
    rows += [one.row() for one in series]
    return common.format_rows(rows)


@dataclass
class Machine:
    """How busy the machine and the server were over a phase (100% = one core)."""

    server_pid: int
    wall: float = 0.0
    busy: float = 0.0
    server: float = 0.0

    def __post_init__(self) -> None:
        self.wall = time.monotonic()
        self.busy = common.machine_busy_seconds()
        self.server = common.tree_cpu_seconds(self.server_pid)

    def since(self) -> str:
        wall = max(time.monotonic() - self.wall, 1e-9)
        busy = (common.machine_busy_seconds() - self.busy) / wall * 100
        server = (common.tree_cpu_seconds(self.server_pid) - self.server) / wall * 100
        return (
            f"{wall:.1f} s; machine busy {busy:.0f}% of {100 * (os.cpu_count() or 1)}%, "
            f"server {server:.0f}%; load average {load_average()}"
        )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / 2**20


# ---------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection to the server, with the admin's bearer token."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.server = server
        self.headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection(HOST, server.port, timeout=60)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except OSError as exc:
            fail_with_log(self.server, f"did not answer {method} {path}: {exc}")

    def get_ok(self, path: str) -> bytes:
        status, body = self.send("GET", path)
        if status != 200:
            text = body.decode("utf-8", errors="replace")[:2000]
            fail_with_log(self.server, f"answered {status} to GET {path}; body:\n{text}\n")
        return body

    def close(self) -> None:
        self.connection.close()


def create_admin(server: Server) -> str:
    """`POST /api/v1/auth/admin` on the fresh server; the admin's access token."""
    client = Client(server)
    try:
        status, body = client.send("POST", common.ADMIN_PATH, common.admin_body())
    finally:
        client.close()
    if status != 201:
        text = body.decode("utf-8", errors="replace")
        fail_with_log(server, f"answered {status} to POST {common.ADMIN_PATH}; body:\n{text}\n")
    return str(json.loads(body)["data"]["token"])


def time_gets(
    server: Server, token: str, path: str, count: int, name: str | None = None
) -> Timings:
    """`count` GETs one after another on a new keep-alive connection (after a few not
    timed), each from sending to the answer's last byte."""
    client = Client(server, token)
    try:
        for _ in range(WARMUP_REQUESTS):
            client.get_ok(path)
        latencies = []
        size = 0
        for _ in range(count):
            started = time.perf_counter()
            size = len(client.get_ok(path))
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        client.close()
    return Timings(name or f"GET {path}", sorted(latencies), f"{size:,} B")


def time_gets_beside(
    server: Server, token: str, path: str, beside: str, count: int, name: str
) -> Timings:
    """`time_gets` of `path` while another connection asks for `beside` again and again."""
    stopping = threading.Event()

    def keep_asking() -> None:
        client = Client(server, token)
        try:
            while not stopping.is_set():
                client.get_ok(beside)
        finally:
            client.close()

    with ThreadPoolExecutor(1) as pool:
        asking = pool.submit(keep_asking)
        try:
            return time_gets(server, token, path, count, name)
        finally:
            stopping.set()
            asking.result()


def drive(server: Server, token: str, count: int) -> float:
    """Send `count` GETs round-robin over the driven routes on a few connections; seconds."""
    paths = [DRIVEN_PATHS[i % len(DRIVEN_PATHS)] for i in range(count)]
    shares = [paths[i::DRIVE_CONNECTIONS] for i in range(DRIVE_CONNECTIONS)]

    def send_all(share: list[str]) -> None:
        client = Client(server, token)
        try:
            for path in share:
                client.send("GET", path)
        finally:
            client.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(DRIVE_CONNECTIONS) as pool:
        list(pool.map(send_all, shares))
    return time.perf_counter() - started


# ---------------------------------------------------------------- the server's database


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """This process's environment replaced by `env` for a while (MediaNest's settings are
    read from it), so it opens the server's database with the server's settings."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def history_rows(days: int, now: datetime) -> list[dict[str, Any]]:
    """One check a minute of every service for `days` days up to a minute ago, each round
    stamped once (as the recorder does); mostly up, some degraded or down."""
    chooser = random.Random(2026)  # noqa: S311 - made-up history, not secrets
    states, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    messages = {"up": None, "degraded": "answered slowly", "down": "connection refused"}
    rows = []
    for minute in range(days * 24 * 60, 0, -1):
        checked_at = now - timedelta(minutes=minute)
        for service in SERVICES:
            status = chooser.choices(states, weights)[0]
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "service": service,
                    "status": status,
                    "response_ms": None if status == "down" else round(chooser.uniform(1, 80), 2),
                    "message": messages[status],
                    "details": {"version": "1.0.0"} if service in ("plex", "ytdlp") else {},
                    "checked_at": checked_at,
                }
            )
    return rows


async def seed_history(state: AppState, days: int) -> tuple[int, float]:
    """Add the history in chunks of bulk inserts; rows added and seconds taken."""
    rows = history_rows(days, utc_now())
    started = time.perf_counter()
    for first in range(0, len(rows), SEED_CHUNK_ROWS):
        async with unit_of_work(state.sessionmaker) as session:
            await session.execute(insert(ServiceCheck), rows[first : first + SEED_CHUNK_ROWS])
    return len(rows), time.perf_counter() - started


async def time_status_queries(state: AppState, repeats: int) -> list[Timings]:
    """Each query the status pages send (`ServiceCheckRepository`), in a read-only session
    of this process: what of a page's time is the database's."""
    queries: dict[str, Callable[[ServiceCheckRepository], Awaitable[object]]] = {
        "query: latest_per_service()": lambda checks: checks.latest_per_service(SERVICE_NAMES),
        "query: status_counts(7 days, 24 h)": lambda checks: checks.status_counts(
            since=utc_now() - timedelta(days=7), recent_since=utc_now() - timedelta(hours=24)
        ),
        "query: recent('plex', limit=500)": lambda checks: checks.recent("plex", limit=500),
    }
    series = []
    async with read_only_session(state.sessionmaker) as session:
        checks = ServiceCheckRepository(session)
        for name, query in queries.items():
            values = []
            for _ in range(repeats):
                started = time.perf_counter()
                await query(checks)
                values.append((time.perf_counter() - started) * 1000)
            series.append(Timings(name, sorted(values), "in this process"))
    return series


async def time_check_rounds(state: AppState, rounds: int) -> list[Timings]:
    """The periodic job's two halves, as `monitoring.tasks.service_check_job` runs them:
    the probes (side by side), then recording their outcomes (which reads the history)."""
    probe_ms, record_ms = [], []
    for _ in range(rounds):
        probes = service_probes(state)
        started = time.perf_counter()
        outcomes = await probes.check_all()
        probed = time.perf_counter()
        async with unit_of_work(state.sessionmaker) as session:
            await CheckRecorder(session, state.emitter).record(outcomes)
        probe_ms.append((probed - started) * 1000)
        record_ms.append((time.perf_counter() - probed) * 1000)
    return [
        Timings("check round: probes (8 side by side)", sorted(probe_ms), "in this process"),
        Timings("check round: recording 8 rows", sorted(record_ms), "in this process"),
    ]


async def explain_lines(state: AppState) -> list[str]:
    """SQLite's plan of the status pages' queries (nothing on other databases)."""
    if state.engine.dialect.name != "sqlite":
        return []
    # The statements `ServiceCheckRepository` sends, as SQLite receives them.
    queries = {
        "latest_per_service": (
            "SELECT * FROM service_checks WHERE id IN (SELECT id FROM (SELECT id FROM "
            "service_checks WHERE service = 'plex' ORDER BY checked_at DESC LIMIT 1) UNION ALL "
            "SELECT id FROM (SELECT id FROM service_checks WHERE service = 'queue' "
            "ORDER BY checked_at DESC LIMIT 1))"
        ),
        "status_counts": (
            "SELECT service, status, count(*), count(*) FILTER (WHERE checked_at >= "
            "'2000-01-02') FROM service_checks WHERE checked_at >= '2000-01-01' "
            "GROUP BY service, status"
        ),
        "recent": (
            "SELECT * FROM service_checks WHERE service = 'plex' ORDER BY checked_at DESC LIMIT 500"
        ),
    }

    lines = []
    async with state.engine.connect() as connection:
        for name, sql in queries.items():
            result = await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            lines += [f"  {name}: {row[-1]}" for row in result]
    return lines


async def run_with_state(env: dict[str, str], work: Callable[[AppState], Awaitable[T]]) -> T:
    """`work(state)` with the resources of a MediaNest process opened on the server's data."""
    with environment(env):
        settings = load_settings()
    configure_logging(level="error", json_output=False)
    state = build_state(settings)
    try:
        return await work(state)
    finally:
        await close_state(state)


# ---------------------------------------------------------------- in-process window figures


def observe_lines(calls: int) -> list[str]:
    """ns per call of `HttpMetrics.observe`, of its Prometheus half and of the window's add,
    each over `calls` calls on 20 routes; 5 repetitions, each on fresh instruments."""
    arguments = [
        ("GET", f"/api/v1/route-{i % len(DRIVEN_PATHS)}", 200 if i % 50 else 500, 0.001 + i % 7e-3)
        for i in range(calls)
    ]

    def prometheus_only(
        metrics: HttpMetrics, method: str, route: str, status: int, s: float
    ) -> None:
        metrics.requests.labels(method, route, str(status)).inc()
        metrics.latency.labels(method, route).observe(s)

    def window_only(metrics: HttpMetrics, method: str, route: str, status: int, s: float) -> None:
        metrics.recent.add(method, route, status, s)

    def full(metrics: HttpMetrics, method: str, route: str, status: int, s: float) -> None:
        metrics.observe(method=method, route=route, status=status, seconds=s)

    def nothing(_metrics: HttpMetrics, _method: str, _route: str, _status: int, _s: float) -> None:
        return

    variants = {
        "empty call (loop overhead)": nothing,
        "Prometheus counter + histogram": prometheus_only,
        "RecentRequests.add alone": window_only,
        "HttpMetrics.observe (both)": full,
    }
    rows = [["per call", "median ns", "min ns", "max ns"]]
    for name, variant in variants.items():
        figures = []
        for _ in range(5):
            metrics = HttpMetrics()
            gc.collect()
            started = time.perf_counter_ns()
            for method, route, status, seconds in arguments:
                variant(metrics, method, route, status, seconds)
            figures.append((time.perf_counter_ns() - started) / calls)
        rows.append(
            [
                name,
                f"{statistics.median(figures):,.0f}",
                f"{min(figures):,.0f}",
                f"{max(figures):,.0f}",
            ]
        )
    return common.format_rows(rows)


def full_window() -> RecentRequests:
    """A `RecentRequests` holding 2048 samples of each of 100 routes."""
    recent = RecentRequests()
    chooser = random.Random(7)  # noqa: S311 - made-up latencies
    for i in range(WINDOW_ROUTES * SAMPLES_PER_ROUTE):
        route = i % WINDOW_ROUTES
        status = chooser.choice((200, 200, 200, 201, 204, 304, 400, 401, 404, 500))
        recent.add(
            WINDOW_METHODS[route % len(WINDOW_METHODS)],
            f"/api/v1/route-{route}/{{id}}",
            status,
            chooser.lognormvariate(-4, 1),
        )
    return recent


def summary_timings(repeats: int) -> tuple[list[Timings], float]:
    """The performance summary over a full window, in this process; and the window's size
    in MiB as tracemalloc counts it."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    recent = full_window()
    window_mib = (tracemalloc.get_traced_memory()[0] - before) / 2**20
    tracemalloc.stop()
    service = PerformanceService(
        recent=recent,
        statements=StatementMetrics(slow_ms=100.0),
        engine=create_async_engine("sqlite+aiosqlite://"),
        started_at=time.time(),
    )
    day = 24 * 3600

    def timed(name: str, work: Callable[[], object]) -> Timings:
        values = []
        for _ in range(repeats):
            started = time.perf_counter()
            work()
            values.append((time.perf_counter() - started) * 1000)
        return Timings(name, sorted(values), "in this process")

    samples = WINDOW_ROUTES * 2048
    return [
        timed(f"RecentRequests.since(24h), {samples:,} samples", lambda: recent.since(day)),
        timed("PerformanceService.metrics(24h)", lambda: service.metrics(day, detailed=False)),
        timed(
            "PerformanceService.metrics(24h, detailed)",
            lambda: service.metrics(day, detailed=True),
        ),
        timed(
            "  + serialising it to JSON",
            lambda: service.metrics(day, detailed=True).model_dump_json(by_alias=True),
        ),
    ], window_mib


# ---------------------------------------------------------------- main


def header_lines(config: Config) -> list[str]:
    database = "DATABASE_URL given" if config.database_url else "SQLite in a temp data dir"
    redis = "REDIS_URL given" if config.redis_url else "no Redis"
    return [
        "MediaNest observability benchmark",
        f"  python    : {platform.python_version()} ({platform.python_implementation()})",
        f"  cpu count : {os.cpu_count()}; load average at start {load_average()}",
        f"  medianest : {__version__}, MEDIANEST_ENV=production, {database}; {redis}",
    ]


def status_part(config: Config, server: Server, token: str, env: dict[str, str]) -> None:
    say("")
    say(f"1. Service status with {config.history_days} days of history")
    machine = Machine(server.process.pid)
    count, seconds = asyncio.run(
        run_with_state(env, lambda state: seed_history(state, config.history_days))
    )
    say(
        f"   added {count:,} service checks in {seconds:.1f} s "
        f"(bulk inserts of {SEED_CHUNK_ROWS:,})"
    )
    series = [time_gets(server, token, path, config.requests) for path in STATUS_PATHS]
    series += asyncio.run(
        run_with_state(env, lambda state: time_status_queries(state, config.requests))
    )
    series += asyncio.run(
        run_with_state(env, lambda state: time_check_rounds(state, config.check_rounds))
    )
    say("")
    for line in timings_lines(series):
        say(line)
    plans = asyncio.run(run_with_state(env, explain_lines))
    if plans:
        say("")
        say("SQLite's query plans (EXPLAIN QUERY PLAN):")
        for line in plans:
            say(line)
    say(f"   machine over part 1: {machine.since()}")


def window_part(config: Config) -> None:
    say("")
    say(f"2. The rolling request window, in this process ({config.observe_calls:,} calls each)")
    started = time.monotonic()
    for line in observe_lines(config.observe_calls):
        say(line)
    say(f"   ({time.monotonic() - started:.0f} s; load average {load_average()})")
    series, window_mib = summary_timings(max(config.requests // 3, 5))
    say("")
    for line in timings_lines(series):
        say(line)
    say(
        f"   a full window ({WINDOW_ROUTES} routes x 2048 samples) holds {window_mib:.1f} MiB "
        "(tracemalloc)"
    )


def server_window_part(config: Config, server: Server, token: str) -> None:
    say("")
    say("3. Through the server: the window filled over 20 routes, and the server's memory")
    machine = Machine(server.process.pid)
    count = config.requests
    rss = [("before", rss_mib(server.process.pid))]
    series = [time_gets(server, token, METRICS_PATH, count, f"GET {METRICS_PATH} (~0 sent)")]
    sent = 0
    for target in (config.drive_requests, len(DRIVEN_PATHS) * SAMPLES_PER_ROUTE):
        if target <= sent:
            continue
        driven = target - sent
        seconds = drive(server, token, driven)
        say(f"   drove {driven:,} requests in {seconds:.1f} s ({driven / seconds:,.0f}/s)")
        sent = target
        rss.append((f"after {sent:,} requests", rss_mib(server.process.pid)))
        series += [
            time_gets(server, token, METRICS_PATH, count, f"GET {METRICS_PATH} ({sent:,} sent)"),
            time_gets(server, token, DETAILED_METRICS_PATH, count, f"  &detailed=true ({sent:,})"),
        ]
    series += [
        time_gets(server, token, "/health", count, "GET /health, alone"),
        time_gets_beside(
            server, token, "/health", DETAILED_METRICS_PATH, count, "GET /health, beside metrics"
        ),
    ]
    say("")
    for line in timings_lines(series):
        say(line)
    say("")
    rows = [["server RSS (process tree)", "MiB", "vs before"]]
    rows += [[name, f"{mib:.1f}", f"{mib - rss[0][1]:+.1f}"] for name, mib in rss]
    for line in common.format_rows(rows):
        say(line)
    say(f"   machine over part 3: {machine.since()}")


def run_benchmark(config: Config) -> None:
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-obs-")))
        settings = medianest_settings(config)
        server = common.start_medianest(workdir, settings, name="medianest server")
        stack.callback(common.stop, server)
        common.wait_until_ready(server, "/health", config.startup_timeout)
        env = common.medianest_environment(workdir / "medianest-data", settings)
        token = create_admin(server)
        status_part(config, server, token, env)
        window_part(config)
        server_window_part(config, server, token)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    signal.signal(signal.SIGTERM, common.exit_on_sigterm)
    for line in header_lines(config):
        say(line)
    try:
        run_benchmark(config)
    except KeyboardInterrupt:
        say("observability.py: interrupted; server stopped", sys.stderr)
        return 130
    except (RuntimeError, subprocess.SubprocessError) as exc:
        say(f"observability.py: {exc}", sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
