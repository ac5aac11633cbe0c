"""An async client of Overseerr's API v1 (httpx), with retries on idempotent reads (stamina)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx
import stamina
import structlog
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from medianest.integrations.overseerr.errors import (
    OverseerrAuthFailedError,
    OverseerrNotFoundError,
    OverseerrRejectedError,
    OverseerrServerError,
    OverseerrUnreachableError,
)
from medianest.integrations.overseerr.schemas import (
    DiscoverListing,
    MovieDetails,
    OverseerrRequest,
    OverseerrUser,
    SearchPage,
    TvDetails,
    UserPage,
)
from medianest.kit.headers import is_header_safe
from medianest.kit.reachability import describe_failure, where
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

READ_ATTEMPTS = 3
USERS_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class OverseerrConfig:
    url: str
    api_key: str
    timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> "OverseerrConfig | None":
        if not settings.overseerr_url or settings.overseerr_api_key is None:
            return None
        return cls(
            url=settings.overseerr_url,
            api_key=settings.overseerr_api_key.get_secret_value(),
            timeout_seconds=settings.overseerr_timeout_seconds,
        )


class _RetryableStatusError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"Overseerr answered {response.status_code}")
        self.response = response


class OverseerrClient:
    def __init__(
        self, config: OverseerrConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        if not is_header_safe(config.api_key):
            raise OverseerrAuthFailedError(
                "The Overseerr API key has characters an HTTP header cannot carry. An admin "
                "must set OVERSEERR_API_KEY again."
            )
        self.config = config
        self._http = httpx.AsyncClient(
            base_url=f"{config.url}/api/v1",
            timeout=config.timeout_seconds,
            transport=transport,
            headers={"X-Api-Key": config.api_key, "Accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ reads

    async def ping(self) -> None:
        """A cheap call that needs the API key (`/status` answers without one)."""
        await self._read("/user", params={"take": 1, "skip": 0})

    async def search(self, query: str, *, page: int) -> SearchPage:
        data = await self._read("/search", params={"query": query, "page": page})
        return _parse(SearchPage, data)

    async def discover(self, listing: DiscoverListing, *, page: int) -> SearchPage:
        """A TMDB list through Overseerr (`/discover/...`), with Overseerr's media info."""
        data = await self._read(f"/discover/{listing}", params={"page": page})
        return _parse(SearchPage, data)

    async def movie(self, tmdb_id: int) -> MovieDetails:
        return _parse(MovieDetails, await self._read(f"/movie/{tmdb_id}"))

    async def tv(self, tmdb_id: int) -> TvDetails:
        return _parse(TvDetails, await self._read(f"/tv/{tmdb_id}"))

    async def request(self, request_id: int) -> OverseerrRequest:
        return _parse(OverseerrRequest, await self._read(f"/request/{request_id}"))

    async def users(self) -> list[OverseerrUser]:
        users: list[OverseerrUser] = []
        while True:
            params = {"take": USERS_PAGE_SIZE, "skip": len(users)}
            page = _parse(UserPage, await self._read("/user", params=params))
            users.extend(page.results)
            if not page.results or len(users) >= page.page_info.results:
                return users

    # ------------------------------------------------------------------ changes (never retried)

    async def create_request(
        self,
        *,
        media_type: Literal["movie", "tv"],
        tmdb_id: int,
        seasons: Sequence[int] | None,
        as_user: int | None,
    ) -> OverseerrRequest:
        """Request a title. `as_user` makes the request that Overseerr user's own (header
        `X-Api-User`), so their permissions decide whether it waits for approval; without
        it the API key's owner (an admin) asks, and Overseerr approves at once."""
        body: dict[str, Any] = {"mediaType": media_type, "mediaId": tmdb_id, "is4k": False}
        if media_type == "tv":
            body["seasons"] = list(seasons) if seasons else "all"
        headers = {"X-Api-User": str(as_user)} if as_user is not None else None
        response = await self._send("POST", "/request", json=body, headers=headers)
        if response.status_code == httpx.codes.ACCEPTED:  # "No seasons available to request"
            raise OverseerrRejectedError(f"Overseerr did not request it: {_message(response)}")
        return _parse(OverseerrRequest, response.json())

    async def set_request_status(
        self, request_id: int, status: Literal["approve", "decline"]
    ) -> OverseerrRequest:
        response = await self._send("POST", f"/request/{request_id}/{status}")
        return _parse(OverseerrRequest, response.json())

    async def delete_request(self, request_id: int) -> None:
        await self._send("DELETE", f"/request/{request_id}")

    # ------------------------------------------------------------------ plumbing

    async def _read(self, path: str, *, params: dict[str, Any] | None = None) -> Any:
        """GET with retries on connection errors and 502/503/504, within the timeout."""
        try:
            async for attempt in stamina.retry_context(
                on=(httpx.TransportError, _RetryableStatusError),
                attempts=READ_ATTEMPTS,
                timeout=self.config.timeout_seconds * READ_ATTEMPTS,
                wait_initial=0.1,
                wait_max=1.0,
            ):
                with attempt:
                    response = _retry_when_busy(await self._http.get(path, params=params))
        except (httpx.TransportError, _RetryableStatusError) as exc:
            raise self._unreachable(path, exc) from exc
        return _json(_checked(response))

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise self._unreachable(path, exc) from exc
        return _checked(response)

    def _unreachable(self, path: str, exc: Exception) -> OverseerrUnreachableError:
        config = self.config
        if isinstance(exc, _RetryableStatusError):
            status = exc.response.status_code
            reason = f"{where(config.url)} answered {status} {exc.response.reason_phrase}".strip()
        else:
            reason = describe_failure(exc, url=config.url, timeout_seconds=config.timeout_seconds)
        logger.warning("overseerr.unreachable", path=path, reason=reason)
        return OverseerrUnreachableError(f"Could not reach Overseerr: {reason}.")


def _retry_when_busy(response: httpx.Response) -> httpx.Response:
    if response.status_code in {502, 503, 504}:
        raise _RetryableStatusError(response)
    return response


def _checked(response: httpx.Response) -> httpx.Response:
    status = response.status_code
    if status in {401, 403}:
        raise OverseerrAuthFailedError()
    if status == httpx.codes.NOT_FOUND:
        raise OverseerrNotFoundError()
    if status >= httpx.codes.INTERNAL_SERVER_ERROR:
        raise OverseerrServerError(_message(response))
    if response.is_error:
        raise OverseerrRejectedError(f"Overseerr refused the request: {_message(response)}")
    return response


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code}"
    message = body.get("message") if isinstance(body, dict) else None
    return str(message)[:300] if message else f"status {response.status_code}"


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise OverseerrRejectedError("Overseerr answered something that is not JSON.") from exc


def _parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        logger.warning("overseerr.unexpected_answer", model=model.__name__, error=str(exc)[:300])
        raise OverseerrRejectedError("Overseerr answered in an unexpected shape.") from exc
