"""An async client of plex.tv's API v2, on httpx.

python-plexapi has these calls too (`MyPlexPinLogin`, `MyPlexAccount`), but it is synchronous
and hard-codes `https://plex.tv`; MediaNest needs the base URL as a setting (tests run a
local plex.tv) and must not hold a thread per poll, so these four calls go through httpx.
"""

from dataclasses import dataclass
from typing import Any, Self, TypeVar

import httpx
import structlog
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from medianest.integrations.plextv.errors import PlexPinExpiredError, PlexTokenRejectedError
from medianest.integrations.plextv.schemas import PlexAccount, PlexPin, PlexResource
from medianest.kit.errors import PlexUnreachableError

logger = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

PRODUCT = "MediaNest"
SIGN_IN_PAGE = "https://app.plex.tv/auth/#!"


@dataclass(frozen=True, slots=True)
class PlexTvConfig:
    base_url: str
    client_id: str
    timeout_seconds: float
    version: str


def sign_in_url(*, client_id: str, code: str) -> str:
    """The app.plex.tv page where the user approves the PIN."""
    query = httpx.QueryParams(
        {"clientID": client_id, "code": code, "context[device][product]": PRODUCT}
    )
    return f"{SIGN_IN_PAGE}?{query}"


class PlexTvClient:
    def __init__(self, config: PlexTvConfig, *, transport: httpx.AsyncBaseTransport | None = None):
        self._config = config
        self._http = httpx.AsyncClient(
            base_url=f"{config.base_url}/api/v2",
            timeout=config.timeout_seconds,
            transport=transport,
            headers={
                "Accept": "application/json",
                "X-Plex-Product": PRODUCT,
                "X-Plex-Version": config.version,
                "X-Plex-Client-Identifier": config.client_id,
                "X-Plex-Device": "Web",
                "X-Plex-Platform": "Web",
            },
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def create_pin(self) -> PlexPin:
        data = await self._call("POST", "/pins", params={"strong": "true"})
        return _parse(PlexPin, data)

    async def get_pin(self, pin_id: int) -> PlexPin:
        data = await self._call("GET", f"/pins/{pin_id}", not_found=PlexPinExpiredError())
        return _parse(PlexPin, data)

    async def get_account(self, token: str) -> PlexAccount:
        data = await self._call("GET", "/user", token=token)
        return _parse(PlexAccount, data)

    async def get_resources(self, token: str) -> list[PlexResource]:
        data = await self._call(
            "GET", "/resources", token=token, params={"includeHttps": "1", "includeRelay": "1"}
        )
        if not isinstance(data, list):
            raise PlexUnreachableError("plex.tv answered an unexpected resource list.")
        return [_parse(PlexResource, item) for item in data]

    async def _call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        not_found: Exception | None = None,
    ) -> Any:
        headers = {"X-Plex-Token": token} if token else None
        try:
            response = await self._http.request(method, path, params=params, headers=headers)
        except httpx.TransportError as exc:
            logger.warning("plextv.unreachable", path=path, error=type(exc).__name__)
            raise PlexUnreachableError("plex.tv did not answer. Try again in a moment.") from exc
        if response.status_code == httpx.codes.UNAUTHORIZED and token is not None:
            raise PlexTokenRejectedError()
        if response.status_code == httpx.codes.NOT_FOUND and not_found is not None:
            raise not_found
        if response.is_error:
            logger.warning("plextv.error", path=path, status=response.status_code)
            raise PlexUnreachableError(f"plex.tv answered {response.status_code}.")
        try:
            return response.json()
        except ValueError as exc:
            raise PlexUnreachableError("plex.tv answered something that is not JSON.") from exc


def _parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        logger.warning("plextv.unexpected_answer", model=model.__name__, error=str(exc)[:300])
        raise PlexUnreachableError("plex.tv answered in an unexpected shape.") from exc
