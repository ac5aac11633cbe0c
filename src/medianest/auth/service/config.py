"""What the auth services need to know of the installation, and what anyone may know of it."""

from dataclasses import dataclass
from datetime import timedelta

from medianest.auth.schemas import ConfiguredServices, PublicInfoRead, SignInMethods
from medianest.integrations.overseerr.client import OverseerrConfig
from medianest.integrations.plex.client import PlexServerConfig
from medianest.integrations.smtp.schemas import SmtpConfig
from medianest.settings import Settings


@dataclass(frozen=True, slots=True)
class AuthConfig:
    secret: str
    access_lifetime: timedelta
    idle_lifetime: timedelta
    public_base: str
    """Where users reach the app (PUBLIC_URL + BASE_PATH), for links in mails."""


def auth_config(settings: Settings) -> AuthConfig:
    """The auth part of `settings`, made once per settings object: every signed-in request
    asks for it. Settings are frozen; a change made at run time (`PUT /admin/settings`)
    replaces the object, so the next call makes the new config."""
    made = _made_for.get(id(settings))
    if made is not None and made[0] is settings:
        return made[1]
    config = _make_auth_config(settings)
    _made_for.clear()  # one installation's settings: only the latest object is asked for
    _made_for[id(settings)] = (settings, config)
    return config


_made_for: dict[int, tuple[Settings, AuthConfig]] = {}


def _make_auth_config(settings: Settings) -> AuthConfig:
    if settings.jwt_secret is None:  # the CLI and create_app refuse to run without one
        raise RuntimeError("JWT_SECRET is not configured")
    return AuthConfig(
        secret=settings.jwt_secret.get_secret_value(),
        access_lifetime=timedelta(minutes=settings.access_token_minutes),
        idle_lifetime=timedelta(days=settings.session_idle_days),
        public_base=settings.public_url + settings.base_path,
    )


def public_info(settings: Settings, *, setup_done: bool, version: str) -> PublicInfoRead:
    """What anyone may know of this installation: no address, token or secret."""
    plex = PlexServerConfig.from_settings(settings) is not None
    return PublicInfoRead(
        title=settings.app_title,
        version=version,
        setup_done=setup_done,
        sign_in_methods=SignInMethods(
            password=True,
            plex=plex
            and settings.plex_client_id is not None
            and settings.encryption_key is not None,
        ),
        services=ConfiguredServices(
            plex=plex,
            overseerr=OverseerrConfig.from_settings(settings) is not None,
            youtube=True,
            mail=SmtpConfig.from_settings(settings) is not None,
        ),
        base_path=settings.base_path,
    )
