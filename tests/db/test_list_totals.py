"""A list's total is exact while counting it is cheap, and an estimate marked as one beyond:
on a running server, on SQLite and on PostgreSQL.

Up to `EXACT_UP_TO` rows past a page's offset the rows are counted (`totalExact: true`);
past that, counting would read every matching row on every page, so the total is estimated
(`totalExact: false`), never below what was counted. A filter, a user's own list, a page
near the end: counted, exact.
"""

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text

from medianest.db.engine import create_engine, create_sessionmaker, unit_of_work
from medianest.db.paging import EXACT_UP_TO
from medianest.media_requests.models import MediaRequest
from medianest.media_requests.schemas import MediaType, RequestStatus
from tests.conftest import ServerEnv
from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server

ROWS = EXACT_UP_TO + 2_000
PENDING_EVERY = 20
"""One request in 20 is pending (spread evenly): a filter matching fewer than `EXACT_UP_TO`."""
PENDING = len(range(0, ROWS, PENDING_EVERY))
NOW = datetime(2026, 12, 1, tzinfo=UTC)
ESTIMATE_TOLERANCE = 0.15


@dataclass(frozen=True)
class World:
    server: LiveServer
    admin: Account


def _request(i: int, user_id: uuid.UUID) -> dict[str, Any]:
    moment = NOW - timedelta(minutes=i)
    return {
        "id": uuid.uuid4(),
        "user_id": user_id,
        "media_type": MediaType.MOVIE,
        "tmdb_id": i + 1,
        "title": f"Film {i}",
        "status": RequestStatus.PENDING if i % PENDING_EVERY == 0 else RequestStatus.AVAILABLE,
        "status_changed_at": moment,
        "created_at": moment,
        "updated_at": moment,
    }


async def _add_requests(url: str, user_id: uuid.UUID) -> None:
    engine = create_engine(async_url(url))
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            await session.execute(insert(MediaRequest), [_request(i, user_id) for i in range(ROWS)])
        if engine.dialect.name == "postgresql":  # what autovacuum does after such a load
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE media_requests"))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def world(
    server_env: ServerEnv, backends: Backends, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = backends.new_database()
    live = start_server(server_env(database_url=url), workdir=tmp_path_factory.mktemp("totals"))
    try:
        with live.client() as http:
            admin = bootstrap_admin(http)
        with ThreadPoolExecutor(max_workers=1) as pool:  # no event loop may run in this thread
            pool.submit(asyncio.run, _add_requests(url, uuid.UUID(admin.id))).result()
        yield World(live, admin)
    finally:
        live.stop()


def pagination(world: World, **query: str) -> dict[str, Any]:
    with world.server.client() as http:
        response = http.get("/api/v1/admin/requests", params=query, headers=world.admin.bearer)
    data = assert_ok(response)
    assert data["items"], data
    return dict(data["pagination"])


def test_a_long_list_estimates_its_total_and_says_so(world: World) -> None:
    found = pagination(world)
    assert found["totalExact"] is False
    assert found["totalItems"] >= EXACT_UP_TO
    assert abs(found["totalItems"] - ROWS) <= ROWS * ESTIMATE_TOLERANCE, found
    assert found["totalPages"] == -(-found["totalItems"] // found["limit"])
    assert found["hasNext"] is True


def test_a_long_filtered_list_estimates_its_total(world: World) -> None:
    found = pagination(world, status="available")
    assert found["totalExact"] is False
    assert abs(found["totalItems"] - (ROWS - PENDING)) <= ROWS * ESTIMATE_TOLERANCE, found


def test_a_filter_matching_fewer_rows_is_counted(world: World) -> None:
    found = pagination(world, status="pending")
    assert (found["totalItems"], found["totalExact"]) == (PENDING, True)


def test_a_page_near_the_end_is_counted(world: World) -> None:
    limit = 100
    page = (ROWS - EXACT_UP_TO) // limit + 2  # fewer than EXACT_UP_TO rows past its offset
    found = pagination(world, page=str(page), limit=str(limit))
    assert (found["totalItems"], found["totalExact"]) == (ROWS, True)


def test_the_last_page_is_exact(world: World) -> None:
    limit = 7  # the last page holds fewer
    found = pagination(world, page=str(ROWS // limit + 1), limit=str(limit))
    assert (found["totalItems"], found["totalExact"]) == (ROWS, True)
    assert found["hasNext"] is False
