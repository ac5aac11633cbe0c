"""Which settings admins may change from the browser, and the wire shapes of that API."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Final, Generic, TypeVar

from pydantic import ConfigDict, Field, StringConstraints

from medianest.kit.schemas import CamelModel, SafeStr
from medianest.settings import SmtpSecurity, YoutubeQuality

SETTINGS_CHANNEL = "system-config"
"""The pub/sub channel that tells every process to reload the stored settings."""


class SettingSource(StrEnum):
    DATABASE = "database"
    ENVIRONMENT = "environment"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Editable:
    """One setting on the settings page: its `section.key` and the `Settings` field."""

    section: str
    key: str
    field: str
    secret: bool = False

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


EDITABLE: Final = (
    Editable("plex", "url", "plex_url"),
    Editable("plex", "token", "plex_token", secret=True),
    Editable("overseerr", "url", "overseerr_url"),
    Editable("overseerr", "apiKey", "overseerr_api_key", secret=True),
    Editable("overseerr", "webhookSecret", "overseerr_webhook_secret", secret=True),
    Editable("youtube", "allowedHosts", "youtube_allowed_hosts"),
    Editable("youtube", "defaultQuality", "youtube_default_quality"),
    Editable("youtube", "libraryDir", "youtube_library_dir"),
    Editable("youtube", "maxConcurrentDownloads", "max_concurrent_downloads"),
    Editable("mail", "host", "smtp_host"),
    Editable("mail", "port", "smtp_port"),
    Editable("mail", "username", "smtp_username"),
    Editable("mail", "password", "smtp_password", secret=True),
    Editable("mail", "security", "smtp_security"),
    Editable("mail", "from", "smtp_from"),
    Editable("rateLimits", "apiPerIp", "rate_limit_api_per_ip"),
    Editable("rateLimits", "apiPerUser", "rate_limit_api_per_user"),
    Editable("rateLimits", "login", "rate_limit_login"),
    Editable("rateLimits", "passwordReset", "rate_limit_password_reset"),
    Editable("rateLimits", "mediaRequests", "rate_limit_media_requests"),
    Editable("rateLimits", "downloads", "rate_limit_downloads"),
    Editable("rateLimits", "errorReports", "rate_limit_error_reports"),
)
BY_FIELD: Final = {editable.field: editable for editable in EDITABLE}
BY_NAME: Final = {editable.name: editable for editable in EDITABLE}
SERVICE_HOSTS: Final = frozenset({"plex_url", "overseerr_url", "smtp_host"})
"""Fields naming a service MediaNest connects to: never link-local or cloud metadata."""


# ---------------------------------------------------------------------- reading

T = TypeVar("T")


class SettingValue(CamelModel, Generic[T]):
    value: T = Field(description="What this process uses now.")
    source: SettingSource = Field(
        description="`database` (saved here), `environment` or `default`."
    )


class SecretSetting(CamelModel):
    """A secret is never shown, only whether there is one."""

    is_set: bool
    source: SettingSource


class PlexSettingsRead(CamelModel):
    url: SettingValue[str | None]
    token: SecretSetting


class OverseerrSettingsRead(CamelModel):
    url: SettingValue[str | None]
    api_key: SecretSetting
    webhook_secret: SecretSetting


class YoutubeSettingsRead(CamelModel):
    allowed_hosts: SettingValue[list[str]]
    default_quality: SettingValue[YoutubeQuality]
    library_dir: SettingValue[str] = Field(description="Where finished downloads land.")
    max_concurrent_downloads: SettingValue[int] = Field(
        description="Downloads running at once across all workers. Lowering it applies at "
        "once; raising it applies to each server and worker process when it next starts (each "
        "starts as many download threads as the value it starts with)."
    )


class MailSettingsRead(CamelModel):
    host: SettingValue[str | None]
    port: SettingValue[int]
    username: SettingValue[str | None]
    password: SecretSetting
    security: SettingValue[SmtpSecurity]
    sender: SettingValue[str] = Field(alias="from")


class RateLimitsRead(CamelModel):
    api_per_ip: SettingValue[str]
    api_per_user: SettingValue[str]
    login: SettingValue[str]
    password_reset: SettingValue[str]
    media_requests: SettingValue[str]
    downloads: SettingValue[str]
    error_reports: SettingValue[str]


class SettingsRead(CamelModel):
    """Every editable setting with its effective value and where it comes from."""

    plex: PlexSettingsRead
    overseerr: OverseerrSettingsRead
    youtube: YoutubeSettingsRead
    mail: MailSettingsRead
    rate_limits: RateLimitsRead


# ---------------------------------------------------------------------- changing

Text = Annotated[SafeStr, StringConstraints(max_length=2000)]
Secret = Annotated[SafeStr, StringConstraints(min_length=1, max_length=4096)]


class _Section(CamelModel):
    """A section of a change: only the keys sent change; `null` removes the saved value."""

    model_config = ConfigDict(extra="forbid")


class PlexSettingsUpdate(_Section):
    url: Text | None = None
    token: Secret | None = None


class OverseerrSettingsUpdate(_Section):
    url: Text | None = None
    api_key: Secret | None = None
    webhook_secret: Secret | None = None


class YoutubeSettingsUpdate(_Section):
    allowed_hosts: list[Annotated[SafeStr, StringConstraints(max_length=253)]] | None = Field(
        default=None, max_length=100
    )
    default_quality: YoutubeQuality | None = None
    library_dir: Text | None = None
    max_concurrent_downloads: int | None = None


class MailSettingsUpdate(_Section):
    host: Text | None = None
    port: int | None = None
    username: Text | None = None
    password: Secret | None = None
    security: SmtpSecurity | None = None
    sender: Text | None = Field(default=None, alias="from")


class RateLimitsUpdate(_Section):
    api_per_ip: Text | None = None
    api_per_user: Text | None = None
    login: Text | None = None
    password_reset: Text | None = None
    media_requests: Text | None = None
    downloads: Text | None = None
    error_reports: Text | None = None


class SettingsUpdate(_Section):
    """Any sections, any of their keys. A key sent as `null` goes back to the environment's
    value (or the default); keys not sent keep their value."""

    plex: PlexSettingsUpdate | None = None
    overseerr: OverseerrSettingsUpdate | None = None
    youtube: YoutubeSettingsUpdate | None = None
    mail: MailSettingsUpdate | None = None
    rate_limits: RateLimitsUpdate | None = None


# ---------------------------------------------------------------------- connection tests


class ServiceName(StrEnum):
    PLEX = "plex"
    OVERSEERR = "overseerr"
    MAIL = "mail"


SECTION_UPDATES: Final[dict[ServiceName, type[_Section]]] = {
    ServiceName.PLEX: PlexSettingsUpdate,
    ServiceName.OVERSEERR: OverseerrSettingsUpdate,
    ServiceName.MAIL: MailSettingsUpdate,
}
"""What a connection test may try instead of the saved values: its section's keys."""


class ServiceTestRead(CamelModel):
    ok: bool
    message: str
    response_ms: float | None = Field(description="How long the attempt took.")
