"""The `medianest` command line: run, migrate and look after an installation."""

import asyncio
import contextlib
import json
import socket
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from pydantic import ValidationError as PydanticValidationError
from uvicorn.supervisors import Multiprocess

from medianest import __version__, registry
from medianest.app import build_state, close_state, create_app
from medianest.audit.schemas import ClientInfo
from medianest.auth import passwords
from medianest.auth.models import User
from medianest.auth.schemas import AdminBootstrap
from medianest.auth.service import AuthService, auth_config
from medianest.db import migrate as migrations
from medianest.db.engine import create_engine, unit_of_work
from medianest.http.state import AppState
from medianest.kit import datadir
from medianest.kit.clock import utc_now
from medianest.kit.errors import AppError
from medianest.kit.listener import ListenError, listen
from medianest.kit.logging import configure_logging, mask_url_password
from medianest.operations.errors import OperationError
from medianest.operations.installation import InstallationSecrets, SecretsMismatchError, listed
from medianest.operations.schemas import CleanupReport, Verification
from medianest.operations.service import (
    BackupService,
    MaintenanceService,
    backup_check,
    data_since,
    newest_backup,
    recent_errors_check,
    worker_check,
)
from medianest.settings import (
    GENERATED_SECRETS,
    GENERATED_VALUES,
    ConfigurationError,
    Environment,
    Settings,
    ensure_secrets,
    load_settings,
)
from medianest.system.deps import health_service
from medianest.system.schemas import CheckResult
from medianest.system.service import run_doctor
from medianest.workers import run_worker

app = typer.Typer(
    name="medianest",
    help="MediaNest: a self-hosted portal in front of your Plex media stack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        typer.echo(f"medianest: configuration error: {exc}", err=True)
        raise typer.Exit(code=2) from None


def _private_data_dir(settings: Settings) -> None:
    """Create the data dir readable by MediaNest's account only, or make it so (and say so)."""
    was = datadir.make_private_dir(settings.data_dir)
    if was is not None:
        typer.echo(
            f"medianest: made the data dir {settings.data_dir} private (mode 0700, was "
            f"{was:04o}): it holds the database, the secrets and the backups. Keep "
            "YOUTUBE_LIBRARY_DIR outside it when another account (Plex) reads the downloads.",
            err=True,
        )


@contextmanager
def _holding_data_dir(settings: Settings, use: datadir.Use) -> Iterator[None]:
    """The data dir, private, and its lock for the command's lifetime; or exit 1 saying who
    holds it."""
    _private_data_dir(settings)
    try:
        with datadir.held(settings.data_dir, use):
            yield
    except datadir.DataDirBusyError as exc:
        raise _fail(str(exc)) from None


def _configure_logging(settings: Settings) -> None:
    configure_logging(level=settings.log_level, json_output=settings.env is Environment.PRODUCTION)


def _migrate(settings: Settings, *, backup: bool = True) -> None:
    _private_data_dir(settings)
    if backup:
        _backup_before_migrating(settings)
    try:
        migrations.upgrade(settings.sqlalchemy_url)
    except Exception as exc:
        typer.echo(
            f"medianest: cannot migrate the database: {mask_url_password(str(exc))}", err=True
        )
        raise typer.Exit(code=1) from None


MAX_REQUEST_HEAD_BYTES = 64 * 1024
"""Request line plus headers, at most; a bigger head is refused before the app sees it."""


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate: Annotated[bool, typer.Option(help="Apply database migrations first.")] = True,
) -> None:
    """Run the web server: takes the port, creates the data dir and secrets, migrates, then
    serves."""
    settings = _settings()
    _configure_logging(settings)
    try:
        listener = listen(host or settings.host, port or settings.port)
    except ListenError as exc:
        raise _fail(str(exc)) from None
    with listener, _holding_data_dir(settings, datadir.Use.SHARED):
        settings = _prepare_database(settings, migrate=migrate)
        typer.echo(_welcome(settings, listener), err=True)
        _run_server(listener, workers=workers)


def _welcome(settings: Settings, listener: socket.socket) -> str:
    """One line for people among the JSON logs: where MediaNest is, whether it still needs
    its first admin, where the documentation is."""
    url = _address(settings, listener)
    try:
        setup_done = asyncio.run(_setup_done(settings))
    except Exception as exc:
        admin = f"whether an admin exists is unknown ({mask_url_password(str(exc))[:200]})"
    else:
        admin = (
            "an admin exists: sign in there"
            if setup_done
            else "no admin yet: open it in a browser to create one, or run `medianest create-admin`"
        )
    return (
        f"medianest: MediaNest {__version__} is listening on {url}; {admin}; API docs at "
        f"{url}/docs, guides in docs/ of MediaNest's source (start with getting-started.md)"
    )


def _address(settings: Settings, listener: socket.socket) -> str:
    """PUBLIC_URL when it was set, else the address listened on (loopback for 'any')."""
    if "public_url" in settings.model_fields_set:
        return f"{settings.public_url.rstrip('/')}{settings.base_path}"
    host, port = listener.getsockname()[:2]
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 - a comparison
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}{settings.base_path}"


async def _setup_done(settings: Settings) -> bool:
    state = build_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            service = AuthService(session, state.sessionmaker, auth_config(settings), state.mailer)
            return await service.setup_done()
    finally:
        await close_state(state)


def _prepare_database(settings: Settings, *, migrate: bool) -> Settings:
    """Secrets generated when missing, the database migrated and its secrets recorded (or
    compared): the settings to run with."""
    missing = [name for name in GENERATED_SECRETS if getattr(settings, name.lower()) is None]
    if missing:
        _check_secrets(InstallationSecrets(settings).refuse_missing())
        path, added = ensure_secrets(settings.data_dir)
        if added:
            typer.echo(f"medianest: generated {', '.join(added)} into {path}", err=True)
        settings = _settings()
    if migrate:
        _migrate(settings)
    _check_secrets(InstallationSecrets(settings).record_or_compare())
    return settings


def _run_server(listener: socket.socket, *, workers: int) -> None:
    """uvicorn on the socket already bound (as `uvicorn.run` does, minus the binding)."""
    host, port = listener.getsockname()[:2]
    config = uvicorn.Config(
        "medianest.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # the app believes X-Forwarded-* from TRUSTED_PROXIES only
        server_header=False,
        # h11 caps the request line and headers together (httptools takes any size: a
        # 268 MB header grew the process by 120 MB).
        http="h11",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
    )
    if workers > 1:
        Multiprocess(config, sockets=[listener]).run()
        return
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])
    if not server.started:
        raise typer.Exit(code=3)


@app.command()
def worker(
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Jobs at once (default: MAX_CONCURRENT_DOWNLOADS)."),
    ] = None,
) -> None:
    """Run queued jobs (downloads) in this process until stopped (Ctrl-C or SIGTERM).

    Give it the servers' DATABASE_URL and REDIS_URL; it may run on any host that sees the
    YouTube library folder. Without REDIS_URL it shares the SQLite queue in the data dir,
    which only works on the server's own host.
    """
    settings = _settings()
    _configure_logging(settings)
    secrets = InstallationSecrets(settings)
    _check_secrets(secrets.refuse_missing())
    _check_secrets(secrets.record_or_compare())
    if settings.redis_url is None:
        typer.echo("medianest: no REDIS_URL: using the queue in the data dir", err=True)
    with _holding_data_dir(settings, datadir.Use.SHARED):
        run_worker(
            settings, build_state(settings), workers=jobs or settings.max_concurrent_downloads
        )


@app.command()
def migrate(
    backup: Annotated[
        bool, typer.Option(help="Back up an existing database that needs migrating first.")
    ] = True,
) -> None:
    """Apply every pending database migration (after a backup, when there is data)."""
    settings = _settings()
    _configure_logging(settings)
    _migrate(settings, backup=backup)
    typer.echo(f"database is at revision {migrations.head_revision()}")


@app.command("generate-secrets")
def generate_secrets(
    stdout: Annotated[
        bool,
        typer.Option(
            "--stdout",
            help="Print fresh `NAME=value` lines (for a .env or Docker secrets) instead of "
            "writing the data dir's secrets file.",
        ),
    ] = False,
) -> None:
    """Create the secrets MediaNest needs. Existing secrets are kept."""
    if stdout:
        for name, generate in GENERATED_VALUES.items():
            typer.echo(f"{name}={generate()}")
        return
    settings = _settings()
    path, added = ensure_secrets(settings.data_dir)
    if added:
        typer.echo(f"wrote {', '.join(added)} to {path} (mode 0600)")
    else:
        typer.echo(f"{path} already holds every secret; nothing changed")


@app.command("accept-secrets")
def accept_secrets() -> None:
    """Record this environment's JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID as the
    installation's, after replacing them on purpose. Servers and workers refuse to start with
    other ones; sessions signed with the old JWT_SECRET end, and secrets saved with the old
    ENCRYPTION_KEY must be entered again."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    _check_secrets(InstallationSecrets(settings).accept())
    typer.echo(
        f"recorded {listed(GENERATED_SECRETS)} as this installation's: give every server "
        "and worker the same values"
    )


def _check_secrets(check: Coroutine[Any, Any, object]) -> None:
    """Run an installation-secrets check; stop with its message when it refuses."""
    try:
        asyncio.run(check)
    except SecretsMismatchError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:
        message = mask_url_password(str(exc).splitlines()[0] if str(exc) else repr(exc))
        raise _fail(f"cannot check the secrets against the database: {message}") from None


@app.command()
def openapi(
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Print (or write) the OpenAPI description of the API."""
    schema = create_app(_settings()).openapi()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="The admin's email (sign-in name).")],
    name: Annotated[str, typer.Option(prompt=True, help="Display name.")] = "Admin",
    password: Annotated[
        str | None,
        typer.Option(
            help="The admin's password. Prompted for (twice) when not given, and asked again "
            "until it meets the password policy.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create the first admin (only while none exists). Prompts for what is not given."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    if password is None:
        password = _prompt_for_password(email=email, name=name)
    settings = _prepare_database(settings, migrate=True)  # `serve` must accept this database
    try:
        body = AdminBootstrap(email=email, password=password, name=name)
    except PydanticValidationError as exc:
        problem = exc.errors()[0]
        typer.echo(f"medianest: {problem['loc'][0]}: {problem['msg']}", err=True)
        raise typer.Exit(code=2) from None
    try:
        user = asyncio.run(bootstrap_admin(settings, body))
    except AppError as exc:
        typer.echo(f"medianest: {exc.message}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"created admin {user.email} ({user.id})")


def _prompt_for_password(*, email: str, name: str) -> str:
    """Ask until the password meets the policy, saying each time which rules it broke."""
    while True:
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        problems = passwords.policy_violations(password, personal=(email, name))
        if not problems:
            return password
        typer.echo(f"medianest: that password {'; '.join(problems)}. Try another.", err=True)


@app.command()
def doctor() -> None:
    """The daily check: services, schema, disk, the last backup and recent errors. Exits 1
    when something needs attention."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    results = asyncio.run(_doctor(settings))
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        typer.echo(f"[{mark}] {result.name}: {result.detail}")
    if not all(result.ok for result in results):
        raise typer.Exit(code=1)


async def bootstrap_admin(settings: Settings, body: AdminBootstrap) -> User:
    state = build_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            service = AuthService(session, state.sessionmaker, auth_config(settings), state.mailer)
            return await service.bootstrap_admin(
                body, client=ClientInfo(user_agent="medianest create-admin")
            )
    finally:
        await close_state(state)


async def _open_state(settings: Settings) -> AppState:
    """The process's resources with the settings admins saved applied, as a server has them."""
    state = build_state(settings)
    for hook in registry.STARTUP_HOOKS:
        await hook(state)
    return state


async def _doctor(settings: Settings) -> list[CheckResult]:
    state = await _open_state(settings)
    settings = state.settings
    try:
        health = health_service(state)
        results = await run_doctor(
            health, data_dir=settings.data_dir, min_free_disk_bytes=settings.min_free_disk_bytes
        )
        now = utc_now()
        backup = backup_check(
            settings.backup_path,
            max_age_hours=settings.backup_max_age_hours,
            now=now,
            data_since=await data_since(state.sessionmaker),
        )
        return [
            *results,
            backup,
            await recent_errors_check(state.sessionmaker, now=now),
            await worker_check(
                state.sessionmaker, state.cache, shared=state.redis is not None, now=now
            ),
            await InstallationSecrets(settings).check(),
        ]
    finally:
        await close_state(state)


# ------------------------------------------------------------------------ operations


_T = TypeVar("_T")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"medianest: {message}", err=True)
    return typer.Exit(code=1)


def _size(size_bytes: int) -> str:
    return (
        f"{size_bytes / 2**20:.1f} MiB" if size_bytes >= 2**20 else f"{size_bytes / 1024:.1f} KiB"
    )


def _verification_line(verification: Verification | None) -> str:
    if verification is None:
        return "not verified (--no-verify)"
    if not verification.ok:
        return f"verification FAILED: {verification.error}"
    checks = verification.checks
    counts = ", ".join(f"{n} {table}" for table, n in checks.row_counts.items()) if checks else ""
    return f"verified by a test restore ({counts})"


@app.command()
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
    settings = _settings()
    configure_logging(level="error", json_output=False)
    try:
        result = asyncio.run(
            _with_backups(settings, lambda s: s.backup(output=output, verify=verify))
        )
    except OperationError as exc:
        raise _fail(f"backup failed: {exc}") from None
    manifest = result.manifest
    typer.echo(
        f"backed up the {manifest.database} database (revision {manifest.schema_revision})"
        f" to {result.path} ({_size(result.size_bytes)}, {result.seconds:.1f} s, mode 0600)"
    )
    typer.echo(_verification_line(result.verification))
    for pruned in result.pruned:
        typer.echo(
            f"deleted old backup {pruned.name} (BACKUP_RETENTION={settings.backup_retention})"
        )
    if result.verification is not None and not result.verification.ok:
        raise typer.Exit(code=1)


@app.command("verify-backup")
def verify_backup(
    archive: Annotated[
        Path | None, typer.Argument(help="The archive (default: the newest in BACKUP_DIR).")
    ] = None,
) -> None:
    """Restore a backup into a scratch database, check it and record the result."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    if archive is None:
        newest = newest_backup(settings.backup_path)
        if newest is None:
            raise _fail(f"no backup in {settings.backup_path}")
        archive = newest.path
    chosen = archive
    verification = asyncio.run(_with_backups(settings, lambda s: s.verify(chosen)))
    typer.echo(f"{chosen}: {_verification_line(verification)}")
    if not verification.ok:
        raise typer.Exit(code=1)


@app.command()
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
    settings = _settings()
    configure_logging(level="error", json_output=False)
    _private_data_dir(settings)
    try:
        with datadir.held(settings.data_dir, datadir.Use.EXCLUSIVE):
            result = asyncio.run(_with_backups(settings, lambda s: s.restore(archive, force=force)))
    except (OperationError, datadir.DataDirBusyError) as exc:
        raise _fail(f"cannot restore: {exc}") from None
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


cache_app = typer.Typer(help="The shared cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear() -> None:
    """Empty the cache (Redis keys under REDIS_KEY_PREFIX); data is fetched afresh."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    cleared = asyncio.run(_clear_cache(settings))
    if settings.redis_url is None:
        typer.echo(
            f"cleared {cleared} cache entries: without REDIS_URL each server process keeps its "
            "own cache in memory (restart the server to empty it)"
        )
    else:
        typer.echo(f"cleared {cleared} cache entries from Redis")


@app.command()
def cleanup() -> None:
    """Delete what can never be used again: expired sessions and reset links, old error
    reports and service history, partial downloads of dead jobs, backups beyond retention."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
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
        f"({_size(report.partial_download_bytes)})"
    )
    typer.echo(f"backups: deleted {report.backups} beyond the newest {settings.backup_retention}")


def _backup_before_migrating(settings: Settings) -> None:
    try:
        result = asyncio.run(_with_backups(settings, lambda s: s.backup_before_migrating()))
    except OperationError as exc:
        raise _fail(
            f"cannot back up the database before migrating it, so nothing was migrated: {exc} "
            "(`medianest migrate --no-backup` skips the backup)"
        ) from None
    if result is not None:
        typer.echo(
            f"medianest: backed up the database (revision {result.manifest.schema_revision}) "
            f"before migrating it: {result.path}; {_verification_line(result.verification)}",
            err=True,
        )


async def _with_backups(settings: Settings, call: Callable[[BackupService], Awaitable[_T]]) -> _T:
    engine = create_engine(
        settings.sqlalchemy_url, timeout_seconds=settings.database_timeout_seconds
    )
    try:
        return await call(BackupService(settings, engine))
    finally:
        await engine.dispose()


async def _clear_cache(settings: Settings) -> int:
    state = build_state(settings)
    try:
        return await state.cache.clear()
    finally:
        await close_state(state)


async def _cleanup(settings: Settings) -> CleanupReport:
    state = await _open_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            return await MaintenanceService(session, state.settings).cleanup(now=utc_now())
    finally:
        await close_state(state)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"medianest {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """MediaNest: a self-hosted portal in front of your Plex media stack."""


def main() -> None:
    app()
