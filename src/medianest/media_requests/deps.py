"""Services of the media requests domain for a request, and the webhook's credential."""

import hmac
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader

from medianest.http.deps import SessionDep, StateDep
from medianest.kit.errors import UnauthorizedError
from medianest.media_requests.catalog import MediaCatalog
from medianest.media_requests.events import RequestEventPublisher
from medianest.media_requests.images import TmdbImageStore
from medianest.media_requests.service import RequestService
from medianest.notifications.service import NotificationService
from medianest.settings import Settings


async def get_request_service(session: SessionDep, state: StateDep) -> RequestService:
    return RequestService(
        session,
        state.overseerr_client(),
        RequestEventPublisher(state.emitter),
        NotificationService(session, state.emitter),
    )


async def get_catalog(session: SessionDep, state: StateDep) -> MediaCatalog:
    return MediaCatalog(
        session, state.overseerr_client(), state.cache, api_base=api_base(state.settings)
    )


def api_base(settings: Settings) -> str:
    return f"{settings.base_path}/api/v1"


async def get_api_base(state: StateDep) -> str:
    """Where the API is mounted, which image URLs start with."""
    return api_base(state.settings)


async def get_image_store(state: StateDep) -> TmdbImageStore:
    return TmdbImageStore(state.tmdb_image_client(), state.settings.image_cache_path / "tmdb")


RequestServiceDep = Annotated[RequestService, Depends(get_request_service)]
CatalogDep = Annotated[MediaCatalog, Depends(get_catalog)]
ImageStoreDep = Annotated[TmdbImageStore, Depends(get_image_store)]
ApiBaseDep = Annotated[str, Depends(get_api_base)]


WEBHOOK_SECRET = APIKeyHeader(
    name="Authorization",
    scheme_name="overseerrWebhookSecret",
    description="The whole `Authorization` header value set in Overseerr's webhook settings, "
    "equal to `OVERSEERR_WEBHOOK_SECRET`.",
    auto_error=False,
)


async def require_webhook_secret(
    state: StateDep, sent: Annotated[str | None, Security(WEBHOOK_SECRET)]
) -> None:
    """Overseerr signs nothing: it sends the `Authorization` value its admin configured."""
    expected = state.settings.overseerr_webhook_secret
    if expected is None or not hmac.compare_digest(
        (sent or "").encode(), expected.get_secret_value().encode()
    ):
        raise UnauthorizedError(
            "The webhook needs the Authorization value set as OVERSEERR_WEBHOOK_SECRET."
        )


WebhookSecret = Depends(require_webhook_secret)
