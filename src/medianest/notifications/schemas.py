"""Wire models and vocabulary of notifications."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, computed_field

from medianest.kit.schemas import CamelModel, NonBlankStr, Page


class NotificationKind(StrEnum):
    REQUEST_STATUS = "request_status"
    DOWNLOAD_COMPLETED = "download_completed"
    DOWNLOAD_FAILED = "download_failed"
    BROADCAST = "broadcast"
    SERVICE_STATUS = "service_status"


class Severity(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class NotificationRead(CamelModel):
    id: uuid.UUID
    kind: str = Field(
        description="What it is about: `request_status`, `download_completed`, "
        "`download_failed`, `broadcast` or `service_status`."
    )
    severity: Severity = Field(description="How to present it.")
    title: str
    message: str
    link: str | None = Field(default=None, description="Where in the app it leads, if anywhere.")
    data: dict[str, Any] = Field(
        default_factory=dict, description="Facts for the client, e.g. the request's id."
    )
    read_at: datetime | None = Field(description="When it was marked read; null while unread.")
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPage(Page[NotificationRead]):
    unread_count: int = Field(description="The user's unread notifications, on every page.")


class MarkedRead(CamelModel):
    marked: int = Field(description="How many notifications were unread and are read now.")


class BroadcastCreate(CamelModel):
    title: Annotated[NonBlankStr, Field(max_length=200)]
    message: Annotated[NonBlankStr, Field(max_length=5000)]
    severity: Severity = Severity.INFO
    user_ids: Annotated[list[uuid.UUID] | None, Field(min_length=1, max_length=1000)] = Field(
        default=None, description="Who gets it; every active user when left out."
    )


class BroadcastSent(CamelModel):
    recipients: int = Field(description="How many users got the notification.")
