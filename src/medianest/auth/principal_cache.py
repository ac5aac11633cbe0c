"""Verified credentials kept in memory for a short while, so a signed-in read needs no query.

Checking a session or an API key is one `SELECT` joined with its user, but through the pool
and (on SQLite) aiosqlite's thread it cost most of an authenticated read's time. The cache
keeps, per session id and per API key hash, detached copies of the rows that `SELECT`
returned; the repository answers from it and attaches fresh copies to the request's session
(`merge(load=False)`, no query), so what the service checks (revoked, expired, disabled, the
user's id and role) and what routes change is exactly what they had before.

Today's guarantee holds: a revoked session or key, a disabled user or a changed role takes
effect on the next request. Every flush that changes a user, session or API key, and every
bulk `UPDATE`/`DELETE` of those tables, is noted on the database session (SQLAlchemy events);
once the unit of work commits, the change is applied to this process's caches at once and
published on `state.pubsub` (channel `auth:principals`) for every other server process,
before the response leaves. A listener (`auth.tasks.principal_cache_listener_job`) applies
what others publish. Guards:

- the cache answers only while its listener is subscribed (with Redis away, every request
  reads the database again) and is emptied whenever the subscription (re)starts;
- a copy read before a change but stored after it is dropped (a generation count);
- it is used only without cross-process blind spots: with Redis, or on SQLite in a single
  server process (`--workers` > 1 without Redis has no shared channel: no cache);
- it is used by safe requests only (GET, HEAD, OPTIONS): a sign-in refresh or any write
  reads the rows from the database, as before;
- entries live at most `TTL_SECONDS` regardless, and the cache holds at most `MAX_ENTRIES`.

Changes made by other means (SQL by hand, a restored backup) take effect after the TTL, or
at once on a server restart.
"""

import multiprocessing
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, make_transient_to_detached
from sqlalchemy.orm import Session as OrmSession

from medianest.auth.models import ApiKey, Session, User
from medianest.cache.pubsub import Message, PubSub
from medianest.db.engine import after_commit
from medianest.kit.errors import ServiceUnavailableError

logger = structlog.get_logger(__name__)

CHANNEL = "auth:principals"
TTL_SECONDS = 60.0
MAX_ENTRIES = 10_000
SESSION_ENTRY = "session"
KEY_ENTRY = "key"

_CACHE_INFO = "medianest_principal_cache"
_CHANGES_INFO = "medianest_principal_changes"
_TABLES = {User: "users", Session: "sessions", ApiKey: "api_keys"}

RowT = TypeVar("RowT", Session, ApiKey)


@dataclass
class Change:
    """What a committed transaction changed: rows by id, or whole tables (bulk statements)."""

    users: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)

    def to_message(self) -> Message:
        return {
            "users": sorted(self.users),
            "sessions": sorted(self.sessions),
            "keys": sorted(self.keys),
            "tables": sorted(self.tables),
        }

    @classmethod
    def from_message(cls, message: Message) -> "Change":
        def strings(name: str) -> set[str]:
            values = message.get(name)
            return {str(value) for value in values} if isinstance(values, list) else set()

        change = cls(strings("users"), strings("sessions"), strings("keys"), strings("tables"))
        if not (change.users or change.sessions or change.keys or change.tables):
            change.tables = set(_TABLES.values())  # a message we cannot read: forget all
        return change


@dataclass(frozen=True, slots=True)
class _Entry:
    row: Session | ApiKey
    user: User
    expires_at: float


class PrincipalCache:
    """The cache of one database (its connection `pool`: changes committed through it are
    the ones that concern this cache), told of other processes' changes by `pubsub`."""

    def __init__(
        self,
        pool: object,
        pubsub: PubSub,
        *,
        ttl_seconds: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pool = pool
        self.pubsub = pubsub
        self.generation = 0
        self.active = False
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[tuple[str, str], _Entry] = {}

    def get(self, kind: str, key: str) -> tuple[Session | ApiKey, User] | None:
        if not self.active:
            return None
        entry = self._entries.get((kind, key))
        if entry is None:
            return None
        if entry.expires_at <= self._clock():
            del self._entries[(kind, key)]
            return None
        return entry.row, entry.user

    def put(self, kind: str, key: str, row: Session | ApiKey, user: User, generation: int) -> None:
        """Keep copies of what a query read, unless something changed since it began."""
        if not self.active or generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        expires_at = self._clock() + self._ttl
        self._entries[(kind, key)] = _Entry(_detached_copy(row), _detached_copy(user), expires_at)

    def apply(self, change: Change) -> None:
        self.generation += 1
        self._entries = {
            key: entry
            for key, entry in self._entries.items()
            if not _affected(key[0], entry, change)
        }

    def start(self) -> None:
        """The listener is subscribed: answer from now on, from an empty cache."""
        self.generation += 1
        self._entries.clear()
        self.active = True

    def stop(self) -> None:
        """The listener is gone: changes elsewhere would go unheard, so answer nothing."""
        self.active = False
        self.generation += 1
        self._entries.clear()


def _affected(kind: str, entry: _Entry, change: Change) -> bool:
    if "users" in change.tables or str(entry.user.id) in change.users:
        return True
    if kind == SESSION_ENTRY:
        return "sessions" in change.tables or str(entry.row.id) in change.sessions
    return "api_keys" in change.tables or str(entry.row.id) in change.keys


_caches: "weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], PrincipalCache]" = (
    weakref.WeakKeyDictionary()
)


def can_cache(*, redis: bool, sqlite: bool) -> bool:
    """With Redis every process hears every change; on SQLite without it, only when this
    server is the only process (not one of `--workers`)."""
    return redis or (sqlite and multiprocessing.parent_process() is None)


def cache_for(sessionmaker: async_sessionmaker[AsyncSession]) -> PrincipalCache | None:
    return _caches.get(sessionmaker)


def create_cache(sessionmaker: async_sessionmaker[AsyncSession], pubsub: PubSub) -> PrincipalCache:
    cache = _caches.get(sessionmaker)
    if cache is None:
        pool = sessionmaker.kw["bind"].sync_engine.pool
        cache = _caches[sessionmaker] = PrincipalCache(pool, pubsub)
    return cache


# ---------------------------------------------------------------- the request's session


def use_cache(db: AsyncSession, cache: PrincipalCache | None) -> None:
    """Let the repositories of this (read-only) request answer from `cache`."""
    if cache is not None and cache.active:
        db.info[_CACHE_INFO] = cache


def cache_of(db: AsyncSession) -> PrincipalCache | None:
    cache: PrincipalCache | None = db.info.get(_CACHE_INFO)
    return cache


def attach(db: AsyncSession, row: RowT, user: User) -> tuple[RowT, User]:
    """Copies of the cached rows, in `db` as if it had loaded them (no query)."""
    sync = db.sync_session
    return sync.merge(row, load=False), sync.merge(user, load=False)


def _detached_copy(row: Any) -> Any:
    mapper = inspect(type(row))
    copy = mapper.class_()
    for column in mapper.column_attrs:
        value = getattr(row, column.key)
        setattr(copy, column.key, list(value) if isinstance(value, list) else value)
    make_transient_to_detached(copy)
    return copy


# ---------------------------------------------------------------- noting changes


def _changes(db: OrmSession) -> Change:
    change: Change | None = db.info.get(_CHANGES_INFO)
    if change is None:
        change = db.info[_CHANGES_INFO] = Change()
        pool = getattr(db.bind, "pool", None)
        after_commit(db, lambda: _announce(db.info, pool))
    return change


def _note_rows(db: OrmSession, rows: Iterable[object]) -> None:
    for row in rows:
        if isinstance(row, User):
            _changes(db).users.add(str(row.id))
        elif isinstance(row, Session):
            _changes(db).sessions.add(str(row.id))
        elif isinstance(row, ApiKey):
            _changes(db).keys.add(str(row.id))


@event.listens_for(OrmSession, "after_flush")
def _note_flushed(db: OrmSession, _context: object) -> None:
    # New rows need no notice: nothing can have cached them yet.
    _note_rows(db, db.dirty)
    _note_rows(db, db.deleted)


@event.listens_for(OrmSession, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    table = _TABLES.get(state.bind_mapper.class_)
    if table is not None:
        _changes(state.session).tables.add(table)


async def _announce(info: dict[Any, Any], pool: object) -> None:
    """Apply the change to the caches of this database in this process, then tell the others
    (other apps of this process, as tests make, keep their own databases and loops)."""
    change: Change | None = info.pop(_CHANGES_INFO, None)
    if change is None:
        return
    caches = [cache for cache in list(_caches.values()) if cache.pool is pool]
    for cache in caches:
        cache.apply(change)
    for pubsub in {id(cache.pubsub): cache.pubsub for cache in caches}.values():
        await publish(pubsub, change)


async def publish(pubsub: PubSub, change: Change) -> None:
    try:
        await pubsub.publish(CHANNEL, change.to_message())
    except ServiceUnavailableError:
        # Other processes cannot hear it; their listeners lose the subscription too and stop
        # answering from their caches until they subscribe again (emptied).
        logger.warning("auth.principal_change_not_sent")


async def follow_changes(cache: PrincipalCache) -> None:
    """Apply what other processes publish, for as long as the subscription lasts."""
    subscription = cache.pubsub.subscribe(CHANNEL)
    cache.start()
    try:
        async for message in subscription:
            cache.apply(Change.from_message(message))
    finally:
        cache.stop()
