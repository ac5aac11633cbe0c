"""The database steps commands share: secrets checked against it, backups, migrations."""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import typer

from medianest.cli.common import fail, private_data_dir, settings_or_exit
from medianest.db import revision
from medianest.db.engine import create_engine, make_sqlite_file_private
from medianest.kit.logging import mask_url_password
from medianest.operations.errors import OperationError
from medianest.operations.installation import InstallationSecrets, SecretsMismatchError
from medianest.operations.schemas import Verification
from medianest.operations.service.backups import BackupService
from medianest.settings import GENERATED_SECRETS, Settings, ensure_secrets

_T = TypeVar("_T")


def prepare_database(settings: Settings, *, migrate: bool) -> Settings:
    """Secrets generated when missing, the database migrated and its secrets recorded (or
    compared): the settings to run with."""
    missing = [name for name in GENERATED_SECRETS if getattr(settings, name.lower()) is None]
    if missing:
        check_secrets(InstallationSecrets(settings).refuse_missing())
        path, added = ensure_secrets(settings.data_dir)
        if added:
            typer.echo(f"medianest: generated {', '.join(added)} into {path}", err=True)
        settings = settings_or_exit()
    if migrate:
        if _at_head(settings):
            # Alembic stays out of this process (the server): nothing to migrate. A replica
            # that reads an older revision migrates under the migration lock, as before.
            private_data_dir(settings)
            make_sqlite_file_private(settings.sqlalchemy_url)
        else:
            migrate_database(settings)
    check_secrets(InstallationSecrets(settings).record_or_compare())
    return settings


def check_secrets(check: Coroutine[Any, Any, object]) -> None:
    """Run an installation-secrets check; stop with its message when it refuses."""
    try:
        asyncio.run(check)
    except SecretsMismatchError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:
        message = mask_url_password(str(exc).splitlines()[0] if str(exc) else repr(exc))
        raise fail(f"cannot check the secrets against the database: {message}") from None


def _at_head(settings: Settings) -> bool:
    async def read() -> bool:
        engine = create_engine(
            settings.sqlalchemy_url, timeout_seconds=settings.database_timeout_seconds
        )
        try:
            return await revision.at_head(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def migrate_database(settings: Settings, *, backup: bool = True) -> None:
    from medianest.db import migrate as migrations  # Alembic: only in a process that migrates

    private_data_dir(settings)
    if backup:
        _backup_before_migrating(settings)
    try:
        migrations.upgrade(settings.sqlalchemy_url)
    except Exception as exc:
        typer.echo(
            f"medianest: cannot migrate the database: {mask_url_password(str(exc))}", err=True
        )
        raise typer.Exit(code=1) from None


def _backup_before_migrating(settings: Settings) -> None:
    try:
        result = asyncio.run(with_backups(settings, lambda s: s.backup_before_migrating()))
    except OperationError as exc:
        raise fail(
            f"cannot back up the database before migrating it, so nothing was migrated: {exc} "
            "(`medianest migrate --no-backup` skips the backup)"
        ) from None
    if result is not None:
        typer.echo(
            f"medianest: backed up the database (revision {result.manifest.schema_revision}) "
            f"before migrating it: {result.path}; {verification_line(result.verification)}",
            err=True,
        )


async def with_backups(settings: Settings, call: Callable[[BackupService], Awaitable[_T]]) -> _T:
    engine = create_engine(
        settings.sqlalchemy_url, timeout_seconds=settings.database_timeout_seconds
    )
    try:
        return await call(BackupService(settings, engine))
    finally:
        await engine.dispose()


def verification_line(verification: Verification | None) -> str:
    if verification is None:
        return "not verified (--no-verify)"
    if not verification.ok:
        return f"verification FAILED: {verification.error}"
    checks = verification.checks
    counts = ", ".join(f"{n} {table}" for table, n in checks.row_counts.items()) if checks else ""
    return f"verified by a test restore ({counts})"
