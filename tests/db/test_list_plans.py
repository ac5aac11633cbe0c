"""Every paged list reads its page from an index, in the list's order, on SQLite and on
PostgreSQL: the plans of the statements the repositories run.

No full scan of the listed table and no sort, so a page costs the same at a thousand rows
and at a million (bench/lists.py times that, and shows PostgreSQL's `EXPLAIN ANALYZE` there).
The total is counted on the table alone, with the filters only. The statements are the
repositories' own, caught as they run, then asked for their plan:

- SQLite: `EXPLAIN QUERY PLAN`, without `ANALYZE` (MediaNest runs none, so its planner
  works from the schema alone, here as on a real installation).
- PostgreSQL: `EXPLAIN` after `ANALYZE`, with sequential scans, bitmap scans and sorts
  switched off. Its planner picks by cost, and a few thousand rows are cheap to sort
  whichever way they are read; switched off, they are still used (at a prohibitive cost)
  when no index can serve the page in order, so the plan shows whether one can.
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from medianest.audit.models import AuditLog
from medianest.audit.repository import AuditRepository
from medianest.audit.schemas import AuditLogFilter
from medianest.auth.models import User
from medianest.auth.schemas import Role
from medianest.db.engine import create_engine, create_sessionmaker, unit_of_work
from medianest.db.paging import Total
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.repository import DownloadRepository
from medianest.downloads.schemas import DownloadFormat, DownloadQuality, DownloadStatus
from medianest.media_requests.models import MediaRequest
from medianest.media_requests.repository import RequestRepository
from medianest.media_requests.schemas import MediaType, RequestFilter, RequestSort, RequestStatus
from medianest.notifications.models import Notification
from medianest.notifications.repository import NotificationRepository
from tests.fixtures.backends import Backends, async_url

ROWS = 4000
"""Per table, spread over `USERS` users, two rows to each `created_at` (ties)."""
USERS = 20
PAGE = 20
AUDIT_ACTIONS = 8
NOW = datetime(2026, 12, 1, tzinfo=UTC)
DOWNLOAD_STATUSES = [DownloadStatus.COMPLETED] * 8 + [DownloadStatus.FAILED] * 2
POSTGRES_INDEXES_ONLY = (
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_sort = off",
    "SET LOCAL enable_incremental_sort = off",
)


@dataclass(frozen=True)
class Filled:
    sessions: async_sessionmaker[AsyncSession]
    engine: AsyncEngine
    user_id: uuid.UUID


def _moment(index: int) -> datetime:
    return NOW - timedelta(minutes=index // 2)


async def _fill(url: str, owners: list[uuid.UUID]) -> None:
    engine = create_engine(async_url(url))
    users = [
        {
            "id": owner,
            "username": f"u{index}",
            "email": f"u{index}@example.com",
            "role": Role.USER,
            "is_active": True,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for index, owner in enumerate(owners)
    ]
    statuses = list(RequestStatus)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            await session.execute(insert(User), users)
            await session.execute(
                insert(MediaRequest),
                [
                    {
                        "id": uuid.uuid4(),
                        "user_id": owners[i % USERS],
                        "media_type": MediaType.MOVIE,
                        "tmdb_id": i + 1,
                        "title": f"Title {i}",
                        "status": statuses[i % len(statuses)],
                        "status_changed_at": _moment(i),
                        "created_at": _moment(i),
                        "updated_at": _moment(i),
                    }
                    for i in range(ROWS)
                ],
            )
            await session.execute(
                insert(YoutubeDownload),
                [
                    {
                        "id": uuid.uuid4(),
                        "user_id": owners[i % USERS],
                        "url": f"https://www.youtube.com/watch?v={i:011d}",
                        "quality": DownloadQuality.BEST,
                        "format": DownloadFormat.MP4,
                        "status": DOWNLOAD_STATUSES[i % len(DOWNLOAD_STATUSES)],
                        "files": [],
                        "created_at": _moment(i),
                    }
                    for i in range(ROWS)
                ],
            )
            await session.execute(
                insert(Notification),
                [
                    {
                        "id": uuid.uuid4(),
                        "user_id": owners[i % USERS],
                        "kind": "broadcast",
                        "title": "Notice",
                        "message": "A message.",
                        "data": {},
                        "read_at": None if i % 2 else _moment(i),
                        "created_at": _moment(i),
                    }
                    for i in range(ROWS)
                ],
            )
            await session.execute(
                insert(AuditLog),
                [
                    {
                        "id": uuid.uuid4(),
                        "actor_id": owners[i % USERS],
                        "action": f"action.{i % AUDIT_ACTIONS}",
                        "details": {},
                        "created_at": _moment(i),
                    }
                    for i in range(ROWS)
                ],
            )
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def filled_database(backends: Backends) -> tuple[str, uuid.UUID]:
    """A migrated database with the rows, made once for the module: its URL and a user."""
    url = backends.new_database()
    owners = [uuid.uuid4() for _ in range(USERS)]
    with ThreadPoolExecutor(max_workers=1) as pool:  # no event loop may run in this thread
        pool.submit(asyncio.run, _fill(url, owners)).result()
    return url, owners[0]


@pytest.fixture
async def filled(filled_database: tuple[str, uuid.UUID]) -> AsyncIterator[Filled]:
    url, user_id = filled_database
    engine = create_engine(async_url(url))
    yield Filled(create_sessionmaker(engine), engine, user_id)
    await engine.dispose()


@contextmanager
def caught_selects(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements the engine runs inside the block, with their parameters."""
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            caught.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", catch)
    try:
        yield caught
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", catch)


@dataclass(frozen=True)
class Plan:
    """What a statement's plan uses: indexes per table, full scans, sorts."""

    indexes: dict[str, set[str]]
    scanned: set[str]
    sorts: bool
    text: str


async def plan_of(engine: AsyncEngine, statement: str, parameters: Any) -> Plan:
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return _sqlite_plan([row[-1] for row in rows])
        for setting in POSTGRES_INDEXES_ONLY:
            await connection.exec_driver_sql(setting)
        found = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        document = found.scalar_one()
        return _postgres_plan(json.loads(document) if isinstance(document, str) else document)


def _sqlite_plan(details: list[str]) -> Plan:
    indexes: dict[str, set[str]] = {}
    scanned: set[str] = set()
    for detail in details:
        words = detail.split()
        if words[0] in ("SCAN", "SEARCH"):
            table = words[1]
            if " INDEX " in detail:
                index = words[words.index("INDEX") + 1]
                indexes.setdefault(table, set()).add(index)
            elif words[0] == "SCAN":
                scanned.add(table)
    sorts = any("TEMP B-TREE" in detail for detail in details)
    return Plan(indexes, scanned, sorts, "\n".join(details))


def _postgres_plan(document: list[dict[str, Any]]) -> Plan:
    indexes: dict[str, set[str]] = {}
    scanned: set[str] = set()
    sorts = False

    def visit(node: dict[str, Any]) -> None:
        nonlocal sorts
        kind = node["Node Type"]
        if "Index Name" in node:  # a bitmap index scan names no table: its heap scan does
            indexes.setdefault(node.get("Relation Name", "?"), set()).add(node["Index Name"])
        elif kind == "Seq Scan":
            scanned.add(node["Relation Name"])
        sorts = sorts or kind in ("Sort", "Incremental Sort")
        for child in node.get("Plans", []):
            visit(child)

    visit(document[0]["Plan"])
    return Plan(indexes, scanned, sorts, json.dumps(document, indent=1))


Page = Callable[[AsyncSession], Awaitable[object]]


async def page_and_count(filled: Filled, page: Page) -> tuple[Plan, str]:
    """The plan of the page's statement, and the count's statement."""
    with caught_selects(filled.engine) as caught:
        async with unit_of_work(filled.sessions, reads_only=True) as session:
            await page(session)
    assert len(caught) == 2, caught  # a full page: the total needs counting
    (statement, parameters), (count, _) = caught
    return await plan_of(filled.engine, statement, parameters), count


def assert_read_from(plan: Plan, table: str, index: str) -> None:
    assert index in plan.indexes.get(table, set()), plan.text
    assert table not in plan.scanned, plan.text
    assert not plan.sorts, plan.text


def assert_counted_alone(count: str, table: str) -> None:
    upper = " ".join(count.upper().split())
    assert "JOIN" not in upper, count
    assert "ORDER BY" not in upper, count
    assert f"FROM {table.upper()}" in upper, count


def requests_page(**filters: Any) -> Page:
    async def run(session: AsyncSession) -> object:
        return await RequestRepository(session).page(
            RequestFilter(**filters), offset=PAGE * 3, limit=PAGE
        )

    return run


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "ix_media_requests_created_at_id"),
        ({"sort": RequestSort.OLDEST}, "ix_media_requests_created_at_id"),
        ({"status": RequestStatus.PENDING}, "ix_media_requests_status_created_at_id"),
        ({"user": True}, "ix_media_requests_user_id_created_at_id"),
        ({"user": True, "sort": RequestSort.OLDEST}, "ix_media_requests_user_id_created_at_id"),
    ],
    ids=["everyone", "everyone-oldest", "one-status", "one-user", "one-user-oldest"],
)
async def test_request_pages_come_from_an_index(
    filled: Filled, filters: dict[str, Any], index: str
) -> None:
    if filters.pop("user", False):
        filters["user_id"] = filled.user_id
    plan, count = await page_and_count(filled, requests_page(**filters))
    assert_read_from(plan, "media_requests", index)
    assert_counted_alone(count, "media_requests")


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "ix_youtube_downloads_created_at_id"),
        ({"status": DownloadStatus.FAILED}, "ix_youtube_downloads_status_created_at_id"),
        ({"user": True}, "ix_youtube_downloads_user_id_created_at_id"),
    ],
    ids=["everyone", "one-status", "one-user"],
)
async def test_download_pages_come_from_an_index(
    filled: Filled, filters: dict[str, Any], index: str
) -> None:
    user_id = filled.user_id if filters.pop("user", False) else None

    async def run(session: AsyncSession) -> object:
        return await DownloadRepository(session).page(
            user_id=user_id, status=filters.get("status"), offset=PAGE * 3, limit=PAGE
        )

    plan, count = await page_and_count(filled, run)
    assert_read_from(plan, "youtube_downloads", index)
    assert_counted_alone(count, "youtube_downloads")


@pytest.mark.parametrize(
    ("unread_only", "index"),
    [
        (False, "ix_notifications_user_id_created_at_id"),
        (True, "ix_notifications_unread_user_id_created_at_id"),
    ],
    ids=["all", "unread"],
)
async def test_notification_pages_come_from_an_index(
    filled: Filled, unread_only: bool, index: str
) -> None:
    async def run(session: AsyncSession) -> object:
        return await NotificationRepository(session).page(
            filled.user_id, unread_only=unread_only, offset=PAGE, limit=PAGE
        )

    plan, count = await page_and_count(filled, run)
    assert_read_from(plan, "notifications", index)
    assert_counted_alone(count, "notifications")


async def test_the_unread_count_reads_only_the_unread(filled: Filled) -> None:
    with caught_selects(filled.engine) as caught:
        async with unit_of_work(filled.sessions, reads_only=True) as session:
            await NotificationRepository(session).unread_count(filled.user_id)
    [(statement, parameters)] = caught
    plan = await plan_of(filled.engine, statement, parameters)
    assert_read_from(plan, "notifications", "ix_notifications_unread_user_id_created_at_id")


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "ix_audit_logs_created_at_id"),
        ({"actor": True}, "ix_audit_logs_actor_id_created_at_id"),
        ({"action": "action.3"}, "ix_audit_logs_action_created_at_id"),
    ],
    ids=["everyone", "one-actor", "one-action"],
)
async def test_audit_log_pages_come_from_an_index(
    filled: Filled, filters: dict[str, Any], index: str
) -> None:
    if filters.pop("actor", False):
        filters["actor_id"] = filled.user_id

    async def run(session: AsyncSession) -> object:
        return await AuditRepository(session).page(
            AuditLogFilter(**filters), offset=PAGE * 3, limit=PAGE
        )

    plan, count = await page_and_count(filled, run)
    assert_read_from(plan, "audit_logs", index)
    assert_counted_alone(count, "audit_logs")


async def test_a_short_last_page_needs_no_count(filled: Filled) -> None:
    """The last page of a list holds fewer rows than asked for: its total is known."""
    with caught_selects(filled.engine) as caught:
        async with unit_of_work(filled.sessions, reads_only=True) as session:
            rows, total = await RequestRepository(session).page(
                RequestFilter(), offset=ROWS - 5, limit=PAGE
            )
    assert (len(rows), total) == (5, Total(ROWS))
    assert len(caught) == 1


async def test_an_empty_list_needs_no_count(filled: Filled) -> None:
    with caught_selects(filled.engine) as caught:
        async with unit_of_work(filled.sessions, reads_only=True) as session:
            rows, total = await DownloadRepository(session).page(
                user_id=uuid.uuid4(), status=None, offset=0, limit=PAGE
            )
    assert (list(rows), total) == ([], Total(0))
    assert len(caught) == 1


async def test_a_page_past_the_end_still_counts(filled: Filled) -> None:
    async with unit_of_work(filled.sessions, reads_only=True) as session:
        rows, total = await AuditRepository(session).page(
            AuditLogFilter(), offset=ROWS * 2, limit=PAGE
        )
    assert (list(rows), total) == ([], Total(ROWS))
