"""Engine and session factories for SQLite (embedded) and PostgreSQL (scaled out)."""

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import Session as OrmSession

from medianest.kit.datadir import PRIVATE_FILE_MODE, make_private_file
from medianest.kit.errors import DatabaseUnavailableError

logger = structlog.get_logger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY = "medianest_read_only"
"""Execution option marking a transaction that never writes (SQLite then skips the write lock)."""


SQLITE_STOP_SECONDS = 5.0
"""How long closing an engine waits for SQLite connections that are being closed."""
_sqlite_connections: "weakref.WeakKeyDictionary[Any, weakref.WeakSet[Any]]" = (
    weakref.WeakKeyDictionary()
)

RETRY_AFTER_SECONDS = 5
"""What a 503 `DATABASE_ERROR` tells the client to wait (`Retry-After`) before trying again."""


def create_engine(url: str, *, pool_size: int = 10, timeout_seconds: float = 5.0) -> AsyncEngine:
    """Create the async engine, tuned per backend.

    On both, the pool keeps `pool_size` connections and opens as many more under load, and
    waiting for a free one gives up after `timeout_seconds` (`sqlalchemy.exc.TimeoutError`,
    which a unit of work turns into `DatabaseUnavailableError`: 503, not 500).
    """
    parsed = make_url(url)
    pool = {"pool_size": pool_size, "max_overflow": pool_size, "pool_timeout": timeout_seconds}
    if parsed.get_backend_name() == "sqlite":
        make_sqlite_file_private(url)
        in_memory = parsed.database in (None, "", ":memory:")
        engine = _create_async_engine(
            url,
            connect_args={"timeout": timeout_seconds},
            pool_pre_ping=False,
            **({} if in_memory else pool),  # an in-memory database is one static connection
        )
        _configure_sqlite(engine)
        return engine
    return _create_async_engine(
        url,
        **pool,
        pool_pre_ping=True,
        connect_args={"timeout": timeout_seconds, "command_timeout": 30},
    )


def make_sqlite_file_private(url: str) -> None:
    """A SQLite database file (password hashes, encrypted tokens) is its owner's alone: made
    0600 before SQLite creates it, its WAL files (created with its mode) tightened too."""
    database = make_url(url).database
    if make_url(url).get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    make_private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.chmod(PRIVATE_FILE_MODE)


async def dispose_engine(engine: AsyncEngine) -> None:
    """Close the pool, and wait for SQLite connections still being closed.

    A connection whose task was cancelled mid-statement is closed without waiting (it is
    queued behind that statement on its aiosqlite thread), and its thread calls back into
    this event loop when done: waiting here keeps that from landing on a closed loop.
    """
    await engine.dispose()
    stopping = [
        connection._thread  # aiosqlite offers no public way to wait for its thread
        for connection in list(_sqlite_connections.get(engine.sync_engine, ()))
        if not connection._running and connection._thread.is_alive()
    ]
    if stopping:
        await asyncio.to_thread(_join, stopping, SQLITE_STOP_SECONDS)


def _join(threads: list[threading.Thread], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine
    connections: weakref.WeakSet[Any] = weakref.WeakSet()
    _sqlite_connections[sync_engine] = connections

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        connections.add(dbapi_connection._connection)  # the aiosqlite.Connection
        # pysqlite's own transaction handling breaks SAVEPOINT; we emit BEGIN ourselves
        # (the workaround documented in SQLAlchemy's SQLite dialect notes).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
        # writes after another connection committed fails at once with "database is locked"
        # (WAL snapshot conflict) instead of waiting: one writer at a time, waiting politely.
        # Transactions marked read-only need no lock at all in WAL mode.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` means the database cannot be reached (not a bad query), or no pooled
    connection came free in time (an overloaded process)."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated)
    return isinstance(exc, OSError | TimeoutError)


def unavailable_error(exc: BaseException) -> DatabaseUnavailableError:
    """The 503 for an `is_unavailable` exception, with the wait to retry after."""
    message = None
    if isinstance(exc, PoolTimeoutError):
        message = "The database is busy: no connection came free in time. Try again shortly."
    return DatabaseUnavailableError(message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@asynccontextmanager
async def read_only_session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A short session for reads that must not hold (or wait for) SQLite's write lock."""
    async with sessionmaker() as session:
        try:
            await session.connection(execution_options={READ_ONLY: True})
        except Exception as exc:
            if is_unavailable(exc):
                raise unavailable_error(exc) from exc
            raise
        yield session


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], *, reads_only: bool = False
) -> AsyncIterator[AsyncSession]:
    """One transaction: committed when the block succeeds, rolled back when it raises.

    Only the owner of a unit of work (a request dependency, a task wrapper or a CLI command)
    commits; services never do. `reads_only` promises no writes, so SQLite's write lock is
    not taken (a GET waiting on Plex must not hold up every writer); writes such a caller
    still needs go in an `after_commit` unit of their own.
    """
    async with sessionmaker() as session:
        session.info[_UNIT_OF_WORK] = True
        try:
            if reads_only:
                await session.connection(execution_options={READ_ONLY: True})
            yield session
            await session.commit()
        except BaseException as exc:
            session.info.pop(_AFTER_COMMIT, None)
            records = session.info.pop(_EVEN_ON_FAILURE, [])
            unavailable = is_unavailable(exc)
            try:
                await session.rollback()
            except Exception:
                # A lost connection cannot roll back; the original error is the story.
                if not unavailable:
                    raise
            if isinstance(exc, Exception):  # not on cancellation: nothing may wait then
                await _write_records(sessionmaker, records)
            if unavailable:
                raise unavailable_error(exc) from exc
            raise
        await _write_records(sessionmaker, session.info.pop(_EVEN_ON_FAILURE, []))
        await _run_after_commit(session)


_UNIT_OF_WORK = "medianest_unit_of_work"
_AFTER_COMMIT = "medianest_after_commit"
_EVEN_ON_FAILURE = "medianest_even_on_failure"


def record_even_on_failure(
    session: AsyncSession, write: Callable[[AsyncSession], Awaitable[None]]
) -> None:
    """Have `write` done in a transaction of its own once the unit of work has ended, whether
    it committed or rolled back: for the record of a failure (a refused sign-in, a stolen
    session ended) that the failing request's rollback must not take with it.

    The request's transaction ends first, so on SQLite the two never wait for each other's
    write lock; `write` gets the new transaction's session (`after_commit` works in it)."""
    if not session.info.get(_UNIT_OF_WORK):
        raise RuntimeError("record_even_on_failure needs a session of a unit_of_work")
    session.info.setdefault(_EVEN_ON_FAILURE, []).append(write)


async def _write_records(
    sessionmaker: async_sessionmaker[AsyncSession],
    records: list[Callable[[AsyncSession], Awaitable[None]]],
) -> None:
    for write in records:
        try:
            async with unit_of_work(sessionmaker) as session:
                await write(session)
        except Exception:  # the request's own outcome is the answer; log the lost record
            logger.exception("db.record_failed", record=getattr(write, "__name__", "?"))


def after_commit(
    session: AsyncSession | OrmSession, callback: Callable[[], Awaitable[None]]
) -> None:
    """Run the callback once the unit of work has committed (never if it rolls back): for
    events and jobs that must not announce a change that did not happen."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


async def _run_after_commit(session: AsyncSession) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            await callback()
        except Exception:  # the change is committed; a lost notification must not undo it
            logger.exception("db.after_commit_failed", callback=getattr(callback, "__name__", "?"))
