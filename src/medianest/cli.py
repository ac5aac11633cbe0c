"""The `medianest` command line: run, migrate and look after an installation."""

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError as PydanticValidationError

from medianest import __version__
from medianest.app import build_state, close_state, create_app
from medianest.audit.schemas import ClientInfo
from medianest.auth.models import User
from medianest.auth.schemas import AdminBootstrap
from medianest.auth.service import AuthService, auth_config
from medianest.db import migrate as migrations
from medianest.db.engine import unit_of_work
from medianest.kit.errors import AppError
from medianest.kit.logging import configure_logging, mask_url_password
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


def _configure_logging(settings: Settings) -> None:
    configure_logging(level=settings.log_level, json_output=settings.env is Environment.PRODUCTION)


def _migrate(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        migrations.upgrade(settings.sqlalchemy_url)
    except Exception as exc:
        typer.echo(
            f"medianest: cannot migrate the database: {mask_url_password(str(exc))}", err=True
        )
        raise typer.Exit(code=1) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate: Annotated[bool, typer.Option(help="Apply database migrations first.")] = True,
) -> None:
    """Run the web server: creates the data dir and secrets, migrates, then serves."""
    settings = _settings()
    _configure_logging(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    missing = [name for name in GENERATED_SECRETS if getattr(settings, name.lower()) is None]
    if missing:
        path, added = ensure_secrets(settings.data_dir)
        if added:
            typer.echo(f"medianest: generated {', '.join(added)} into {path}", err=True)
        settings = _settings()
    if migrate:
        _migrate(settings)
    uvicorn.run(
        "medianest.app:create_app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
    )


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
    if settings.redis_url is None:
        typer.echo("medianest: no REDIS_URL: using the queue in the data dir", err=True)
    run_worker(settings, build_state(settings), workers=jobs or settings.max_concurrent_downloads)


@app.command()
def migrate() -> None:
    """Apply every pending database migration."""
    settings = _settings()
    _configure_logging(settings)
    _migrate(settings)
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
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="The admin's password."
        ),
    ],
    name: Annotated[str, typer.Option(prompt=True, help="Display name.")] = "Admin",
) -> None:
    """Create the first admin (only while none exists). Prompts for what is not given."""
    settings = _settings()
    configure_logging(level="error", json_output=False)
    _migrate(settings)
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


@app.command()
def doctor() -> None:
    """The daily check: database, Redis, data dir and free disk. Exits 1 on a problem."""
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


async def _doctor(settings: Settings) -> list[CheckResult]:
    state = build_state(settings)
    try:
        health = health_service(state)
        return await run_doctor(
            health, data_dir=settings.data_dir, min_free_disk_bytes=settings.min_free_disk_bytes
        )
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
