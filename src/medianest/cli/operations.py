"""Looking after an installation: `doctor`, backups, `cleanup` and `cache clear`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from medianest.operations.schemas import CleanupReport
    from medianest.runtime.state import AppState
    from medianest.settings import Settings
    from medianest.system.schemas import CheckResult


def doctor() -> None:
    """The daily check: services, schema, disk, the last backup and recent errors. Exits 1
    when something needs attention."""
    from medianest.cli.common import log_errors_only, settings_or_exit

    settings = settings_or_exit()
    log_errors_only()
    results = asyncio.run(_doctor(settings))
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        typer.echo(f"[{mark}] {result.name}: {result.detail}")
    if not all(result.ok for result in results):
        raise typer.Exit(code=1)


async def _open_state(settings: Settings) -> AppState:
    """The process's resources with the settings admins saved applied, as a server has them."""
    from medianest.runtime.build import build_state
    from medianest.system_config.tasks import load_stored_settings

    state = build_state(settings)
    await load_stored_settings(state)
    return state


async def _doctor(settings: Settings) -> list[CheckResult]:
    from medianest.operations.wiring import doctor_service
    from medianest.runtime.build import close_state

    state = await _open_state(settings)
    try:
        return await doctor_service(state).run()
    finally:
        await close_state(state)


def backup(
    output: Annotated[
        Path | None,
        typer.Option(help="Archive file or folder to write (default: BACKUP_DIR, with retention)."),
    ] = None,
    verify: Annotated[
        bool, typer.Option(help="Check the archive by restoring it into a scratch database.")
    ] = True,
) -> None:
    """Back up the database, configuration and secrets into one archive, while MediaNest runs."""
    from medianest.cli.common import fail, log_errors_only, settings_or_exit, size_text
    from medianest.cli.database import verification_line, with_backups
    from medianest.operations.errors import OperationError

    settings = settings_or_exit()
    log_errors_only()
    try:
        result = asyncio.run(
            with_backups(settings, lambda s: s.backup(output=output, verify=verify))
        )
    except OperationError as exc:
        raise fail(f"backup failed: {exc}") from None
    manifest = result.manifest
    typer.echo(
        f"backed up the {manifest.database} database (revision {manifest.schema_revision})"
        f" to {result.path} ({size_text(result.size_bytes)}, {result.seconds:.1f} s, mode 0600)"
    )
    typer.echo(verification_line(result.verification))
    for pruned in result.pruned:
        typer.echo(
            f"deleted old backup {pruned.name} (BACKUP_RETENTION={settings.backup_retention})"
        )
    if result.verification is not None and not result.verification.ok:
        raise typer.Exit(code=1)


def verify_backup(
    archive: Annotated[
        Path | None, typer.Argument(help="The archive (default: the newest in BACKUP_DIR).")
    ] = None,
) -> None:
    """Restore a backup into a scratch database, check it and record the result."""
    from medianest.cli.common import fail, log_errors_only, settings_or_exit
    from medianest.cli.database import verification_line, with_backups
    from medianest.operations.archive import newest_backup

    settings = settings_or_exit()
    log_errors_only()
    if archive is None:
        newest = newest_backup(settings.backup_path)
        if newest is None:
            raise fail(f"no backup in {settings.backup_path}")
        archive = newest.path
    chosen = archive
    verification = asyncio.run(with_backups(settings, lambda s: s.verify(chosen)))
    typer.echo(f"{chosen}: {verification_line(verification)}")
    if not verification.ok:
        raise typer.Exit(code=1)


def restore(
    archive: Annotated[Path, typer.Argument(help="A `medianest backup` archive.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace existing data (SQLite keeps the old file as *.before-restore)."
        ),
    ] = False,
) -> None:
    """Restore a backup into an empty database and data dir (or over them with --force). Stop
    MediaNest first (a server or worker on this data dir makes it refuse); start it again
    afterwards."""
    from medianest.cli.common import fail, log_errors_only, private_data_dir, settings_or_exit
    from medianest.cli.database import with_backups
    from medianest.kit import datadir
    from medianest.operations.errors import OperationError

    settings = settings_or_exit()
    log_errors_only()
    private_data_dir(settings)
    try:
        with datadir.held(settings.data_dir, datadir.Use.EXCLUSIVE):
            result = asyncio.run(with_backups(settings, lambda s: s.restore(archive, force=force)))
    except (OperationError, datadir.DataDirBusyError) as exc:
        raise fail(f"cannot restore: {exc}") from None
    manifest = result.manifest
    typer.echo(
        f"restored {archive.name} (taken {manifest.created_at:%Y-%m-%d %H:%M} UTC by MediaNest "
        f"{manifest.medianest_version})"
    )
    for path in result.set_aside:
        typer.echo(f"kept the replaced {path.name.split('.before-restore')[0]} as {path}")
    checks = result.checks
    typer.echo(f"[ok  ] integrity: {checks.integrity}")
    typer.echo(f"[ok  ] schema: at revision {checks.schema_revision}")
    for table, count in checks.row_counts.items():
        typer.echo(f"[ok  ] {table}: {count} rows")


def cache_clear() -> None:
    """Empty the cache (Redis keys under REDIS_KEY_PREFIX); data is fetched afresh."""
    from medianest.cli.common import log_errors_only, settings_or_exit

    settings = settings_or_exit()
    log_errors_only()
    cleared = asyncio.run(_clear_cache(settings))
    if settings.redis_url is None:
        typer.echo(
            f"cleared {cleared} cache entries: without REDIS_URL each server process keeps its "
            "own cache in memory (restart the server to empty it)"
        )
    else:
        typer.echo(f"cleared {cleared} cache entries from Redis")


def cleanup() -> None:
    """Delete what can never be used again: expired sessions and reset links, old error
    reports and service history, partial downloads of dead jobs, backups beyond retention."""
    from medianest.cli.common import log_errors_only, settings_or_exit, size_text

    settings = settings_or_exit()
    log_errors_only()
    report = asyncio.run(_cleanup(settings))
    typer.echo(f"sessions: deleted {report.sessions} expired or signed out")
    typer.echo(f"password reset links: deleted {report.password_reset_tokens} expired or used")
    typer.echo(
        f"error reports: deleted {report.error_reports} older than "
        f"{settings.error_report_retention_days} days"
    )
    typer.echo(
        f"service checks: deleted {report.service_checks} older than "
        f"{settings.service_history_days} days"
    )
    typer.echo(
        f"partial downloads: removed {report.partial_downloads} folders "
        f"({size_text(report.partial_download_bytes)})"
    )
    typer.echo(f"backups: deleted {report.backups} beyond the newest {settings.backup_retention}")


async def _clear_cache(settings: Settings) -> int:
    from medianest.runtime.build import build_state, close_state

    state = build_state(settings)
    try:
        return await state.cache.clear()
    finally:
        await close_state(state)


async def _cleanup(settings: Settings) -> CleanupReport:
    from medianest.db.engine import unit_of_work
    from medianest.kit.clock import utc_now
    from medianest.operations.service.maintenance import MaintenanceService
    from medianest.runtime.build import close_state

    state = await _open_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            return await MaintenanceService(session, state.settings).cleanup(now=utc_now())
    finally:
        await close_state(state)
