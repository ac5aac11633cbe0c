"""`serve`, `worker`, `migrate` and `openapi`: running MediaNest and describing its API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medianest import __version__

if TYPE_CHECKING:
    from medianest.settings import Settings


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate: Annotated[bool, typer.Option(help="Apply database migrations first.")] = True,
) -> None:
    """Run the web server: takes the port, creates the data dir and secrets, migrates, then
    serves."""
    from medianest.cli.common import fail, holding_data_dir, log_as_a_service, settings_or_exit
    from medianest.cli.database import prepare_database
    from medianest.kit import datadir
    from medianest.kit.listener import ListenError, listen
    from medianest.kit.memory import limit_malloc_arenas

    limit_malloc_arenas()  # before the threads that would each get an arena
    settings = settings_or_exit()
    log_as_a_service(settings)
    try:
        listener = listen(host or settings.host, port or settings.port)
    except ListenError as exc:
        raise fail(str(exc)) from None
    with listener, holding_data_dir(settings, datadir.Use.SHARED):
        settings = prepare_database(settings, migrate=migrate)
        typer.echo(_welcome(settings, listener), err=True)
        _run_server(listener, workers=workers)


def _welcome(settings: Settings, listener: socket.socket) -> str:
    """One line for people among the JSON logs: where MediaNest is, whether it still needs
    its first admin, where the documentation is."""
    from medianest.kit.logging import mask_url_password

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
    from medianest.auth.wiring import account_service
    from medianest.db.engine import unit_of_work
    from medianest.runtime.build import build_state, close_state

    state = build_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            return await account_service(session, state).setup_done()
    finally:
        await close_state(state)


def _run_server(listener: socket.socket, *, workers: int) -> None:
    """uvicorn on the socket already bound (as `uvicorn.run` does, minus the binding)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from medianest.cli.http_protocol import HeadLimitedHttpToolsProtocol

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
        # httptools, with the cap on the request line and headers that h11 had built in.
        http=HeadLimitedHttpToolsProtocol,
    )
    if workers > 1:
        Multiprocess(config, sockets=[listener]).run()
        return
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])
    if not server.started:
        raise typer.Exit(code=3)


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
    from medianest.cli.common import holding_data_dir, log_as_a_service, settings_or_exit
    from medianest.cli.database import check_secrets
    from medianest.kit import datadir
    from medianest.operations.installation import InstallationSecrets
    from medianest.runtime.build import build_state
    from medianest.workers import run_worker

    settings = settings_or_exit()
    log_as_a_service(settings)
    secrets = InstallationSecrets(settings)
    check_secrets(secrets.refuse_missing())
    check_secrets(secrets.record_or_compare())
    if settings.redis_url is None:
        typer.echo("medianest: no REDIS_URL: using the queue in the data dir", err=True)
    with holding_data_dir(settings, datadir.Use.SHARED):
        run_worker(
            settings, build_state(settings), workers=jobs or settings.max_concurrent_downloads
        )


def migrate(
    backup: Annotated[
        bool, typer.Option(help="Back up an existing database that needs migrating first.")
    ] = True,
) -> None:
    """Apply every pending database migration (after a backup, when there is data)."""
    from medianest.cli.common import log_as_a_service, settings_or_exit
    from medianest.cli.database import migrate_database
    from medianest.db import migrate as migrations

    settings = settings_or_exit()
    log_as_a_service(settings)
    migrate_database(settings, backup=backup)
    typer.echo(f"database is at revision {migrations.head_revision()}")


def openapi(
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Print (or write) the OpenAPI description of the API."""
    from medianest.app import create_app
    from medianest.cli.common import settings_or_exit

    schema = create_app(settings_or_exit()).openapi()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
