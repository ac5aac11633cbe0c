"""Dumping and loading the database: SQLite through its online backup API, PostgreSQL
through `pg_dump` / `pg_restore` (the PostgreSQL client tools, found on PATH).

Blocking work: async callers run these functions in a thread. The PostgreSQL password goes
to the tools in `PGPASSWORD`, never on a command line other users could read.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from medianest.kit.datadir import make_private_file
from medianest.operations.errors import BackupFailedError, RestoreFailedError
from medianest.operations.schemas import DatabaseKind

TOOL_TIMEOUT_SECONDS = 3600
SQLITE_TIMEOUT_SECONDS = 30.0
_SSL_MODES = ("sslmode", "ssl")


@dataclass(frozen=True, slots=True)
class Database:
    """Where the data lives, from the SQLAlchemy URL the app uses."""

    url: URL

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls(make_url(url))

    @property
    def kind(self) -> DatabaseKind:
        if self.url.get_backend_name() == "sqlite":
            return DatabaseKind.SQLITE
        return DatabaseKind.POSTGRESQL

    @property
    def async_url(self) -> str:
        return self.url.render_as_string(hide_password=False)

    @property
    def sqlite_path(self) -> Path:
        if not self.url.database or self.url.database == ":memory:":
            raise BackupFailedError("an in-memory SQLite database cannot be backed up")
        return Path(self.url.database)

    @property
    def name(self) -> str:
        return self.url.database or ""

    def with_name(self, name: str) -> "Database":
        return Database(self.url.set(database=name))

    def libpq_env(self) -> dict[str, str]:
        """The connection as the PostgreSQL tools read it from the environment."""
        env = {
            "PGHOST": self.url.host or "",
            "PGPORT": str(self.url.port or ""),
            "PGUSER": self.url.username or "",
            "PGPASSWORD": self.url.password if isinstance(self.url.password, str) else "",
            "PGDATABASE": self.name,
            "PGCONNECT_TIMEOUT": "10",
        }
        for key in _SSL_MODES:
            mode = self.url.query.get(key)
            if isinstance(mode, str):
                env["PGSSLMODE"] = mode
        return {**os.environ, **{name: value for name, value in env.items() if value}}


# ---------------------------------------------------------------------------------- SQLite


def dump_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page; writers carry on meanwhile."""
    if not source.is_file():
        raise BackupFailedError(f"no SQLite database at {source}")
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_TIMEOUT_SECONDS)) as live,
            closing(sqlite3.connect(target)) as copy,
        ):
            live.backup(copy)
            # A single self-contained file: no WAL to carry along.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupFailedError(f"cannot copy the SQLite database {source}: {exc}") from None


def load_sqlite(dump: Path, target: Path) -> None:
    """Put `dump` in place as `target`, atomically (the caller set any old file aside)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.restoring")
    make_private_file(incoming)
    shutil.copyfile(dump, incoming)
    incoming.replace(target)


def free_aside_path(path: Path) -> Path:
    """`<name>.before-restore`, or `.before-restore.1`... when an earlier restore left one."""
    aside = path.with_name(f"{path.name}.before-restore")
    sequence = 0
    while any(aside.with_name(aside.name + suffix).exists() for suffix in ("", "-wal", "-shm")):
        sequence += 1
        aside = path.with_name(f"{path.name}.before-restore.{sequence}")
    return aside


def set_sqlite_aside(target: Path) -> list[Path]:
    """Rename the database (and its WAL files) to `*.before-restore`; what was kept."""
    if not target.exists():
        return []
    aside = free_aside_path(target)
    for suffix in ("-wal", "-shm"):
        journal = target.with_name(target.name + suffix)
        if journal.exists():
            journal.replace(aside.with_name(aside.name + suffix))
    target.replace(aside)
    return [aside]


# ------------------------------------------------------------------------------ PostgreSQL


def dump_postgres(database: Database, target: Path) -> None:
    _run_tool(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        database,
        failure=BackupFailedError,
    )


def load_postgres(database: Database, dump: Path, *, clean: bool) -> None:
    """Load a custom-format dump in one transaction: it all lands, or nothing does."""
    options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        options += ["--clean", "--if-exists"]
    _run_tool(
        "pg_restore",
        [*options, f"--dbname={database.name}", str(dump)],
        database,
        failure=RestoreFailedError,
    )


def _run_tool(
    tool: str,
    arguments: list[str],
    database: Database,
    *,
    failure: type[BackupFailedError] | type[RestoreFailedError],
) -> None:
    program = shutil.which(tool)
    if program is None:
        raise failure(f"{tool} not found on PATH: install the PostgreSQL client tools")
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed program; arguments are ours
            [program, *arguments],
            env=database.libpq_env(),
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise failure(f"{tool} failed: {exc}") from None
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.strip().splitlines() if line.strip()]
        raise failure(f"{tool} failed: {lines[-1] if lines else f'exit {completed.returncode}'}")
