"""Backups of an installation: take, verify and restore them. Blocking work (dumps, archives,
copies) runs in threads, so a server taking its scheduled backup keeps answering."""

import asyncio
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from medianest import __version__
from medianest.db import revision
from medianest.db.engine import create_engine
from medianest.kit.clock import utc_now
from medianest.kit.logging import failure_line
from medianest.operations import archive, databases
from medianest.operations.archive import DATABASE_NAMES, SECRETS_NAME, newest_backup_age
from medianest.operations.databases import Database
from medianest.operations.errors import (
    BackupFailedError,
    OperationError,
    RestoreFailedError,
    RestoreRefusedError,
)
from medianest.operations.repository import DatabaseAdmin, DatabaseInspector
from medianest.operations.schemas import (
    MAIN_TABLES,
    BackupManifest,
    BackupResult,
    DatabaseChecks,
    DatabaseKind,
    RestoreResult,
    Verification,
)
from medianest.settings import Settings


class BackupService:
    """Backups of one installation: its database (as `settings` names it) and secrets file."""

    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self._settings = settings
        self._engine = engine
        self._database = Database.from_url(settings.sqlalchemy_url)

    # ------------------------------------------------------------------------- backup

    async def backup(self, *, output: Path | None = None, verify: bool = True) -> BackupResult:
        """Take a consistent backup of the running installation; verify it; apply retention
        when it went to the backup folder."""
        started = time.perf_counter()
        revision = await self._live_revision()
        if revision is None:
            raise BackupFailedError(
                "the database has no MediaNest schema (never migrated, or DATABASE_URL points "
                "at another database): there is nothing to back up"
            )
        created_at = utc_now()
        path = self._target_path(output, created_at)
        manifest, size = await asyncio.to_thread(self._write_backup, path, revision, created_at)
        verification = await self.verify(path) if verify else None
        pruned: list[Path] = []
        if path.parent.resolve() == self._settings.backup_path.resolve():
            pruned = await asyncio.to_thread(
                archive.prune, path.parent, self._settings.backup_retention
            )
        return BackupResult(
            path=path,
            size_bytes=size,
            seconds=time.perf_counter() - started,
            manifest=manifest,
            verification=verification,
            pruned=pruned,
        )

    async def backup_if_due(self) -> BackupResult | None:
        """The scheduled backup: taken (and verified) unless a recent one exists or another
        process on this host is taking one right now."""
        interval = self._settings.backup_interval_hours
        if interval <= 0:
            return None
        folder = self._settings.backup_path
        with archive.exclusive(folder) as ours:
            if not ours:
                return None
            age = newest_backup_age(folder, utc_now())
            if age is not None and age < timedelta(hours=interval):
                return None
            return await self.backup()

    async def backup_before_migrating(self) -> BackupResult | None:
        """A backup of a database that has data at an older revision than this code's."""
        try:
            current = await revision.current_revision(self._engine)
        except Exception:  # unreachable or unreadable: the migration reports it
            return None
        if current is None or current == revision.HEAD_REVISION:
            return None
        return await self.backup()

    def _target_path(self, output: Path | None, created_at: datetime) -> Path:
        if output is None:
            return archive.free_archive_path(self._settings.backup_path, created_at)
        if output.is_dir() or str(output).endswith("/"):
            return archive.free_archive_path(output, created_at)
        if output.exists():
            raise BackupFailedError(f"{output} already exists; choose another file or a folder")
        return output

    def _write_backup(
        self, path: Path, revision: str | None, created_at: datetime
    ) -> tuple[BackupManifest, int]:
        kind = self._database.kind
        with archive.scratch_dir(path.parent) as scratch:
            members = {DATABASE_NAMES[kind]: scratch / DATABASE_NAMES[kind]}
            if kind is DatabaseKind.SQLITE:
                databases.dump_sqlite(self._database.sqlite_path, members[DATABASE_NAMES[kind]])
            else:
                databases.dump_postgres(self._database, members[DATABASE_NAMES[kind]])
            if self._settings.secrets_file.is_file():
                members[SECRETS_NAME] = scratch / SECRETS_NAME
                shutil.copyfile(self._settings.secrets_file, members[SECRETS_NAME])
            manifest = BackupManifest(
                medianest_version=__version__,
                schema_revision=revision,
                database=kind,
                created_at=created_at,
                files={name: archive.describe(member) for name, member in members.items()},
            )
            try:
                size = archive.write_archive(path, manifest, members)
            except OSError as exc:
                raise BackupFailedError(f"cannot write {path}: {exc}") from None
        return manifest, size

    async def _live_revision(self) -> str | None:
        try:
            return await revision.current_revision(self._engine)
        except Exception as exc:
            raise BackupFailedError(f"cannot reach the database: {failure_line(exc)}") from None

    # ------------------------------------------------------------------------- verify

    async def verify(self, path: Path) -> Verification:
        """Restore the archive into a scratch database, check it, and record the result in
        the archive's `.verified.json`."""
        try:
            with archive.scratch_dir(path.parent) as scratch:
                manifest = await asyncio.to_thread(archive.extract_archive, path, scratch)
                checks = await self._checks_of_copy(manifest, scratch)
            error = _problem(manifest, checks)
        except OperationError as exc:
            checks, error = None, str(exc)
        verification = Verification(
            ok=error is None, checked_at=utc_now(), error=error, checks=checks
        )
        await asyncio.to_thread(archive.write_verification, path, verification)
        return verification

    async def _checks_of_copy(self, manifest: BackupManifest, scratch: Path) -> DatabaseChecks:
        dump = scratch / DATABASE_NAMES[manifest.database]
        if manifest.database is DatabaseKind.SQLITE:
            return await inspect_database(Database.from_url(f"sqlite+aiosqlite:///{dump}"))
        if self._database.kind is not DatabaseKind.POSTGRESQL:
            raise RestoreRefusedError(
                "a PostgreSQL backup is verified on PostgreSQL: set DATABASE_URL to one"
            )
        name = f"medianest_verify_{uuid.uuid4().hex[:12]}"
        admin = DatabaseAdmin(self._engine)
        try:
            await admin.create_database(name)
        except Exception as exc:
            raise RestoreFailedError(
                f"cannot create a scratch database to verify in: {failure_line(exc)}"
            ) from None
        try:
            scratch_db = self._database.with_name(name)
            await asyncio.to_thread(databases.load_postgres, scratch_db, dump, clean=False)
            return await inspect_database(scratch_db)
        finally:
            await admin.drop_database(name)

    # ------------------------------------------------------------------------ restore

    async def restore(self, path: Path, *, force: bool) -> RestoreResult:
        """Load an archive into this installation's database and data dir, then check it."""
        target = self._database
        with archive.scratch_dir(self._settings.data_dir) as scratch:
            manifest = await asyncio.to_thread(archive.extract_archive, path, scratch)
            if manifest.database is not target.kind:
                raise RestoreRefusedError(
                    f"{path.name} is a {manifest.database} backup but this installation uses "
                    f"{target.kind} (DATABASE_URL); restore it into a {manifest.database} database"
                )
            if not force and await holds_data(target):
                raise RestoreRefusedError(
                    f"the database {_where(target)} already holds data; restore into an empty "
                    "one, or pass --force to replace it"
                )
            dump = scratch / DATABASE_NAMES[manifest.database]
            set_aside = await asyncio.to_thread(self._load, dump)
            set_aside += await asyncio.to_thread(self._restore_secrets, scratch / SECRETS_NAME)
        checks = await inspect_database(target)
        if (problem := _problem(manifest, checks)) is not None:
            raise RestoreFailedError(f"the restored database fails its checks: {problem}")
        return RestoreResult(manifest=manifest, checks=checks, set_aside=set_aside)

    def _load(self, dump: Path) -> list[Path]:
        if self._database.kind is DatabaseKind.POSTGRESQL:
            databases.load_postgres(self._database, dump, clean=True)
            return []
        target = self._database.sqlite_path
        kept = databases.set_sqlite_aside(target)
        databases.load_sqlite(dump, target)
        return kept

    def _restore_secrets(self, archived: Path) -> list[Path]:
        """The data dir's secrets must be the ones the restored data was encrypted with."""
        if not archived.is_file():
            return []
        current = self._settings.secrets_file
        kept = []
        if current.is_file():
            if current.read_bytes() == archived.read_bytes():
                return []
            aside = databases.free_aside_path(current)
            current.replace(aside)
            kept.append(aside)
        current.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archived, current)
        current.chmod(0o600)
        return kept


@asynccontextmanager
async def _connected(database: Database) -> AsyncIterator[AsyncConnection]:
    engine = create_engine(database.async_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


async def inspect_database(database: Database) -> DatabaseChecks:
    try:
        async with _connected(database) as connection:
            inspector = DatabaseInspector(connection)
            return DatabaseChecks(
                integrity=await inspector.integrity(),
                schema_revision=await inspector.revision(),
                row_counts=await inspector.row_counts(MAIN_TABLES),
            )
    except OperationError:
        raise
    except Exception as exc:
        raise RestoreFailedError(
            f"cannot read the restored database: {failure_line(exc)}"
        ) from None


async def holds_data(database: Database) -> bool:
    """Does the database have rows in any main table? A database that was only migrated
    (a server started on it once) holds none and may be restored into."""
    if database.kind is DatabaseKind.SQLITE and not database.sqlite_path.is_file():
        return False
    try:
        async with _connected(database) as connection:
            counts = await DatabaseInspector(connection).row_counts(MAIN_TABLES)
    except Exception as exc:
        raise RestoreRefusedError(
            f"cannot read the database {_where(database)}: {failure_line(exc)}"
        ) from None
    return any(counts.values())


def _problem(manifest: BackupManifest, checks: DatabaseChecks) -> str | None:
    if not checks.ok:
        return f"integrity check: {checks.integrity}"
    if checks.schema_revision != manifest.schema_revision:
        return (
            f"schema revision {checks.schema_revision} differs from the manifest's "
            f"{manifest.schema_revision}"
        )
    return None


def _where(database: Database) -> str:
    if database.kind is DatabaseKind.SQLITE:
        return str(database.sqlite_path)
    return f"{database.name!r} on {database.url.host or 'localhost'}"
