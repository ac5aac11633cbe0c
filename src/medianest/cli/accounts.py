"""`create-admin`: the first admin, from a shell."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from medianest.auth.models import User
    from medianest.auth.schemas import AdminBootstrap
    from medianest.settings import Settings


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
    from pydantic import ValidationError

    from medianest.auth.schemas import AdminBootstrap
    from medianest.cli.common import log_errors_only, settings_or_exit
    from medianest.cli.database import prepare_database
    from medianest.kit.errors import AppError

    settings = settings_or_exit()
    log_errors_only()
    if password is None:
        password = _prompt_for_password(email=email, name=name)
    settings = prepare_database(settings, migrate=True)  # `serve` must accept this database
    try:
        body = AdminBootstrap(email=email, password=password, name=name)
    except ValidationError as exc:
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
    from medianest.auth import passwords

    while True:
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        problems = passwords.policy_violations(password, personal=(email, name))
        if not problems:
            return password
        typer.echo(f"medianest: that password {'; '.join(problems)}. Try another.", err=True)


async def bootstrap_admin(settings: Settings, body: AdminBootstrap) -> User:
    from medianest.audit.schemas import ClientInfo
    from medianest.auth.wiring import account_service
    from medianest.db.engine import unit_of_work
    from medianest.runtime.build import build_state, close_state

    state = build_state(settings)
    try:
        async with unit_of_work(state.sessionmaker) as session:
            return await account_service(session, state).bootstrap_admin(
                body, client=ClientInfo(user_agent="medianest create-admin")
            )
    finally:
        await close_state(state)
