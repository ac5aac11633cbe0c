"""Alembic environment: runs migrations on the async engine, SQLite or PostgreSQL."""

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from medianest.db.base import Base
from medianest.runtime.model_modules import load_models

load_models()

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        user_module_prefix="db_types.",
    )


# Any fixed 64-bit number, the same in every process: the key of the migration lock.
MIGRATION_LOCK_KEY = 0x6D6E_6D69_6772_6174  # "mnmigrat"
SQLITE_LOCK_WAIT_SECONDS = 60.0


def _lock_out_other_migrations(connection: Connection) -> None:
    """Replicas started together would each create the schema; the first to take this lock
    migrates, the others wait and then find nothing left to do. The lock is held by the
    transaction the migrations run in (an outer one, so Alembic does not commit early)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    elif connection.dialect.name == "sqlite":
        # SQLite's write lock, taken up front; others wait for it (busy timeout).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _run_sync(connection: Connection) -> None:
    _lock_out_other_migrations(connection)
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by medianest.db.migrate"  # noqa: S101
    # SQLite: wait up to a minute for another process's migration rather than 5 s.
    connect_args = {"timeout": SQLITE_LOCK_WAIT_SECONDS} if url.startswith("sqlite") else {}
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
