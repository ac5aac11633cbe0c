"""`generate-secrets` and `accept-secrets`: the values every process of an installation shares."""

from typing import Annotated

import typer


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
    from medianest.cli.common import settings_or_exit
    from medianest.settings import GENERATED_VALUES, ensure_secrets

    if stdout:
        for name, generate in GENERATED_VALUES.items():
            typer.echo(f"{name}={generate()}")
        return
    settings = settings_or_exit()
    path, added = ensure_secrets(settings.data_dir)
    if added:
        typer.echo(f"wrote {', '.join(added)} to {path} (mode 0600)")
    else:
        typer.echo(f"{path} already holds every secret; nothing changed")


def accept_secrets() -> None:
    """Record this environment's JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID as the
    installation's, after replacing them on purpose. Servers and workers refuse to start with
    other ones; sessions signed with the old JWT_SECRET end, and secrets saved with the old
    ENCRYPTION_KEY must be entered again."""
    from medianest.cli.common import log_errors_only, settings_or_exit
    from medianest.cli.database import check_secrets
    from medianest.operations.installation import InstallationSecrets, listed
    from medianest.settings import GENERATED_SECRETS

    settings = settings_or_exit()
    log_errors_only()
    check_secrets(InstallationSecrets(settings).accept())
    typer.echo(
        f"recorded {listed(GENERATED_SECRETS)} as this installation's: give every server "
        "and worker the same values"
    )
