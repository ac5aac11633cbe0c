"""What the realtime layer takes from the settings: allowed origins and the Redis channel."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from medianest.settings import Settings

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """The origin a browser sends for pages under `url` (scheme and host, default port
    dropped), so settings written either way match the `Origin` header."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or DEFAULT_PORTS.get(scheme) == port:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_allowed(
    allowed: tuple[str, ...], origin: str | None, environ: Mapping[str, Any]
) -> bool:
    """A configured origin, or the server's own: a page this host served (opened as
    `localhost` or by LAN address rather than `PUBLIC_URL`) may connect back to it. Only the
    host and port are compared, since a TLS-terminating proxy forwards `https` pages over
    plain http. Engine.io also asks for requests without an `Origin` (scripts): those it
    admits anyway, the answer only decides the CORS headers."""
    if origin is None:
        return False
    if origin_of(origin) in allowed:
        return True
    host = str(environ.get("HTTP_HOST", "")).lower()
    return bool(host) and urlsplit(origin.strip()).netloc.lower() == host


@dataclass(frozen=True, slots=True)
class RealtimeConfig:
    allowed_origins: tuple[str, ...]
    """Browser origins allowed to connect; never a wildcard."""
    redis_url: str | None
    channel: str
    """The Redis pub/sub channel every process of this installation shares."""
    timeout_seconds: float
    """Longest an emit may wait on Redis before it is given up (and logged)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "RealtimeConfig":
        """`PUBLIC_URL`'s origin plus `CORS_ORIGINS`. A `*` there opens the REST API to any
        origin (without credentials), but sockets carry the session cookie, so it is ignored
        here rather than letting any site connect as the user."""
        origins = [origin_of(settings.public_url)]
        origins += [origin_of(origin) for origin in settings.cors_origins if origin != "*"]
        return cls(
            allowed_origins=tuple(dict.fromkeys(origins)),
            redis_url=settings.redis_url,
            channel=f"{settings.redis_key_prefix}socketio",
            timeout_seconds=settings.redis_timeout_seconds,
        )
