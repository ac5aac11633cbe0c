"""List benchmark: how long a page of a list takes through the HTTP API when the tables hold
a million rows (or `--rows`), on SQLite and on PostgreSQL.

Method (bench/README.md, "List benchmark", says the same at more length):

1. Per backend (`--backends`, default both): a new database (a SQLite file in the server's
   temporary data dir; a scratch PostgreSQL database made on `--postgres-url` and dropped at
   the end), and a real `medianest serve` on it (production settings, rate limits that never
   trip, `LOG_LEVEL=warning`), started from `--before DIR`'s `src/` when given, else from
   this checkout. It migrates the database as deployed.
2. Through the public API: the admin (`POST /api/v1/auth/admin`) and one user
   (`POST /api/v1/admin/users`, then `POST /api/v1/auth/login`), whose tokens the timed
   requests send.
3. Straight into the database, from this process: `--users` - 1 more users, then `--rows`
   media requests, `--rows` downloads, `--rows` audit log rows and `--rows` notifications,
   each row owned by one of the `--users` users in turn (the measured user owns 1/`--users`
   of every table), two rows to each `created_at` (ties the sort must break the same way on
   every page), statuses mixed (requests 10% pending, downloads 10% failed; no download is
   queued or running, so no worker picks one up). PostgreSQL gets `VACUUM ANALYZE`, as
   autovacuum would after such a load; SQLite nothing, as MediaNest runs no `ANALYZE`.
4. With `--before DIR`: that installation (its data dir with the secrets and, for SQLite,
   the database file; for PostgreSQL a `CREATE DATABASE ... TEMPLATE` copy) is copied, and
   this checkout's server started on the copy. Its start-up, timed to the first 200 of
   `/health`, includes migrating the filled tables (building the new indexes). The first
   server starts again on the original, and both run side by side, idle but when timed.
5. Timed, one request at a time on one kept-alive connection, from sending to the answer's
   last byte, every answer checked to be 200, in 3 rounds that alternate the servers (each
   round: every target of one server, then of the other; `--requests`/3 timed requests per
   target after 2 not timed), so a busier minute of the shared machine weighs on both. The
   targets are in `TARGETS`: the admin's page 1, a deep page (`--deep-page`), a status
   filter and a user's own list, of requests and of downloads; the audit log's page 1 and
   deep page; a user's notifications, all and unread. It prints p50 and p95 (nearest
   rank) per target and server, the ratio of the p95s, and each server's resident memory
   after them.
6. The plans of every target's statements, as this checkout's repositories send them:
   PostgreSQL's `EXPLAIN (ANALYZE, COSTS OFF)`, SQLite's `EXPLAIN QUERY PLAN`.

It asserts nothing. From the repository root:

    .venv/bin/python bench/lists.py --rows 100000 [--backends sqlite] [--before /tmp/base]

where /tmp/base holds the starting commit's `src/` (`git archive <commit> src | tar -x -C
/tmp/base`).
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, cast

import asyncpg
import psutil

# `python bench/lists.py` puts only bench/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sqlalchemy import Table, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bench import common
from bench.common import HOST, Server, fail_with_log, positive_int, say
from medianest.audit.models import AuditLog
from medianest.audit.repository import AuditRepository
from medianest.audit.schemas import AuditLogFilter
from medianest.auth.models import User
from medianest.auth.schemas import Role
from medianest.db.base import Base
from medianest.db.engine import create_engine as create_async_engine
from medianest.db.engine import create_sessionmaker, unit_of_work
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.repository import DownloadRepository
from medianest.downloads.schemas import DownloadFormat, DownloadQuality, DownloadStatus
from medianest.media_requests.models import MediaRequest
from medianest.media_requests.repository import RequestRepository
from medianest.media_requests.schemas import MediaType, RequestFilter, RequestStatus
from medianest.notifications.models import Notification
from medianest.notifications.repository import NotificationRepository

USER_EMAIL = "lists-user@example.com"
USER_PASSWORD = "Amber-Kestrel-Compass-2026!"  # noqa: S105 - a throwaway server's user
WARMUP_REQUESTS = 2
ROUNDS = 3
"""Rounds of timing, alternating the servers (before, after, before, ...)."""
SEED_CHUNK_ROWS = 20_000
HISTORY = timedelta(days=365)
"""How far back the seeded rows' `created_at` go."""
REQUEST_STATUSES = (
    [RequestStatus.AVAILABLE] * 55
    + [RequestStatus.PENDING] * 10
    + [RequestStatus.APPROVED] * 10
    + [RequestStatus.PROCESSING] * 5
    + [RequestStatus.PARTIALLY_AVAILABLE] * 5
    + [RequestStatus.DECLINED] * 10
    + [RequestStatus.FAILED] * 5
)
DOWNLOAD_STATUSES = (
    [DownloadStatus.COMPLETED] * 80 + [DownloadStatus.FAILED] * 10 + [DownloadStatus.CANCELLED] * 10
)
"""No queued or running download: nothing for a worker to pick up."""


PAGE_SIZE = 20
"""The lists' default `limit`, which the targets keep."""


@dataclass(frozen=True)
class Query:
    """What a target's page asks its repository (for the plans): which list, filtered how."""

    table: str
    deep: bool = False
    status: str | None = None
    own: bool = False


@dataclass(frozen=True)
class Target:
    """One timed GET: `path` (`{deep}` is replaced by `--deep-page`), sent as `who`."""

    name: str
    path: str
    who: str  # "admin" or "user"
    query: Query


TARGETS = (
    Target("requests: admin, page 1", "/api/v1/admin/requests", "admin", Query("media_requests")),
    Target(
        "requests: admin, deep page",
        "/api/v1/admin/requests?page={deep}",
        "admin",
        Query("media_requests", deep=True),
    ),
    Target(
        "requests: admin, status=pending",
        "/api/v1/admin/requests?status=pending",
        "admin",
        Query("media_requests", status="pending"),
    ),
    Target(
        "requests: user's own",
        "/api/v1/media/requests",
        "user",
        Query("media_requests", own=True),
    ),
    Target(
        "downloads: admin, page 1",
        "/api/v1/youtube/downloads",
        "admin",
        Query("youtube_downloads"),
    ),
    Target(
        "downloads: admin, deep page",
        "/api/v1/youtube/downloads?page={deep}",
        "admin",
        Query("youtube_downloads", deep=True),
    ),
    Target(
        "downloads: admin, status=failed",
        "/api/v1/youtube/downloads?status=failed",
        "admin",
        Query("youtube_downloads", status="failed"),
    ),
    Target(
        "downloads: user's own",
        "/api/v1/youtube/downloads",
        "user",
        Query("youtube_downloads", own=True),
    ),
    Target("audit log: page 1", "/api/v1/admin/audit-logs", "admin", Query("audit_logs")),
    Target(
        "audit log: deep page",
        "/api/v1/admin/audit-logs?page={deep}",
        "admin",
        Query("audit_logs", deep=True),
    ),
    Target(
        "notifications: user's own",
        "/api/v1/dashboard/notifications",
        "user",
        Query("notifications", own=True),
    ),
    Target(
        "notifications: user's own, unread",
        "/api/v1/dashboard/notifications?unread=true",
        "user",
        Query("notifications", status="unread", own=True),
    ),
)


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    rows: int
    users: int
    backends: tuple[str, ...]
    postgres_url: str
    requests: int
    deep_page: int
    before: Path | None
    startup_timeout: float


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(description="Time MediaNest's lists over many rows.")
    parser.add_argument(
        "--rows", type=positive_int, default=1_000_000, help="Rows of each table to add."
    )
    parser.add_argument(
        "--users", type=positive_int, default=100, help="Users the rows are spread over."
    )
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        help="Comma-separated: sqlite, postgresql (default both).",
    )
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="A PostgreSQL server's URL with the right to create databases; the run makes "
        "its own scratch database there and drops it at the end.",
    )
    parser.add_argument(
        "--requests", type=positive_int, default=30, help="Timed requests per target."
    )
    parser.add_argument(
        "--deep-page", type=positive_int, default=50, help="The page number of the deep pages."
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="A source tree (with src/medianest) to time first, then this checkout on the "
        "same data.",
    )
    common.add_startup_timeout(parser)
    # A start-up that migrates a million rows per table builds indexes for minutes.
    parser.set_defaults(startup_timeout=1800.0)
    args = parser.parse_args(argv)
    backends = tuple(name.strip() for name in args.backends.split(",") if name.strip())
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown or not backends:
        parser.error(f"--backends: unknown {sorted(unknown)}")
    if args.before is not None and not (args.before / "src" / "medianest").is_dir():
        parser.error(f"--before: no src/medianest in {args.before}")
    return common.config_from(Config, args, backends=backends)


# ---------------------------------------------------------------- figures


def percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return float(ordered[int(rank) - 1])


@dataclass
class Series:
    """One target's latencies (ms, ascending) and the size of its answer."""

    target: Target
    values_ms: list[float]
    size: int

    @property
    def p50(self) -> float:
        return percentile(self.values_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.values_ms, 95)


@dataclass
class Run:
    """What one server measured."""

    label: str
    series: list[Series] = field(default_factory=list)
    startup_s: float = 0.0
    rss_mib: float = 0.0
    plans: list[str] = field(default_factory=list)


def rss_mib(pid: int) -> float:
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / 2**20


# ---------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection to the server, with a bearer token."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.server = server
        self.headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection(HOST, server.port, timeout=300)

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

    def expect(
        self, method: str, path: str, status: int, body: dict[str, Any] | None = None
    ) -> Any:
        got, answer = self.send(method, path, body)
        if got != status:
            text = answer.decode("utf-8", errors="replace")[:2000]
            fail_with_log(self.server, f"answered {got} to {method} {path}; body:\n{text}\n")
        return json.loads(answer) if answer else None

    def close(self) -> None:
        self.connection.close()


@dataclass(frozen=True)
class Tokens:
    admin: str
    user: str
    user_id: uuid.UUID


def create_accounts(server: Server) -> Tokens:
    """The admin and one user, through the public API, as an installation gets them."""
    client = Client(server)
    try:
        admin = client.expect("POST", common.ADMIN_PATH, 201, common.admin_body())["data"]
    finally:
        client.close()
    client = Client(server, admin["token"])
    try:
        body = {"email": USER_EMAIL, "name": "List User", "password": USER_PASSWORD}
        user = client.expect("POST", "/api/v1/admin/users", 201, body)["data"]
        login = {"email": USER_EMAIL, "password": USER_PASSWORD}
        signed_in = client.expect("POST", "/api/v1/auth/login", 200, login)["data"]
    finally:
        client.close()
    return Tokens(admin["token"], signed_in["token"], uuid.UUID(user["id"]))


def time_target(server: Server, token: str, target: Target, config: Config, count: int) -> Series:
    """`count` GETs of the target one after another on a new keep-alive connection (after
    `WARMUP_REQUESTS` not timed), each from sending to the answer's last byte."""
    path = target.path.replace("{deep}", str(config.deep_page))
    client = Client(server, token)
    try:
        for _ in range(WARMUP_REQUESTS):
            client.expect("GET", path, 200)
        latencies, size = [], 0
        for _ in range(count):
            started = time.perf_counter()
            status, body = client.send("GET", path)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                fail_with_log(server, f"answered {status} to GET {path}")
            size = len(body)
    finally:
        client.close()
    return Series(target, sorted(latencies), size)


def time_targets(runs: list["Running"], tokens: Tokens, config: Config) -> None:
    """Every target on every server, in `ROUNDS` rounds that alternate the servers (each
    round a share of `--requests`), so that a busier minute of the machine weighs on both."""
    per_round = -(-config.requests // ROUNDS)
    for round_number in range(1, ROUNDS + 1):
        for running in runs:
            for index, target in enumerate(TARGETS):
                token = tokens.admin if target.who == "admin" else tokens.user
                series = time_target(running.server, token, target, config, per_round)
                if round_number == 1:
                    running.run.series.append(series)
                else:
                    kept = running.run.series[index]
                    kept.values_ms = sorted(kept.values_ms + series.values_ms)
            say(f"  round {round_number}/{ROUNDS}: {running.run.label} done")
    for running in runs:
        running.run.rss_mib = rss_mib(running.server.process.pid)
        for series in running.run.series:
            say(
                f"  {running.run.label}, {series.target.name}: "
                f"p50 {series.p50:.1f} ms, p95 {series.p95:.1f} ms"
            )


# ---------------------------------------------------------------- seeding


def row_times(count: int, now: datetime) -> Iterator[datetime]:
    """Oldest first over `HISTORY`, two rows to each moment."""
    pairs = max(1, (count + 1) // 2)
    step = HISTORY / pairs
    start = now - HISTORY
    for index in range(count):
        yield start + step * (index // 2)


def user_rows(count: int, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "email": f"seeded-{index}@example.com",
            "username": f"seeded-{index}",
            "name": f"Seeded User {index}",
            "role": Role.USER,
            "is_active": True,
            "created_at": now - HISTORY,
            "updated_at": now - HISTORY,
        }
        for index in range(count)
    ]


def request_rows(first: int, moments: list[datetime], owners: list[uuid.UUID]) -> list[Any]:
    rows = []
    for offset, moment in enumerate(moments):
        index = first + offset
        rows.append(
            {
                "id": uuid.uuid4(),
                "user_id": owners[index % len(owners)],
                "media_type": MediaType.MOVIE if index % 3 else MediaType.TV,
                "tmdb_id": index + 1,  # unique: never two open requests for one title
                "title": f"Seeded Title {index}",
                "seasons": None if index % 3 else [1],
                "status": REQUEST_STATUSES[index % len(REQUEST_STATUSES)],
                "status_changed_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
        )
    return rows


def download_rows(first: int, moments: list[datetime], owners: list[uuid.UUID]) -> list[Any]:
    quality, container = next(iter(DownloadQuality)), next(iter(DownloadFormat))
    rows = []
    for offset, moment in enumerate(moments):
        index = first + offset
        status = DOWNLOAD_STATUSES[index % len(DOWNLOAD_STATUSES)]
        rows.append(
            {
                "id": uuid.uuid4(),
                "user_id": owners[index % len(owners)],
                "url": f"https://www.youtube.com/watch?v=seed{index:07d}",
                "quality": quality,
                "format": container,
                "audio_only": False,
                "status": status,
                "title": f"Seeded Video {index}",
                "is_playlist": False,
                "progress": 100.0 if status is DownloadStatus.COMPLETED else 0.0,
                "files": [],
                "attempts": 1,
                "cancel_requested": False,
                "created_at": moment,
                "finished_at": moment,
            }
        )
    return rows


def audit_rows(first: int, moments: list[datetime], owners: list[uuid.UUID]) -> list[Any]:
    return [
        {
            "id": uuid.uuid4(),
            "actor_id": owners[(first + offset) % len(owners)],
            "action": "auth.sign_in",
            "target_type": "session",
            "target_id": str(first + offset),
            "details": {},
            "ip_address": "127.0.0.1",
            "user_agent": "bench/lists.py",
            "created_at": moment,
        }
        for offset, moment in enumerate(moments)
    ]


def notification_rows(first: int, moments: list[datetime], owners: list[uuid.UUID]) -> list[Any]:
    return [
        {
            "id": uuid.uuid4(),
            "user_id": owners[(first + offset) % len(owners)],
            "kind": "broadcast",
            "severity": "info",
            "title": f"Seeded notice {first + offset}",
            "message": "A message from the admins.",
            "data": {},
            "read_at": moment if (first + offset) % 2 else None,
            "created_at": moment,
        }
        for offset, moment in enumerate(moments)
    ]


def _table(model: type[Base]) -> Table:
    """A model's table (SQLAlchemy types `__table__` as any FROM clause)."""
    return cast(Table, model.__table__)


SEEDED = (
    (_table(MediaRequest), request_rows),
    (_table(YoutubeDownload), download_rows),
    (_table(AuditLog), audit_rows),
    (_table(Notification), notification_rows),
)


class Seeder:
    """Bulk inserts into the server's database: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = make_url(url).get_backend_name() == "postgresql"

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            asyncio.run(self._copy(table, rows))
            return
        engine = create_engine(self.url)
        try:
            with engine.begin() as connection:
                connection.execute(insert(table), rows)
        finally:
            engine.dispose()

    async def _copy(self, table: Table, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        json_columns = {name for name in columns if table.c[name].type.__class__.__name__ == "JSON"}

        def value(name: str, item: Any) -> Any:
            if isinstance(item, Enum):
                return item.value
            if name in json_columns:
                return None if item is None else json.dumps(item)
            return item

        records = [tuple(value(name, row[name]) for name in columns) for row in rows]
        connection = await asyncpg.connect(self._asyncpg_url())
        try:
            await connection.copy_records_to_table(table.name, records=records, columns=columns)
        finally:
            await connection.close()

    def _asyncpg_url(self) -> str:
        return make_url(self.url).set(drivername="postgresql").render_as_string(False)

    def finish(self) -> None:
        """What a running installation's database does by itself after a bulk load."""
        if self.postgres:
            asyncio.run(self._vacuum())

    async def _vacuum(self) -> None:
        connection = await asyncpg.connect(self._asyncpg_url())
        try:
            for table, _rows in SEEDED:
                await connection.execute(f"VACUUM ANALYZE {table.name}")
            await connection.execute("VACUUM ANALYZE users")
        finally:
            await connection.close()


def seed(url: str, config: Config, user_id: uuid.UUID) -> float:
    """Add the users and the rows; seconds taken."""
    started = time.perf_counter()
    seeder = Seeder(url)
    now = datetime.now(UTC)
    extra = user_rows(config.users - 1, now)
    if extra:
        seeder.insert(_table(User), extra)
    owners = [user_id, *(row["id"] for row in extra)]
    for table, make_rows in SEEDED:
        moments = iter(row_times(config.rows, now))
        for first in range(0, config.rows, SEED_CHUNK_ROWS):
            size = min(SEED_CHUNK_ROWS, config.rows - first)
            chunk = [next(moments) for _ in range(size)]
            seeder.insert(table, make_rows(first, chunk, owners))
        elapsed = time.perf_counter() - started
        say(f"  seeded {config.rows:,} rows into {table.name} ({elapsed:.0f} s)")
    seeder.finish()
    return time.perf_counter() - started


# ---------------------------------------------------------------- plans


async def run_page(session: AsyncSession, query: Query, user_id: uuid.UUID, deep_page: int) -> None:
    """The repository call behind a target's page, as the server makes it."""
    offset = (deep_page - 1) * PAGE_SIZE if query.deep else 0
    owner = user_id if query.own else None
    if query.table == "media_requests":
        filters = RequestFilter(
            status=RequestStatus(query.status) if query.status else None, user_id=owner
        )
        await RequestRepository(session).page(filters, offset=offset, limit=PAGE_SIZE)
    elif query.table == "youtube_downloads":
        status = DownloadStatus(query.status) if query.status else None
        await DownloadRepository(session).page(
            user_id=owner, status=status, offset=offset, limit=PAGE_SIZE
        )
    elif query.table == "audit_logs":
        await AuditRepository(session).page(AuditLogFilter(), offset=offset, limit=PAGE_SIZE)
    else:
        notifications = NotificationRepository(session)
        await notifications.page(
            user_id, unread_only=query.status == "unread", offset=offset, limit=PAGE_SIZE
        )
        await notifications.unread_count(user_id)


async def plan_lines(url: str, user_id: uuid.UUID, config: Config) -> list[str]:
    """Each target's statements (the page, then the count when one runs), as this checkout's
    repositories send them, with their plans: PostgreSQL's `EXPLAIN ANALYZE` (the plan it
    ran and how long it took), SQLite's `EXPLAIN QUERY PLAN`."""
    engine = create_async_engine(async_driver_url(url))
    sessions = create_sessionmaker(engine)
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "EXPLAIN")):
            caught.append((statement, parameters))

    lines: list[str] = []
    postgres = engine.dialect.name == "postgresql"
    try:
        for target in TARGETS:
            caught.clear()
            event.listen(engine.sync_engine, "before_cursor_execute", catch)
            try:
                async with unit_of_work(sessions, reads_only=True) as session:
                    await run_page(session, target.query, user_id, config.deep_page)
            finally:
                event.remove(engine.sync_engine, "before_cursor_execute", catch)
            statements = list(caught)
            lines.append(f"### {target.name}")
            for index, (statement, parameters) in enumerate(statements):
                kind = "page" if index == 0 else "then"
                lines.append(f"{kind}: " + " ".join(statement.split())[:160])
                if statement.lstrip().upper().startswith("EXPLAIN"):
                    continue  # the total's estimate: the plan is the answer
                explain = "EXPLAIN (ANALYZE, COSTS OFF)" if postgres else "EXPLAIN QUERY PLAN"
                async with engine.connect() as connection:
                    rows = await connection.exec_driver_sql(f"{explain} {statement}", parameters)
                    plan = [str(row[-1]) for row in rows]
                lines += [f"    {line}" for line in plan if not line.startswith("Planning")]
    finally:
        await engine.dispose()
    return lines


def async_driver_url(url: str) -> str:
    parsed = make_url(url)
    driver = "postgresql+asyncpg" if parsed.get_backend_name() == "postgresql" else None
    return parsed.set(drivername=driver or "sqlite+aiosqlite").render_as_string(False)


# ---------------------------------------------------------------- servers and databases


@contextlib.contextmanager
def scratch_postgres(admin_url: str, template: str | None = None) -> Iterator[str]:
    """A new database on the server of `admin_url` (a copy of `template`'s when given),
    dropped afterwards: its URL."""
    name = f"medianest_bench_lists_{uuid.uuid4().hex[:8]}"
    admin = make_url(admin_url).set(drivername="postgresql").render_as_string(False)

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    asyncio.run(run(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(False)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def start_server(
    workdir: Path, settings: dict[str, str], source: Path | None, name: str, config: Config
) -> tuple[Server, float]:
    """`medianest serve` from `source`'s src/ (else this checkout) on the data dir
    `workdir/medianest-data`; it and the seconds until its first 200 on `/health`."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(settings)
    if source is not None:
        env["PYTHONPATH"] = str(source.resolve() / "src")
    started = time.perf_counter()
    server = common.start_medianest(workdir, env, stem="medianest", name=name)
    common.wait_until_ready(server, "/health", config.startup_timeout)
    return server, time.perf_counter() - started


def sqlite_url(workdir: Path) -> str:
    return f"sqlite:///{workdir / 'medianest-data' / 'medianest.db'}"


@dataclass
class Running:
    """A server being timed and what it measured."""

    server: Server
    run: Run


def run_backend(backend: str, config: Config) -> list[Run]:
    """Seed one installation through the first server, copy it (data dir and database) for
    the second when there is one, then time both, alternating."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-lists-")))
        settings = dict(common.UNLIMITED_RATE_LIMITS)
        if backend == "postgresql":
            settings["DATABASE_URL"] = stack.enter_context(scratch_postgres(config.postgres_url))
        first = workdir / "first"
        label = "before" if config.before else "this checkout"
        server, _ = start_server(first, settings, config.before, label, config)
        try:
            tokens = create_accounts(server)
            url = settings.get("DATABASE_URL") or sqlite_url(first)
            say(f"[{backend}] seeding {config.rows:,} rows per table over {config.users} users")
            seconds = seed(url, config, tokens.user_id)
            say(f"[{backend}] seeded in {seconds:.0f} s")
        finally:
            common.stop(server)
        installations = [(first, settings, config.before, label)]
        if config.before is not None:
            second = workdir / "second"
            shutil.copytree(first / "medianest-data", second / "medianest-data")
            copied = dict(settings)
            if backend == "postgresql":
                copied["DATABASE_URL"] = stack.enter_context(
                    scratch_postgres(config.postgres_url, template=url)
                )
            url = copied.get("DATABASE_URL") or sqlite_url(second)
            installations.append((second, copied, None, "after"))
        runs = []
        for where, env, source, name in installations:
            say(f"[{backend}] starting {name} (its start-up migrates the filled tables)")
            server, startup = start_server(where, env, source, name, config)
            stack.callback(common.stop, server)
            runs.append(Running(server, Run(name, startup_s=startup)))
        say(f"[{backend}] timing, {ROUNDS} rounds")
        time_targets(runs, tokens, config)
        for running in runs:
            common.stop(running.server)
        runs[-1].run.plans = asyncio.run(plan_lines(url, tokens.user_id, config))
        return [running.run for running in runs]


# ---------------------------------------------------------------- report


def report_lines(backend: str, runs: list[Run], config: Config) -> list[str]:
    heading = ["target"]
    for run in runs:
        heading += [f"{run.label} p50 ms", f"{run.label} p95 ms"]
    if len(runs) == 2:  # before and after
        heading += ["p95 before/after"]
    rows = [heading]
    for index, target in enumerate(TARGETS):
        row = [target.name]
        for run in runs:
            series = run.series[index]
            row += [f"{series.p50:.1f}", f"{series.p95:.1f}"]
        if len(runs) == 2:
            row.append(f"{runs[0].series[index].p95 / runs[1].series[index].p95:.1f}x")
        rows.append(row)
    lines = [f"## {backend}, {config.rows:,} rows per table, {config.requests} requests each", ""]
    lines += common.format_rows(rows)
    lines.append("")
    for run in runs:
        lines.append(
            f"{run.label}: start-up {run.startup_s:.1f} s (migrations included), "
            f"server RSS after the targets {run.rss_mib:.0f} MiB"
        )
    lines += ["", f"Plans ({runs[-1].label}):", "", *runs[-1].plans]
    return lines


def header_lines(config: Config) -> list[str]:
    return [
        f"bench/lists.py on {platform.node()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average "
        + " ".join(f"{value:.2f}" for value in os.getloadavg()),
        f"rows per table {config.rows:,}, users {config.users}, deep page {config.deep_page}, "
        f"{config.requests} timed requests per target after {WARMUP_REQUESTS}, "
        f"before: {config.before or '-'}",
        "",
    ]


def run_benchmark(config: Config) -> None:
    reports = []
    for backend in config.backends:
        runs = run_backend(backend, config)
        reports += [*report_lines(backend, runs, config), ""]
    say("")
    for line in reports:
        say(line)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    signal.signal(signal.SIGTERM, common.exit_on_sigterm)
    for line in header_lines(config):
        say(line)
    try:
        run_benchmark(config)
    except KeyboardInterrupt:
        say("lists.py: interrupted; servers stopped", sys.stderr)
        return 130
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        say(f"lists.py: {exc}", sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
