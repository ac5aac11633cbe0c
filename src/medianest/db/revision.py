"""The schema's revision, read without Alembic: what `serve` checks before deciding to
migrate, and what health, doctor and backups report.

Alembic (~10 MiB and a quarter of a second of imports) loads only in a process that migrates;
a server whose database is already at `HEAD_REVISION` never imports it.
"""

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

HEAD_REVISION = "2ea4894386f8"
"""The newest migration's revision id. A new migration updates it (a test compares it with
the migration scripts' head, so forgetting fails the tests)."""

VERSION_TABLE = "alembic_version"
_READ_VERSION = text("SELECT version_num FROM alembic_version")


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, as Alembic reads it (None before the first
    migration). Several rows (Alembic branches, which MediaNest does not use) are an error."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(_READ_VERSION).scalars().all()
    if len(rows) > 1:
        raise RuntimeError(f"the database records several schema revisions: {', '.join(rows)}")
    return rows[0] if rows else None


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(stored_revision)


async def at_head(engine: AsyncEngine) -> bool:
    """Is the database at this code's newest migration? False when it cannot be read: the
    migration then runs and reports why."""
    try:
        return await current_revision(engine) == HEAD_REVISION
    except Exception:
        return False
