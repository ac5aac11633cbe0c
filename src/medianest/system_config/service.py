"""Settings admins change from the browser, stored over the environment's.

The effective configuration is the environment's `Settings` with the stored values laid
over it, validated by the very rules `Settings` applies to the environment. Secrets are
stored encrypted with the installation's ENCRYPTION_KEY and never leave this module in
clear, except inside the `Settings` the process runs with.
"""

import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import anyio
import structlog
from pydantic import BaseModel, SecretStr
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.audit.schemas import ClientInfo
from medianest.audit.service import AuditAction, AuditService
from medianest.db.engine import after_commit
from medianest.integrations.overseerr.client import OverseerrClient, OverseerrConfig
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.integrations.smtp.client import SmtpMailer
from medianest.integrations.smtp.schemas import SmtpConfig
from medianest.kit.crypto import SecretBox, UndecryptableError
from medianest.kit.errors import AppError, ServiceUnavailableError, ValidationError
from medianest.kit.netguard import UnsafeUrlError, check_service_host, check_service_url
from medianest.settings import Settings
from medianest.system_config.models import SystemConfig
from medianest.system_config.repository import SystemConfigRepository
from medianest.system_config.schemas import (
    BY_FIELD,
    BY_NAME,
    EDITABLE,
    SECTION_UPDATES,
    SERVICE_HOSTS,
    ServiceName,
    ServiceTestRead,
    SettingSource,
    SettingsRead,
    SettingsUpdate,
)

logger = structlog.get_logger(__name__)

Changes = dict[str, Any]
"""`Settings` field -> new plain value, or None to remove the stored one."""
OnSaved = Callable[[Settings], Awaitable[None]]


class SettingsService:
    def __init__(self, session: AsyncSession, base: Settings) -> None:
        self._session = session
        self._config = SystemConfigRepository(session)
        self._audit = AuditService(session)
        self._base = base

    async def stored(self) -> dict[str, Any]:
        """The stored values in clear, by `Settings` field (unreadable secrets left out)."""
        return decode_rows(await self._config.all(), self._base)

    async def effective(self) -> Settings:
        return overlay(self._base, await self.stored())

    async def view(self) -> SettingsRead:
        stored = await self.stored()
        return settings_view(self._base, overlay(self._base, stored), stored)

    async def update(
        self,
        update: SettingsUpdate,
        *,
        actor_id: uuid.UUID,
        client: ClientInfo,
        on_saved: OnSaved,
    ) -> SettingsRead:
        """Validate the change as a whole, store it and audit it (names only, never values);
        `on_saved` gets the new effective settings once they are committed. Raises
        ValidationError with one entry per field at fault; nothing is stored then."""
        changes = flatten(update)
        stored = await self.stored()
        wanted = {**stored, **changes}
        wanted = {field: value for field, value in wanted.items() if value is not None}
        candidate = validate_overlay(self._base, wanted)
        await guard_service_hosts(candidate, [field for field, value in changes.items() if value])
        if changes:
            await self._store(changes, candidate, actor_id)
            self._audit.record(
                AuditAction.SETTINGS_UPDATED,
                client=client,
                actor_id=actor_id,
                target=("settings", "system"),
                details={
                    "changed": sorted(
                        BY_FIELD[f].name for f, v in changes.items() if v is not None
                    ),
                    "cleared": sorted(BY_FIELD[f].name for f, v in changes.items() if v is None),
                },
            )
            after_commit(self._session, lambda: on_saved(candidate))
        return settings_view(self._base, candidate, wanted)

    async def _store(self, changes: Changes, candidate: Settings, actor_id: uuid.UUID) -> None:
        values = candidate.model_dump(mode="json")
        for field, value in changes.items():
            if value is None:
                continue
            secret = BY_FIELD[field].secret
            if secret:
                stored = _box(self._base).encrypt(_plain(getattr(candidate, field)))
            else:
                stored = values[field]
            await self._config.put(field, stored, is_secret=secret, updated_by=actor_id)
        await self._config.remove([field for field, value in changes.items() if value is None])


# ---------------------------------------------------------------------- the overlay


def _box(base: Settings) -> SecretBox:
    if base.encryption_key is None:  # `serve` and `worker` always have one (generated)
        raise ServiceUnavailableError("Secrets cannot be stored: ENCRYPTION_KEY is not set.")
    return SecretBox(base.encryption_key.get_secret_value())


def _plain(value: Any) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


def decode_rows(rows: Iterable[SystemConfig], base: Settings) -> dict[str, Any]:
    """Rows as plain values by field; a secret another key encrypted is skipped (logged)."""
    values: dict[str, Any] = {}
    for row in rows:
        if row.key not in BY_FIELD:
            continue  # a setting this version no longer lets admins change
        if not row.is_secret:
            values[row.key] = row.value
            continue
        try:
            values[row.key] = _box(base).decrypt(str(row.value))
        except (UndecryptableError, ServiceUnavailableError):
            logger.warning("settings.secret_unreadable", key=row.key)
    return values


def validate_overlay(base: Settings, stored: Mapping[str, Any]) -> Settings:
    """`base` with `stored` laid over it, by `Settings`' own rules (ValidationError)."""
    try:
        return Settings.model_validate({**base.model_dump(), **stored})
    except PydanticValidationError as exc:
        raise ValidationError(
            "Some settings are invalid; nothing was saved.", details=_field_errors(exc)
        ) from None


def overlay(base: Settings, stored: Mapping[str, Any]) -> Settings:
    """Like `validate_overlay`, but a stored value the rules refuse (saved by another
    version, say) is ignored rather than taking the whole configuration down."""
    values = dict(stored)
    while values:
        try:
            return Settings.model_validate({**base.model_dump(), **values})
        except PydanticValidationError as exc:
            refused = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            if not refused & values.keys():
                break
            logger.warning("settings.stored_value_refused", keys=sorted(refused & values.keys()))
            values = {field: value for field, value in values.items() if field not in refused}
    return base


def _field_errors(exc: PydanticValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        editable = BY_FIELD.get(field)
        errors.append(
            {
                # Never the input: it may be a secret.
                "field": editable.name if editable else field.upper(),
                "message": error["msg"].removeprefix("Value error, "),
                "type": error["type"],
            }
        )
    return errors


def flatten(update: BaseModel) -> Changes:
    """The keys sent in a `SettingsUpdate`, as `Settings` fields."""
    changes: Changes = {}
    for section_field in update.model_fields_set:
        section = getattr(update, section_field)
        if section is None:
            continue
        changes |= _section_changes(_alias(update, section_field), section)
    return changes


def _section_changes(section_name: str, section: BaseModel) -> Changes:
    return {
        BY_NAME[f"{section_name}.{_alias(section, key)}"].field: getattr(section, key)
        for key in section.model_fields_set
    }


def _alias(model: BaseModel, field: str) -> str:
    return type(model).model_fields[field].alias or field


async def guard_service_hosts(settings: Settings, fields: Sequence[str]) -> None:
    """Refuse a Plex, Overseerr or mail server address that is link-local or cloud metadata
    (host names are resolved; the home network is fine)."""
    errors = []
    for field in sorted(SERVICE_HOSTS.intersection(fields)):
        value = getattr(settings, field)
        check: Callable[[str], None] = (
            check_service_host if field == "smtp_host" else check_service_url
        )
        try:
            await anyio.to_thread.run_sync(check, value)
        except UnsafeUrlError as exc:
            errors.append(
                {"field": BY_FIELD[field].name, "message": exc.message, "type": "unsafe_url"}
            )
    if errors:
        raise ValidationError(
            "A service address is not allowed; nothing was saved.", details=errors
        )


# ---------------------------------------------------------------------- the view


def _source(field: str, base: Settings, stored: Mapping[str, Any]) -> SettingSource:
    if field in stored:
        return SettingSource.DATABASE
    if field in base.model_fields_set:
        return SettingSource.ENVIRONMENT
    return SettingSource.DEFAULT


def settings_view(base: Settings, effective: Settings, stored: Mapping[str, Any]) -> SettingsRead:
    """Every editable setting as in use, with its source; secrets only say whether set."""
    sections: dict[str, dict[str, Any]] = {}
    for editable in EDITABLE:
        source = _source(editable.field, base, stored)
        value = getattr(effective, editable.field)
        if editable.secret:
            entry: dict[str, Any] = {"isSet": value is not None, "source": source}
        elif editable.field == "youtube_library_dir":
            entry = {"value": str(effective.youtube_library_path), "source": source}
        else:
            entry = {"value": value, "source": source}
        sections.setdefault(editable.section, {})[editable.key] = entry
    return SettingsRead.model_validate(sections)


# ---------------------------------------------------------------------- connection tests


async def candidate_for_test(
    current: Settings, service: ServiceName, body: Mapping[str, Any] | None
) -> Settings:
    """The settings in use with the values to try laid over them (ValidationError)."""
    if not body:
        return current
    try:
        section = SECTION_UPDATES[service].model_validate(body)
    except PydanticValidationError as exc:
        raise ValidationError(
            "The values to try are invalid.",
            details=[
                {
                    "field": f"{service.value}." + ".".join(str(part) for part in error["loc"]),
                    "message": error["msg"],
                    "type": error["type"],
                }
                for error in exc.errors()
            ],
        ) from None
    changes = _section_changes(service.value, section)
    tried = {field: value for field, value in changes.items() if value is not None}
    candidate = validate_overlay(current, tried)
    await guard_service_hosts(candidate, list(tried))
    _keep_stored_secret_home(service, current, candidate, tried)
    return candidate


SECRET_DESTINATIONS: Mapping[ServiceName, tuple[tuple[str, ...], str]] = {
    ServiceName.PLEX: (("plex_url",), "plex_token"),
    ServiceName.OVERSEERR: (("overseerr_url",), "overseerr_api_key"),
    ServiceName.MAIL: (("smtp_host", "smtp_port"), "smtp_password"),
}
"""Per service: the settings that say where its secret is sent, and the secret."""


def _keep_stored_secret_home(
    service: ServiceName, current: Settings, candidate: Settings, tried: Mapping[str, Any]
) -> None:
    """A stored secret is only ever sent where it was saved for: a test against another
    server must bring its own (else whoever can start a test could collect it)."""
    destination_fields, secret = SECRET_DESTINATIONS[service]
    if secret in tried or getattr(current, secret) is None:
        return
    if all(
        _destination(getattr(current, field)) == _destination(getattr(candidate, field))
        for field in destination_fields
    ):
        return
    name = BY_FIELD[secret].name
    raise ValidationError(
        f"The stored {name} is only sent to the server it was saved for: send `{name}` to "
        "try another one.",
        details=[{"field": name, "message": "required to try another server", "type": "missing"}],
    )


def _destination(value: object) -> object:
    """What identifies the far end: scheme, host and port of a URL; a host name as is."""
    if isinstance(value, str) and "://" in value:
        parts = urlsplit(value)
        default_port = {"https": 443, "http": 80}.get(parts.scheme.lower())
        return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default_port)
    return value.lower() if isinstance(value, str) else value


async def try_connection(service: ServiceName, settings: Settings) -> ServiceTestRead:
    """Try to reach the service; a failure is a result (`ok: false`), not an error."""
    started = time.perf_counter()
    try:
        message = await _PROBES[service](settings)
    except AppError as exc:
        ok, message = False, exc.message
    except Exception as exc:  # a test result even when a client fails in a way not foreseen
        logger.warning("settings.test_failed", service=service.value, error=type(exc).__name__)
        ok, message = False, f"The attempt failed ({type(exc).__name__})."
    else:
        ok = True
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return ServiceTestRead(ok=ok, message=message, response_ms=elapsed)


async def _probe_plex(settings: Settings) -> str:
    config = PlexServerConfig.from_settings(settings)
    if config is None:
        raise ValidationError("Plex is not configured: set its URL and token.")
    client = PlexServerClient(config)
    try:
        info = await client.server_info()
    finally:
        await client.aclose()
    return f"Connected to {info.name or 'the Plex server'} (Plex {info.version})."


async def _probe_overseerr(settings: Settings) -> str:
    config = OverseerrConfig.from_settings(settings)
    if config is None:
        raise ValidationError("Overseerr is not configured: set its URL and API key.")
    client = OverseerrClient(config)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "Overseerr answered and accepted the API key."


async def _probe_mail(settings: Settings) -> str:
    config = SmtpConfig.from_settings(settings)
    if config is None:
        raise ValidationError("Mail is not configured: set the mail server's host.")
    await SmtpMailer(config).check()
    signed_in = " and signed in" if config.username else ""
    return f"Connected to {config.host}:{config.port}{signed_in}."


_PROBES: Mapping[ServiceName, Callable[[Settings], Awaitable[str]]] = {
    ServiceName.PLEX: _probe_plex,
    ServiceName.OVERSEERR: _probe_overseerr,
    ServiceName.MAIL: _probe_mail,
}
