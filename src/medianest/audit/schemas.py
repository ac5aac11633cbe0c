"""Wire shapes of the audit log, and who made a request."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from medianest.kit.schemas import CamelModel, IsoDateTime, SafeStr


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request came from, as recorded in the audit log."""

    ip_address: str | None = None
    user_agent: str | None = None
    correlation_id: str | None = None


class AuditLogRead(CamelModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    action: str
    target_type: str | None
    target_id: str | None
    details: dict[str, Any]
    ip_address: str | None
    user_agent: str | None
    correlation_id: str | None
    created_at: datetime


class AuditLogFilter(CamelModel):
    actor_id: uuid.UUID | None = Field(default=None, description="Only this user's actions.")
    action: SafeStr | None = Field(
        default=None, max_length=100, description="Exact action, e.g. `auth.sign_in`."
    )
    since: IsoDateTime | None = Field(
        default=None, description="From this time (inclusive), with its time zone."
    )
    until: IsoDateTime | None = Field(
        default=None, description="Before this time, with its time zone."
    )
