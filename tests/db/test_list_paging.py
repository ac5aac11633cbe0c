"""Paging through a list shows every item once, in order, even where items share a
`createdAt` (bulk imports, a broadcast to everyone, rows made in the same instant): on a
running server, with rows that tie, page by page in both directions.

Ties are broken by id in the sort's direction, so "oldest first" is exactly "newest first"
backwards, and every page size cuts the same sequence.
"""

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

from medianest.audit.models import AuditLog
from medianest.db.engine import create_engine, create_sessionmaker, unit_of_work
from medianest.downloads.models import YoutubeDownload
from medianest.downloads.schemas import DownloadFormat, DownloadQuality, DownloadStatus
from medianest.media_requests.models import MediaRequest
from medianest.media_requests.schemas import MediaType, RequestStatus
from medianest.notifications.models import Notification
from tests.conftest import ServerEnv
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server

ROWS = 23
"""Of each list: pages of 4 leave a short last one."""
MOMENTS = 4
"""The rows share four `created_at` values: ties within every page and across pages."""
LIMIT = 4
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    server: LiveServer
    admin: Account
    user: Account


def _moment(index: int) -> datetime:
    return LONG_AGO + timedelta(days=index % MOMENTS)


async def _add_rows(url: str, user_id: uuid.UUID) -> None:
    engine = create_engine(async_url(url))
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            for model, row in (
                (MediaRequest, _request),
                (YoutubeDownload, _download),
                (Notification, _notification),
                (AuditLog, _audit),
            ):
                await session.execute(insert(model), [row(i, user_id) for i in range(ROWS)])
    finally:
        await engine.dispose()


def _request(i: int, user_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "media_type": MediaType.MOVIE,
        "tmdb_id": 1000 + i,
        "title": f"Film {i}",
        "status": RequestStatus.AVAILABLE,
        "status_changed_at": _moment(i),
        "created_at": _moment(i),
        "updated_at": _moment(i),
    }


def _download(i: int, user_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "url": f"https://www.youtube.com/watch?v=tie{i:08d}",
        "quality": DownloadQuality.BEST,
        "format": DownloadFormat.MP4,
        "status": DownloadStatus.COMPLETED,
        "files": [],
        "created_at": _moment(i),
        "finished_at": _moment(i),
    }


def _notification(i: int, user_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "kind": "broadcast",
        "title": f"Notice {i}",
        "message": "To everyone.",
        "data": {},
        "created_at": _moment(i),
    }


def _audit(i: int, user_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "actor_id": user_id,
        "action": "auth.sign_in",
        "details": {},
        "created_at": _moment(i),
    }


@pytest.fixture(scope="module")
def world(
    server_env: ServerEnv, backends: Backends, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = backends.new_database()
    live = start_server(server_env(database_url=url), workdir=tmp_path_factory.mktemp("paging"))
    try:
        with live.client() as http:
            admin = bootstrap_admin(http)
            user = create_user(http, admin)
        with ThreadPoolExecutor(max_workers=1) as pool:  # no event loop may run in this thread
            pool.submit(asyncio.run, _add_rows(url, uuid.UUID(user.id))).result()
        yield World(live, admin, user)
    finally:
        live.stop()


def every_page(http: httpx.Client, path: str, account: Account, **query: str) -> list[Any]:
    """The items of every page of `LIMIT`, first to last, checking each page's pagination."""
    items: list[Any] = []
    page, total = 1, None
    while True:
        params = {**query, "page": str(page), "limit": str(LIMIT)}
        data = assert_ok(http.get(path, params=params, headers=account.bearer))
        pagination = data["pagination"]
        total = pagination["totalItems"] if total is None else total
        assert pagination["totalItems"] == total, "the total changed between pages"
        items += data["items"]
        if not pagination["hasNext"]:
            assert len(data["items"]) == total - LIMIT * (page - 1)
            return items
        assert len(data["items"]) == LIMIT
        page += 1


def one_page(http: httpx.Client, path: str, account: Account, **query: str) -> list[Any]:
    return list(
        assert_ok(http.get(path, params={**query, "limit": "100"}, headers=account.bearer))["items"]
    )


def ids(items: list[Any]) -> list[str]:
    found = [item["id"] for item in items]
    assert len(found) == len(set(found)), "an item shows on two pages"
    return found


def assert_newest_first(items: list[Any]) -> None:
    moments = [datetime.fromisoformat(item["createdAt"]) for item in items]
    assert moments == sorted(moments, reverse=True)


@pytest.mark.parametrize(
    ("path", "who", "query"),
    [
        ("/api/v1/media/requests", "user", {}),
        ("/api/v1/admin/requests", "admin", {}),
        ("/api/v1/admin/requests", "admin", {"status": "available"}),
    ],
    ids=["own", "everyone", "one-status"],
)
def test_requests_page_the_same_in_both_directions(
    world: World, path: str, who: str, query: dict[str, str]
) -> None:
    account = world.user if who == "user" else world.admin
    with world.server.client() as http:
        newest = every_page(http, path, account, sort="-createdAt", **query)
        oldest = every_page(http, path, account, sort="createdAt", **query)
        whole = one_page(http, path, account, sort="-createdAt", **query)
    assert len(newest) == ROWS
    assert_newest_first(newest)
    assert ids(newest) == ids(whole)
    assert ids(oldest) == ids(newest)[::-1]


@pytest.mark.parametrize(
    ("path", "who", "query"),
    [
        ("/api/v1/youtube/downloads", "user", {}),
        ("/api/v1/youtube/downloads", "admin", {}),
        ("/api/v1/youtube/downloads", "admin", {"status": "completed"}),
        ("/api/v1/dashboard/notifications", "user", {}),
        ("/api/v1/admin/audit-logs", "admin", {}),
    ],
    ids=["own-downloads", "all-downloads", "completed-downloads", "notifications", "audit-log"],
)
def test_newest_first_lists_page_without_gaps_or_repeats(
    world: World, path: str, who: str, query: dict[str, str]
) -> None:
    account = world.user if who == "user" else world.admin
    with world.server.client() as http:
        paged = every_page(http, path, account, **query)
        whole = one_page(http, path, account, **query)
    assert len(paged) >= ROWS  # the audit log also has the server's own sign-in rows
    assert_newest_first(paged)
    assert ids(paged) == ids(whole)
