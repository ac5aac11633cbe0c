"""What every command shares: the settings, failing with a message, the data dir."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from medianest.kit import datadir
from medianest.kit.logging import configure_logging
from medianest.settings import ConfigurationError, Environment, Settings, load_settings


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        typer.echo(f"medianest: configuration error: {exc}", err=True)
        raise typer.Exit(code=2) from None


def fail(message: str) -> typer.Exit:
    typer.echo(f"medianest: {message}", err=True)
    return typer.Exit(code=1)


def log_as_a_service(settings: Settings) -> None:
    configure_logging(level=settings.log_level, json_output=settings.env is Environment.PRODUCTION)


def log_errors_only() -> None:
    """For one-shot commands: their own lines are the output; logs only when something fails."""
    configure_logging(level="error", json_output=False)


def private_data_dir(settings: Settings) -> None:
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
def holding_data_dir(settings: Settings, use: datadir.Use) -> Iterator[None]:
    """The data dir, private, and its lock for the command's lifetime; or exit 1 saying who
    holds it."""
    private_data_dir(settings)
    try:
        with datadir.held(settings.data_dir, use):
            yield
    except datadir.DataDirBusyError as exc:
        raise fail(str(exc)) from None


def size_text(size_bytes: int) -> str:
    return (
        f"{size_bytes / 2**20:.1f} MiB" if size_bytes >= 2**20 else f"{size_bytes / 1024:.1f} KiB"
    )
