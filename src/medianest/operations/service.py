"""The runbook as code: back up, verify, restore, clean up, and the daily check's backup and
error figures. Blocking work (dumps, archives, copies) runs in threads, so a server taking
its scheduled backup keeps answering."""

import asyncio
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from medianest import __version__
from medianest.cache.cache import Cache
from medianest.db import migrate
from medianest.db.engine import create_engine, read_only_session
from medianest.integrations.ytdlp.paths import INCOMPLETE_DIR_NAME
from medianest.jobs.heartbeat import last_beat
from medianest.kit.clock import utc_now
from medianest.kit.logging import mask_url_password
from medianest.monitoring.service import ServiceStatusService
from medianest.operations import archive, databases
from medianest.operations.archive import DATABASE_NAMES, SECRETS_NAME
from medianest.operations.databases import Database
from medianest.operations.errors import (
    BackupFailedError,
    OperationError,
    RestoreFailedError,
    RestoreRefusedError,
)
from medianest.operations.repository import (
    DatabaseAdmin,
    DatabaseInspector,
    MaintenanceRepository,
)
from medianest.operations.schemas import (
    MAIN_TABLES,
    BackupManifest,
    BackupResult,
    CleanupReport,
    DatabaseChecks,
    DatabaseKind,
    RestoreResult,
    Verification,
)
from medianest.settings import Settings
from medianest.system.schemas import CheckResult

RECENT_ERRORS_HOURS = 24
RECENT_SERVER_ERRORS_LIMIT = 10
STALE_QUEUE_HOURS = 1.0
"""Without Redis the server runs downloads itself: one waiting this long means it is not."""
"""The daily check flags more unexpected server errors than this in the last 24 hours: a few
are noise (a client hanging up), a steady stream means something is broken."""


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
            current = await migrate.current_revision(self._engine)
        except Exception:  # unreachable or unreadable: the migration reports it
            return None
        if current is None or current == migrate.head_revision():
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
            return await migrate.current_revision(self._engine)
        except Exception as exc:
            raise BackupFailedError(
                f"cannot reach the database: {mask_url_password(_first_line(exc))}"
            ) from None

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
                f"cannot create a scratch database to verify in: {_first_line(exc)}"
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


# ---------------------------------------------------------------------- checks of a database


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
            f"cannot read the restored database: {mask_url_password(_first_line(exc))}"
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
            f"cannot read the database {_where(database)}: {mask_url_password(_first_line(exc))}"
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


def _first_line(exc: BaseException) -> str:
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    lines = str(root).strip().splitlines()
    return f"{type(root).__name__}: {lines[0]}" if lines else type(root).__name__


# ----------------------------------------------------------------------------- doctor


@dataclass(frozen=True, slots=True)
class NewestBackup:
    path: Path
    created_at: datetime
    verification: Verification | None


def newest_backup(folder: Path) -> NewestBackup | None:
    found = archive.list_backups(folder)
    if not found:
        return None
    path = found[-1]
    created_at = archive.archive_created_at(path)
    assert created_at is not None  # noqa: S101 - list_backups matched the name
    return NewestBackup(path, created_at, archive.read_verification(path))


def newest_backup_age(folder: Path, now: datetime) -> timedelta | None:
    newest = newest_backup(folder)
    return None if newest is None else now - newest.created_at


def backup_check(
    folder: Path, *, max_age_hours: float, now: datetime, data_since: datetime | None
) -> CheckResult:
    """The newest backup must exist, be young enough, and have passed verification.

    `data_since` (when the first account was made; None: no account yet) gives a new
    installation its grace period: no backup is missing while its data is younger than
    BACKUP_MAX_AGE_HOURS, the same age the newest backup may have.
    """
    newest = newest_backup(folder)
    if newest is None:
        return _no_backup_yet(folder, max_age_hours=max_age_hours, now=now, data_since=data_since)
    hours = (now - newest.created_at).total_seconds() / 3600
    described = f"{newest.path.name}, {hours:.1f} h old"
    verification = newest.verification
    if verification is None:
        detail = f"{described}, not verified: run `medianest verify-backup`"
        return CheckResult(name="backup", ok=False, detail=detail)
    if not verification.ok:
        detail = f"{described}, FAILED verification: {verification.error}"
        return CheckResult(name="backup", ok=False, detail=detail)
    if hours > max_age_hours:
        detail = f"{described}: older than {max_age_hours:g} h (BACKUP_MAX_AGE_HOURS)"
        return CheckResult(name="backup", ok=False, detail=detail)
    return CheckResult(
        name="backup",
        ok=True,
        detail=f"{described}, verified {verification.checked_at:%Y-%m-%d %H:%M} UTC",
    )


def _no_backup_yet(
    folder: Path, *, max_age_hours: float, now: datetime, data_since: datetime | None
) -> CheckResult:
    if data_since is None:
        detail = (
            f"no backup yet in {folder}, and nothing to lose: no account exists yet (a running "
            "server takes the first backup within the hour)"
        )
        return CheckResult(name="backup", ok=True, detail=detail)
    hours = (now - data_since).total_seconds() / 3600
    if hours <= max_age_hours:
        detail = (
            f"no backup yet in {folder}; the first account is {hours:.1f} h old, within the "
            f"{max_age_hours:g} h a backup may be old (BACKUP_MAX_AGE_HOURS): a running server "
            "takes the first one within the hour, or run `medianest backup`"
        )
        return CheckResult(name="backup", ok=True, detail=detail)
    detail = (
        f"no backup yet in {folder}, and the first account is {hours:.1f} h old (more than "
        f"BACKUP_MAX_AGE_HOURS={max_age_hours:g}): run `medianest backup`"
    )
    return CheckResult(name="backup", ok=False, detail=detail)


async def data_since(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """When the installation's first account was made (None: none yet). A database that
    cannot be read counts as holding old data, so the backup check stays strict."""
    try:
        async with read_only_session(sessionmaker) as session:
            return await MaintenanceRepository(session).first_account_created_at()
    except Exception:  # the database check reports why
        return datetime.min.replace(tzinfo=UTC)


async def worker_check(
    sessionmaker: async_sessionmaker[AsyncSession], cache: Cache, *, shared: bool, now: datetime
) -> CheckResult:
    """Will queued downloads run? With Redis a `medianest worker` (or a server with
    EMBEDDED_WORKER=true) must be beating; without it the server runs them itself, so only
    downloads left waiting for an hour say the server is not running. `shared`: the cache
    is Redis, where every worker's heartbeat is."""
    try:
        async with read_only_session(sessionmaker) as session:
            waiting, oldest = await ServiceStatusService(session).queue_backlog()
        heartbeat = await last_beat(cache) if shared else None
    except Exception as exc:
        detail = f"cannot read the queue: {mask_url_password(_first_line(exc))}"
        return CheckResult(name="worker", ok=False, detail=detail)
    backlog = f"{waiting} download(s) waiting"
    if not shared:
        age_hours = 0.0 if oldest is None else (now - oldest).total_seconds() / 3600
        if age_hours >= STALE_QUEUE_HOURS:
            detail = f"{backlog}, the oldest for {age_hours:.1f} h: is `medianest serve` running?"
            return CheckResult(name="worker", ok=False, detail=detail)
        return CheckResult(name="worker", ok=True, detail=f"{backlog}; run by `medianest serve`")
    if heartbeat is None:
        detail = (
            f"{backlog} and no worker has reported in: run `medianest worker` "
            "(or set EMBEDDED_WORKER=true on a server)"
        )
        return CheckResult(name="worker", ok=False, detail=detail)
    return CheckResult(name="worker", ok=True, detail=f"{backlog}; worker {heartbeat.worker}")


async def recent_errors_check(
    sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime
) -> CheckResult:
    """Unexpected server errors recorded in the last day (browser reports are shown too)."""
    since = now - timedelta(hours=RECENT_ERRORS_HOURS)
    try:
        async with read_only_session(sessionmaker) as session:
            repository = MaintenanceRepository(session)
            server = await repository.count_error_reports_since(since, source="server")
            client = await repository.count_error_reports_since(since, source="client")
    except Exception as exc:
        detail = f"cannot read error reports: {mask_url_password(_first_line(exc))}"
        return CheckResult(name="errors", ok=False, detail=detail)
    detail = (
        f"{server} unexpected server errors and {client} browser reports in the last "
        f"{RECENT_ERRORS_HOURS} h"
    )
    if server > RECENT_SERVER_ERRORS_LIMIT:
        detail += f" (more than {RECENT_SERVER_ERRORS_LIMIT}: see GET /api/v1/errors/recent)"
    return CheckResult(name="errors", ok=server <= RECENT_SERVER_ERRORS_LIMIT, detail=detail)


# ---------------------------------------------------------------------------- cleanup


class MaintenanceService:
    """`medianest cleanup`: forget what can never be used again. The caller commits."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self._session = session
        self._settings = settings
        self._repository = MaintenanceRepository(session)

    async def cleanup(self, *, now: datetime) -> CleanupReport:
        settings = self._settings
        sessions = await self._repository.delete_finished_sessions(now)
        tokens = await self._repository.delete_finished_reset_tokens(now)
        reports = await self._repository.delete_error_reports_before(
            now - timedelta(days=settings.error_report_retention_days)
        )
        checks = await ServiceStatusService(self._session).forget_checks_before(
            now - timedelta(days=settings.service_history_days)
        )
        folders, freed = await self._remove_partial_downloads()
        backups = await asyncio.to_thread(
            archive.prune, settings.backup_path, settings.backup_retention
        )
        return CleanupReport(
            sessions=sessions,
            password_reset_tokens=tokens,
            error_reports=reports,
            service_checks=checks,
            partial_downloads=folders,
            partial_download_bytes=freed,
            backups=len(backups),
        )

    @property
    def incomplete_dir(self) -> Path:
        return self._settings.youtube_library_path / INCOMPLETE_DIR_NAME

    async def _remove_partial_downloads(self) -> tuple[int, int]:
        """Work folders `<library>/.incomplete/<download id>` of jobs no longer queued or
        running: what a killed worker or a crash left behind."""
        folders = _download_folders(self.incomplete_dir)
        active = await self._repository.active_download_ids(folders)
        removed = freed = 0
        for download_id, folder in folders.items():
            if download_id in active:
                continue
            freed += await asyncio.to_thread(_remove_tree, folder)
            removed += 1
        return removed, freed


def _download_folders(parent: Path) -> dict[uuid.UUID, Path]:
    if not parent.is_dir():
        return {}
    folders = {}
    for path in parent.iterdir():
        try:
            download_id = uuid.UUID(path.name)
        except ValueError:
            continue  # not a job's folder: not ours to delete
        if path.is_dir() and not path.is_symlink():
            folders[download_id] = path
    return folders


def _remove_tree(folder: Path) -> int:
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return size
