"""Replicas may start together: concurrent migrations of one database take turns."""

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from medianest.db import migrate, revision
from tests.fixtures.backends import Backends, async_url

# Each process imports everything first and says so, then migrates when told to: the two
# migrations start within milliseconds of each other, as replicas started together do.
MIGRATE_ON_GO = """
import sys
from medianest.db import migrate, revision
print("ready", flush=True)
sys.stdin.readline()
migrate.upgrade(sys.argv[1])
print("done", flush=True)
"""


def _start_migrations(url: str, count: int) -> list[subprocess.Popen[str]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_ON_GO, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for _ in range(count)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    return processes


async def _revision_rows(url: str) -> list[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
    await engine.dispose()
    return [row[0] for row in rows]


def _migrate_concurrently(url: str) -> None:
    processes = _start_migrations(url, count=2)
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr[-3000:]


@pytest.mark.postgres
def test_replicas_migrating_an_empty_postgres_database_together_all_succeed(
    backends: Backends,
) -> None:
    url = async_url(backends.new_database(migrated=False))
    _migrate_concurrently(url)
    assert asyncio.run(_revision_rows(url)) == [migrate.head_revision()]


def test_processes_migrating_a_new_sqlite_database_together_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'medianest.db'}"
    _migrate_concurrently(url)
    assert asyncio.run(_revision_rows(url)) == [migrate.head_revision()]


def test_the_head_constant_that_spares_a_server_alembic_is_the_newest_migration() -> None:
    """`serve` skips Alembic when the database is at `HEAD_REVISION`: a migration added
    without moving the constant would never be applied by `serve`."""
    assert migrate.head_revision() == revision.HEAD_REVISION
