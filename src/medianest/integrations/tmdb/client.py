"""An async client of TMDB's image host (httpx): one image by size and file name."""

from dataclasses import dataclass

import httpx
import structlog

from medianest.integrations.tmdb.errors import TmdbImageNotFoundError, TmdbImagesUnreachableError
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""TMDB's `original` backdrops stay well under this; anything larger is not a poster."""

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def image_type(head: bytes) -> str | None:
    """The image's media type from its first bytes (JPEG, PNG or WebP); None otherwise."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True, slots=True)
class TmdbImageConfig:
    base_url: str
    timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> "TmdbImageConfig":
        return cls(
            base_url=settings.tmdb_image_url, timeout_seconds=settings.overseerr_timeout_seconds
        )


class TmdbImageClient:
    def __init__(
        self, config: TmdbImageConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._http = httpx.AsyncClient(
            base_url=config.base_url, timeout=config.timeout_seconds, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def fetch(self, size: str, file_name: str) -> bytes:
        """The image's bytes. The caller has validated `size` and `file_name`: they are put
        in the path as they are."""
        path = f"/{size}/{file_name}"
        try:
            async with self._http.stream("GET", path) as response:
                if response.status_code == httpx.codes.NOT_FOUND:
                    raise TmdbImageNotFoundError()
                if response.status_code != httpx.codes.OK:
                    raise _unreachable(path, f"status {response.status_code}")
                content = await _read_capped(response)
        except httpx.HTTPError as exc:
            raise _unreachable(path, type(exc).__name__) from exc
        if image_type(content[:12]) is None:
            raise _unreachable(path, "not an image")
        return content


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_IMAGE_BYTES:
            raise _unreachable(str(response.url.path), "image too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _unreachable(path: str, reason: str) -> TmdbImagesUnreachableError:
    logger.warning("tmdb.image_unavailable", path=path, reason=reason)
    return TmdbImagesUnreachableError()
