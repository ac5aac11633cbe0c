"""The `medianest` command line: run, migrate and look after an installation.

Start-up time matters here (`--help` and `--version` answer at once, `doctor` and `backup` do
not load the web app): the command modules import at their top only what declaring the
commands needs, and each command imports what it uses when it runs.
"""

from typing import Annotated

import typer

from medianest import __version__
from medianest.cli import accounts, operations, secrets, server

app = typer.Typer(
    name="medianest",
    help="MediaNest: a self-hosted portal in front of your Plex media stack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(server.serve)
app.command()(server.worker)
app.command()(server.migrate)
app.command("generate-secrets")(secrets.generate_secrets)
app.command("accept-secrets")(secrets.accept_secrets)
app.command()(server.openapi)
app.command("create-admin")(accounts.create_admin)
app.command()(operations.doctor)
app.command()(operations.backup)
app.command("verify-backup")(operations.verify_backup)
app.command()(operations.restore)
app.command()(operations.cleanup)

cache_app = typer.Typer(help="The shared cache.", no_args_is_help=True)
cache_app.command("clear")(operations.cache_clear)
app.add_typer(cache_app, name="cache")


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
