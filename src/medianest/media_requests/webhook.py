"""Overseerr's webhook as it really arrives: its default JSON template, every value a string,
`media` and `request` null in a test notification."""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from medianest.media_requests.schemas import MediaType, RequestStatus

_STATUS_BY_TYPE = {
    "MEDIA_PENDING": RequestStatus.PENDING,
    "MEDIA_APPROVED": RequestStatus.APPROVED,
    "MEDIA_AUTO_APPROVED": RequestStatus.APPROVED,
    "MEDIA_AVAILABLE": RequestStatus.AVAILABLE,
    "MEDIA_DECLINED": RequestStatus.DECLINED,
    "MEDIA_FAILED": RequestStatus.FAILED,
}
_MAX_ID_DIGITS = 11
_WHOLE_TITLE_NEWS = {RequestStatus.AVAILABLE, RequestStatus.PARTIALLY_AVAILABLE}


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class WebhookMedia(_Lenient):
    media_type: str = ""
    tmdb_id: str = Field(default="", alias="tmdbId")
    status: str = ""


class WebhookRequest(_Lenient):
    request_id: str = ""


class WebhookPayload(_Lenient):
    notification_type: StrictStr = Field(min_length=1, max_length=100)
    subject: str = ""
    media: WebhookMedia | None = None
    request: WebhookRequest | None = None


@dataclass(frozen=True, slots=True)
class NotificationTarget:
    status: RequestStatus
    overseerr_request_id: int | None
    media: tuple[MediaType, int] | None
    """Set for availability news, which concerns every open request of the title."""


def notification_target(payload: WebhookPayload) -> NotificationTarget | None:
    """What a notification changes, or None for the ones MediaNest ignores (tests, issues,
    unknown types, or too little information)."""
    status = _STATUS_BY_TYPE.get(payload.notification_type)
    if status is None:
        return None
    if (
        status is RequestStatus.AVAILABLE
        and payload.media
        and (payload.media.status.upper() == "PARTIALLY_AVAILABLE")
    ):
        status = RequestStatus.PARTIALLY_AVAILABLE
    request_id = _int(payload.request.request_id) if payload.request else None
    media = _media(payload.media) if status in _WHOLE_TITLE_NEWS else None
    if request_id is None and media is None:
        return None
    return NotificationTarget(status=status, overseerr_request_id=request_id, media=media)


def _media(media: WebhookMedia | None) -> tuple[MediaType, int] | None:
    if media is None:
        return None
    tmdb_id = _int(media.tmdb_id)
    try:
        media_type = MediaType(media.media_type)
    except ValueError:
        return None
    return None if tmdb_id is None else (media_type, tmdb_id)


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= _MAX_ID_DIGITS else None
