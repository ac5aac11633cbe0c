"""Wire shapes of the audit log, and who made a request."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from medianest.kit.schemas import CamelModel


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
