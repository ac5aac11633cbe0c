"""Process configuration, read from the environment once by the CLI or `create_app`.

Every field names its environment variable and carries a description: the environment
reference in the docs is generated from these. Nothing here runs at import time.
"""

import ipaddress
import json
import os
import secrets
import uuid
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from medianest.kit.headers import HEADER_SAFE_RULE, is_header_safe

SECRETS_FILE_NAME = "secrets.json"
_WEAK_SECRETS = {"secret", "changeme", "change-me", "password", "jwt_secret", "medianest"}
_MIN_SECRET_LENGTH = 32


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def new_client_id() -> str:
    return str(uuid.uuid4())


GENERATED_VALUES: dict[str, Callable[[], str]] = {
    "JWT_SECRET": new_secret,
    "ENCRYPTION_KEY": new_secret,
    "PLEX_CLIENT_ID": new_client_id,
}
"""Values created once per installation and kept in the data dir's secrets file."""
GENERATED_SECRETS = tuple(GENERATED_VALUES)


DEFAULT_YOUTUBE_HOSTS = (
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtu.be",
)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


YoutubeQuality = Literal["best", "2160p", "1440p", "1080p", "720p", "480p", "360p", "audio"]
"""The download presets' qualities (`integrations.ytdlp.presets.Quality`, which sits above)."""


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"


class ConfigurationError(Exception):
    """Raised when the configuration cannot be used; the message is one line for the user."""


def _env(name: str, description: str, **kwargs: Any) -> Any:
    return Field(validation_alias=name, description=description, **kwargs)


class Settings(BaseSettings):
    """MediaNest's configuration. Every value can be set by the environment variable shown."""

    model_config = SettingsConfigDict(
        extra="ignore",
        populate_by_name=True,
        case_sensitive=False,
        frozen=True,
        env_ignore_empty=True,
    )

    env: Environment = _env(
        "MEDIANEST_ENV",
        "`development` shows error details and logs readable lines; `production` logs JSON, "
        "hides internals and refuses weak secrets; `test` is for the test suite.",
        default=Environment.PRODUCTION,
    )
    data_dir: Path = _env(
        "MEDIANEST_DATA_DIR",
        "Folder for the SQLite database, generated secrets, backups and (unless "
        "YOUTUBE_LIBRARY_DIR says otherwise) downloads. Created if missing, and kept private "
        "to MediaNest's account (mode 0700).",
        default=Path("data"),
    )
    host: str = _env("HOST", "Interface `medianest serve` binds to.", default="127.0.0.1")
    port: int = _env("PORT", "TCP port `medianest serve` listens on.", default=8000, ge=1, le=65535)
    base_path: str = _env(
        "BASE_PATH",
        "Serve the whole app under this URL prefix (e.g. `/medianest` behind a reverse proxy).",
        default="",
    )
    app_title: str = _env(
        "APP_TITLE",
        "The name the web app shows in its header and the browser tab.",
        default="MediaNest",
        min_length=1,
        max_length=60,
    )
    log_level: str = _env(
        "LOG_LEVEL", "One of debug, info, warning, error, critical.", default="info"
    )
    database_url: str | None = _env(
        "DATABASE_URL",
        "Database to use. Empty means SQLite in the data dir. `postgresql://user:pass@host/db` "
        "uses PostgreSQL (asyncpg).",
        default=None,
    )
    database_pool_size: int = _env(
        "DATABASE_POOL_SIZE",
        "Connections kept open per process; under load it opens as many more.",
        default=10,
        ge=1,
    )
    database_timeout_seconds: float = _env(
        "DATABASE_TIMEOUT_SECONDS",
        "How long to wait for a database connection (a new one, or a free one of the pool) "
        "before answering 503.",
        default=5.0,
        gt=0,
    )
    redis_url: str | None = _env(
        "REDIS_URL",
        "Redis for shared cache, rate limits and pub/sub across processes. Empty means "
        "in-process (one server process).",
        default=None,
    )
    redis_key_prefix: str = _env(
        "REDIS_KEY_PREFIX", "Prefix of every Redis key MediaNest writes.", default="medianest:"
    )
    redis_timeout_seconds: float = _env(
        "REDIS_TIMEOUT_SECONDS",
        "Connect and read timeout for Redis; past it requests fail fast instead of hanging.",
        default=2.0,
        gt=0,
    )
    jwt_secret: SecretStr | None = _env(
        "JWT_SECRET",
        "Key that signs access tokens (32+ characters). Generated into the data dir on first "
        "start when unset; also read from `JWT_SECRET_FILE`.",
        default=None,
    )
    encryption_key: SecretStr | None = _env(
        "ENCRYPTION_KEY",
        "Key that encrypts secrets kept in the database, such as users' Plex tokens (32+ "
        "characters). Generated into the data dir on first start when unset; also read from "
        "`ENCRYPTION_KEY_FILE`. Changing it makes stored Plex tokens unreadable: users sign "
        "in with Plex again.",
        default=None,
    )
    plex_url: str | None = _env(
        "PLEX_URL",
        "Your Plex Media Server, e.g. `http://192.168.1.10:32400`. Unset: Plex features are off.",
        default=None,
    )
    plex_token: SecretStr | None = _env(
        "PLEX_TOKEN",
        "The server owner's Plex token MediaNest browses the server with. It never leaves "
        "the server. Also read from `PLEX_TOKEN_FILE`.",
        default=None,
    )
    plex_tv_url: str = _env(
        "PLEX_TV_URL",
        "plex.tv's API for Plex sign-in (tests point it at a local fake).",
        default="https://plex.tv",
    )
    plex_timeout_seconds: float = _env(
        "PLEX_TIMEOUT_SECONDS",
        "Give up on the Plex server or plex.tv after this long and answer 503.",
        default=5.0,
        gt=0,
        le=120,
    )
    plex_owner_becomes_admin: bool = _env(
        "PLEX_OWNER_BECOMES_ADMIN",
        "While no admin exists, the Plex server's owner becomes admin on first Plex sign-in.",
        default=True,
    )
    overseerr_url: str | None = _env(
        "OVERSEERR_URL",
        "Your Overseerr, e.g. `http://192.168.1.10:5055`. Unset: media requests are off.",
        default=None,
    )
    overseerr_api_key: SecretStr | None = _env(
        "OVERSEERR_API_KEY",
        "Overseerr's API key (Settings → General). Also read from `OVERSEERR_API_KEY_FILE`.",
        default=None,
    )
    overseerr_webhook_secret: SecretStr | None = _env(
        "OVERSEERR_WEBHOOK_SECRET",
        "The exact `Authorization` header value Overseerr's webhook agent is configured to "
        "send. Unset: the webhook refuses every call. Also read from "
        "`OVERSEERR_WEBHOOK_SECRET_FILE`.",
        default=None,
    )
    overseerr_timeout_seconds: float = _env(
        "OVERSEERR_TIMEOUT_SECONDS",
        "Give up on Overseerr after this long and answer 503.",
        default=5.0,
        gt=0,
        le=120,
    )
    overseerr_sync_minutes: float = _env(
        "OVERSEERR_SYNC_MINUTES",
        "How often open requests are reconciled with Overseerr, healing missed webhooks.",
        default=5.0,
        gt=0,
    )
    rate_limit_media_requests: str = _env(
        "RATE_LIMIT_MEDIA_REQUESTS", "Media requests per user.", default="20/hour"
    )
    youtube_allowed_hosts: Annotated[list[str], NoDecode] = _env(
        "YOUTUBE_ALLOWED_HOSTS",
        "Comma-separated host names a YouTube download URL may use, on ports 80 and 443; "
        "`host:port` (`[IPv6]:port`) allows that port too. An entry is also the only way past "
        "the guard against loopback, private and metadata addresses, so list only hosts you "
        "trust.",
        default=list(DEFAULT_YOUTUBE_HOSTS),
    )
    youtube_default_quality: YoutubeQuality = _env(
        "YOUTUBE_DEFAULT_QUALITY",
        "Quality of a YouTube download when the user picks none: `best`, `2160p`, `1440p`, "
        "`1080p`, `720p`, `480p`, `360p` or `audio`.",
        default="best",
    )
    youtube_library_dir: Path | None = _env(
        "YOUTUBE_LIBRARY_DIR",
        "Folder finished YouTube downloads land in (point a Plex library at it). Unset: "
        "`youtube/` in the data dir.",
        default=None,
    )
    max_concurrent_downloads: int = _env(
        "MAX_CONCURRENT_DOWNLOADS",
        "YouTube downloads running at once across all workers; more wait in the queue. A lower "
        "value saved in the admin settings applies at once, a higher one when each process "
        "next starts.",
        default=2,
        ge=1,
        le=64,
    )
    ffmpeg_path: Path | None = _env(
        "FFMPEG_PATH",
        "The ffmpeg program yt-dlp merges, remuxes and converts with. Unset: `ffmpeg` on PATH; "
        "without ffmpeg, formats that need it are refused.",
        default=None,
    )
    rate_limit_downloads: str = _env(
        "RATE_LIMIT_DOWNLOADS", "YouTube downloads queued per user.", default="5/hour"
    )
    plex_client_id: str | None = _env(
        "PLEX_CLIENT_ID",
        "`X-Plex-Client-Identifier` this install presents to plex.tv. Generated into the "
        "data dir on first start when unset.",
        default=None,
    )
    cors_origins: Annotated[list[str], NoDecode] = _env(
        "CORS_ORIGINS",
        "Comma-separated origins allowed to call the API and connect to socket.io from a "
        "browser. Empty: same origin only. `*` allows any origin for the API but then never "
        "with credentials, and never for socket.io.",
        default_factory=list,
    )
    realtime_progress_per_second: float = _env(
        "REALTIME_PROGRESS_PER_SECOND",
        "At most this many `download:progress` events per second for one download; the final "
        "state always goes out.",
        default=4.0,
        gt=0,
        le=100,
    )
    max_request_body_bytes: int = _env(
        "MAX_REQUEST_BODY_BYTES",
        "Largest request body accepted; larger ones get 413.",
        default=1_048_576,
        ge=1024,
    )
    rate_limit_api_per_ip: str = _env(
        "RATE_LIMIT_API_PER_IP",
        "General API limit per client IP, in `limits` notation (`N/second|minute|hour`). "
        "Generous so the web UI never meets it.",
        default="1200/minute",
    )
    rate_limit_api_per_user: str = _env(
        "RATE_LIMIT_API_PER_USER",
        "General API limit per signed-in user, in `limits` notation.",
        default="1200/minute",
    )
    rate_limit_login: str = _env(
        "RATE_LIMIT_LOGIN",
        "Sign-in attempts per client IP (see `TRUSTED_PROXIES` for the client IP behind a proxy).",
        default="5/15 minutes",
    )
    rate_limit_login_account: str = _env(
        "RATE_LIMIT_LOGIN_ACCOUNT",
        "Sign-in attempts per account (email), from any IP: limits separated by `;`, each with "
        "a longer window, so the wait grows as failures go on and never exceeds the longest "
        "window. A correct password clears the count. A browser that signed in to the account "
        "before keeps a count of its own, so guessing cannot lock the owner out of it.",
        default="5/minute;10/15 minutes;20/hour",
    )
    rate_limit_password_reset: str = _env(
        "RATE_LIMIT_PASSWORD_RESET", "Password-reset requests per email.", default="3/hour"
    )
    access_token_minutes: int = _env(
        "ACCESS_TOKEN_MINUTES", "Lifetime of an access token (JWT).", default=15, ge=1, le=1440
    )
    session_idle_days: int = _env(
        "SESSION_IDLE_DAYS",
        "A session unused for this many days expires; every refresh extends it.",
        default=30,
        ge=1,
    )
    public_url: str = _env(
        "PUBLIC_URL",
        "The address users reach MediaNest at (without BASE_PATH); links in emails use it, "
        "and socket.io accepts browser connections from its origin.",
        default="http://127.0.0.1:8000",
    )
    tmdb_image_url: str = _env(
        "TMDB_IMAGE_URL",
        "Where the image proxy fetches TMDB posters and backdrops from (browsers only ever "
        "talk to MediaNest).",
        default="https://image.tmdb.org/t/p",
    )
    smtp_host: str | None = _env(
        "SMTP_HOST",
        "Mail server for password resets and invitations. Unset: no mail.",
        default=None,
    )
    smtp_port: int = _env("SMTP_PORT", "Mail server port.", default=587, ge=1, le=65535)
    smtp_username: str | None = _env(
        "SMTP_USERNAME", "Mail server user, if it needs one.", default=None
    )
    smtp_password: SecretStr | None = _env(
        "SMTP_PASSWORD",
        "Mail server password; also read from `SMTP_PASSWORD_FILE`.",
        default=None,
    )
    smtp_security: SmtpSecurity = _env(
        "SMTP_SECURITY",
        "`starttls` (port 587), `tls` (implicit TLS, port 465) or `none` (local relays only).",
        default="starttls",
    )
    smtp_from: str = _env(
        "SMTP_FROM", "Sender of MediaNest's mail.", default="MediaNest <medianest@localhost>"
    )
    smtp_timeout_seconds: float = _env(
        "SMTP_TIMEOUT_SECONDS", "Give up on the mail server after this long.", default=10.0, gt=0
    )
    metrics_token: SecretStr | None = _env(
        "METRICS_TOKEN",
        "Bearer token that `/metrics` requires in production. Unset: `/metrics` is disabled "
        "in production and open otherwise.",
        default=None,
    )
    trusted_proxies: Annotated[list[str], NoDecode] = _env(
        "TRUSTED_PROXIES",
        "Comma-separated addresses or networks (CIDR) of your reverse proxies: only requests "
        "from these have their `X-Forwarded-For` and `X-Forwarded-Proto` believed. nginx on the "
        "same host: `127.0.0.1,::1`. Empty (the default): none, so the client is the address "
        "that connected, and no local process can pose as other clients. "
        "(`FORWARDED_ALLOW_IPS`, the old name, is still read.)",
        default_factory=list,
    )
    min_free_disk_bytes: int = _env(
        "MIN_FREE_DISK_BYTES",
        "`medianest doctor` reports a problem when the data dir has less free space.",
        default=1_073_741_824,
        ge=0,
    )

    download_lease_seconds: float = _env(
        "DOWNLOAD_LEASE_SECONDS",
        "A running download renews its claim this often (÷3); a worker silent for this long "
        "is presumed dead and its job is queued again.",
        default=30.0,
        ge=1,
        le=3600,
    )
    youtube_plex_path: str | None = _env(
        "YOUTUBE_PLEX_PATH",
        "The YouTube library folder as the Plex server sees it, when that differs from "
        "YOUTUBE_LIBRARY_DIR (Plex in another container or host). MediaNest asks Plex to scan "
        "folders under this path.",
        default=None,
    )
    embedded_worker: bool | None = _env(
        "EMBEDDED_WORKER",
        "Run queued jobs (downloads) inside `medianest serve`. Unset: yes without REDIS_URL "
        "(the embedded shape), no with it (run `medianest worker`).",
        default=None,
    )

    service_check_seconds: float = _env(
        "SERVICE_CHECK_SECONDS",
        "How often every service (database, Redis, Plex, Overseerr, queue, disk, yt-dlp) is "
        "checked and the result added to its history.",
        default=60.0,
        ge=1,
        le=3600,
    )
    service_history_days: int = _env(
        "SERVICE_HISTORY_DAYS",
        "Service check history older than this is deleted by `medianest cleanup` and the "
        "daily maintenance.",
        default=30,
        ge=8,
    )
    settings_refresh_seconds: float = _env(
        "SETTINGS_REFRESH_SECONDS",
        "Every process re-reads the settings saved from the admin UI at least this often "
        "(with Redis, changes also reach other processes at once).",
        default=10.0,
        gt=0,
        le=600,
    )
    error_report_max_bytes: int = _env(
        "ERROR_REPORT_MAX_BYTES",
        "Largest error report the browser app may send; larger ones get 413.",
        default=32_768,
        ge=1024,
    )
    rate_limit_error_reports: str = _env(
        "RATE_LIMIT_ERROR_REPORTS", "Error reports sent per user.", default="30/hour"
    )
    rate_limit_identical_server_errors: str = _env(
        "RATE_LIMIT_IDENTICAL_SERVER_ERRORS",
        "Server errors with one message stored as error reports, at most; the rest are only "
        "logged (a caller repeating a failing request cannot fill the table).",
        default="10/minute",
    )
    error_report_retention_days: int = _env(
        "ERROR_REPORT_RETENTION_DAYS",
        "Error reports older than this are deleted by `medianest cleanup`.",
        default=30,
        ge=1,
    )
    slow_query_ms: float = _env(
        "SLOW_QUERY_MS",
        "Database statements slower than this are counted and listed as slow queries "
        "(BEGIN and COMMIT are not: their time is waiting for another writer or the disk).",
        default=200.0,
        gt=0,
    )
    backup_dir: Path | None = _env(
        "BACKUP_DIR",
        "Folder backups are written to. Unset: `backups/` in the data dir.",
        default=None,
    )
    backup_retention: int = _env(
        "BACKUP_RETENTION",
        "How many backups to keep; older ones are deleted after each new backup.",
        default=7,
        ge=1,
    )
    backup_interval_hours: float = _env(
        "BACKUP_INTERVAL_HOURS",
        "A verified backup is taken this often by the server. 0 turns scheduled backups off.",
        default=24.0,
        ge=0,
    )
    backup_max_age_hours: float = _env(
        "BACKUP_MAX_AGE_HOURS",
        "`medianest doctor` reports a problem when the newest verified backup is older, or "
        "when there is none yet and the first account is older (a new installation's grace).",
        default=36.0,
        gt=0,
    )

    @field_validator("plex_token", "overseerr_api_key", "overseerr_webhook_secret", "metrics_token")
    @classmethod
    def _check_header_safe(cls, value: SecretStr | None) -> SecretStr | None:
        # Each is sent, or compared with what arrives, as an HTTP header value.
        if value is not None and not is_header_safe(value.get_secret_value()):
            raise ValueError(HEADER_SAFE_RULE)
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [proxy.strip() for proxy in value.split(",") if proxy.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for proxy in value:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    f"{proxy!r} is not an IP address or network (such as 127.0.0.1 or "
                    "172.16.0.0/12); list your proxies, never every client"
                ) from None
        return value

    @field_validator("youtube_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [host.strip() for host in value.split(",") if host.strip()]
        return value

    @field_validator("youtube_allowed_hosts")
    @classmethod
    def _check_hosts(cls, value: list[str]) -> list[str]:
        from medianest.kit.netguard import normalise_allowed_host

        hosts: list[str] = []
        for host in value:
            try:
                hosts.append(normalise_allowed_host(host))
            except (ValueError, UnicodeError):
                raise ValueError(
                    f"{host!r} is not a host name or IP address, with an optional :port"
                ) from None
        if not hosts:
            raise ValueError("must name at least one host")
        return hosts

    @field_validator("base_path")
    @classmethod
    def _normalise_base_path(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith("/"):
            raise ValueError("must start with '/' (for example /medianest)")
        if any(part in {".", ".."} for part in value.split("/")):
            raise ValueError("must not contain '.' or '..' segments")
        return value

    @field_validator("public_url", "plex_tv_url", "tmdb_image_url")
    @classmethod
    def _check_http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("plex_url", "overseerr_url")
    @classmethod
    def _check_optional_http_url(cls, value: str | None) -> str | None:
        return None if value is None else cls._check_http_url(value)

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        if value.lower() not in {"debug", "info", "warning", "error", "critical"}:
            raise ValueError("must be one of debug, info, warning, error, critical")
        return value.lower()

    @field_validator(
        "rate_limit_api_per_ip",
        "rate_limit_api_per_user",
        "rate_limit_login",
        "rate_limit_password_reset",
        "rate_limit_media_requests",
        "rate_limit_downloads",
        "rate_limit_error_reports",
        "rate_limit_identical_server_errors",
    )
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError("must look like '1200/minute'") from None
        return value

    @field_validator("rate_limit_login_account")
    @classmethod
    def _check_rate_limits(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError("must look like '5/minute;10/15 minutes;20/hour'") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.split(":", 1)[0].split("+", 1)[0] not in {"sqlite", "postgresql", "postgres"}:
            raise ValueError("must start with postgresql:// or sqlite://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Self:
        if self.env is not Environment.PRODUCTION:
            return self
        secrets_to_check = {"JWT_SECRET": self.jwt_secret, "ENCRYPTION_KEY": self.encryption_key}
        for name, secret in secrets_to_check.items():
            value = "" if secret is None else secret.get_secret_value()
            if secret is not None and (
                len(value) < _MIN_SECRET_LENGTH or value.lower() in _WEAK_SECRETS
            ):
                raise ValueError(
                    f"{name} must be a random value of at least {_MIN_SECRET_LENGTH} "
                    "characters in production (run `medianest generate-secrets`)"
                )
        return self

    @property
    def youtube_library_path(self) -> Path:
        """Where finished downloads land: YOUTUBE_LIBRARY_DIR, or `youtube/` in the data dir."""
        return self.youtube_library_dir or self.data_dir / "youtube"

    @property
    def image_cache_path(self) -> Path:
        """Where the image proxy keeps TMDB images: `cache/images/` in the data dir."""
        return self.data_dir / "cache" / "images"

    @property
    def backup_path(self) -> Path:
        """Where backups go: BACKUP_DIR, or `backups/` in the data dir."""
        return self.backup_dir or self.data_dir / "backups"

    @property
    def runs_embedded_worker(self) -> bool:
        return self.embedded_worker if self.embedded_worker is not None else not self.redis_url

    @property
    def is_development(self) -> bool:
        return self.env is Environment.DEVELOPMENT

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the async driver SQLAlchemy needs."""
        if not self.database_url:
            return f"sqlite+aiosqlite:///{(self.data_dir / 'medianest.db').resolve()}"
        scheme, rest = self.database_url.split("://", 1)
        driver = {
            "postgres": "postgresql+asyncpg",
            "postgresql": "postgresql+asyncpg",
            "sqlite": "sqlite+aiosqlite",
        }.get(scheme, scheme)
        return f"{driver}://{rest}"

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / SECRETS_FILE_NAME


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]).upper()
    message = first["msg"].removeprefix("Value error, ")
    # Never echo the offending input: it may be a secret.
    return f"{where}: {message}" if where else message


def read_secrets_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the secrets file ({exc})") from None
    return {str(key): str(value) for key, value in data.items()}


def _file_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """Docker-style `<NAME>_FILE` variables: the secret is the content of that file."""
    values: dict[str, Any] = {}
    for name in (
        "JWT_SECRET",
        "ENCRYPTION_KEY",
        "METRICS_TOKEN",
        "PLEX_TOKEN",
        "SMTP_PASSWORD",
        "OVERSEERR_API_KEY",
        "OVERSEERR_WEBHOOK_SECRET",
    ):
        file_path = environ.get(f"{name}_FILE")
        if file_path and name not in environ:
            try:
                values[name] = Path(file_path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigurationError(f"{name}_FILE: cannot read {file_path} ({exc})") from None
    return values


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment, `_FILE` secrets and the data dir's secrets.

    Raises ConfigurationError with one line naming the variable at fault.
    """
    environ = {key.upper(): value for key, value in os.environ.items() if value}
    if "FORWARDED_ALLOW_IPS" in environ and "TRUSTED_PROXIES" not in environ:
        overrides = {"trusted_proxies": environ["FORWARDED_ALLOW_IPS"], **overrides}
    try:
        settings = Settings(**_file_overrides(environ), **overrides)
        stored: dict[str, Any] = {
            name: value
            for name, value in read_secrets_file(settings.secrets_file).items()
            if name in GENERATED_SECRETS
            and name not in environ
            and name not in overrides
            and getattr(settings, name.lower()) is None
        }
        if stored:
            settings = Settings(**_file_overrides(environ), **stored, **overrides)
    except ValidationError as exc:
        raise ConfigurationError(_describe(exc)) from None
    return settings


def ensure_secrets(data_dir: Path) -> tuple[Path, list[str]]:
    """Create the data dir's secrets file (mode 0600) with any secret still missing.

    Existing secrets are never replaced. Returns the file and the names that were added.
    """
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / SECRETS_FILE_NAME
    current = read_secrets_file(path)
    added = [name for name in GENERATED_SECRETS if name not in current]
    if added or not path.exists():
        current.update({name: GENERATED_VALUES[name]() for name in added})
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(current, handle, indent=2)
    path.chmod(0o600)
    return path, added
