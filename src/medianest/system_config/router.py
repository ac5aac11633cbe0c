"""Settings admins change from the browser, and connection tests of the services."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from medianest.auth.deps import SIGNED_IN_ERRORS, AdminPrincipal, ClientDep
from medianest.http.deps import StateDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import NotFoundError, ValidationError
from medianest.settings import Settings
from medianest.system_config.deps import SettingsServiceDep
from medianest.system_config.runtime import apply, publish_settings_changed
from medianest.system_config.schemas import (
    ServiceName,
    ServiceTestRead,
    SettingsRead,
    SettingsUpdate,
)
from medianest.system_config.service import candidate_for_test, try_connection

router = APIRouter(prefix="/admin/settings", tags=["admin"], responses=SIGNED_IN_ERRORS)


@router.get("")
async def read_settings(
    _admin: AdminPrincipal, settings: SettingsServiceDep
) -> Envelope[SettingsRead]:
    """Plex, Overseerr, YouTube, mail and rate limits as in use, each with its source:
    saved here (`database`), `environment` or `default`. Secrets only say whether set."""
    return ok(await settings.view())


@router.put("", responses=error_responses(ValidationError))
async def update_settings(
    body: SettingsUpdate,
    admin: AdminPrincipal,
    settings: SettingsServiceDep,
    state: StateDep,
    client: ClientDep,
) -> Envelope[SettingsRead]:
    """Change some settings (only the keys sent); `null` goes back to the environment's
    value. Checked by the same rules as the environment, all or nothing; service addresses
    may be on the home network but never link-local or cloud metadata. Every process uses
    the new values within moments, without a restart. Audited as `settings.updated`."""

    async def take_effect(effective: Settings) -> None:
        apply(state, effective)
        await publish_settings_changed(state)

    view = await settings.update(body, actor_id=admin.user.id, client=client, on_saved=take_effect)
    return ok(view)


@router.post("/{service}/test", responses=error_responses(NotFoundError, ValidationError))
async def try_service_connection(
    service: Annotated[str, Path(description="`plex`, `overseerr` or `mail`.")],
    _admin: AdminPrincipal,
    state: StateDep,
    body: Annotated[
        dict[str, Any] | None,
        Body(
            description="Values to try instead of the settings in use, with the keys of the "
            "service's section (`url`, `token`, `apiKey`, `host`, `port`...). Nothing is saved. "
            "A stored token, API key or password is only sent to the server it was saved for: "
            "to try another `url` (or mail `host`/`port`), send its secret too (else 400)."
        ),
    ] = None,
) -> Envelope[ServiceTestRead]:
    """Try to reach the service. Answers 200 whether or not it worked: `ok`, a message
    saying what happened, and how long it took."""
    try:
        name = ServiceName(service)
    except ValueError:
        raise NotFoundError(
            "There is a connection test for plex, overseerr and mail only."
        ) from None
    candidate = await candidate_for_test(state.settings, name, body)
    return ok(await try_connection(name, candidate))
