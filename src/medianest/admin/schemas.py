"""Query shapes of the admin API."""

import uuid
from datetime import datetime

from pydantic import Field

from medianest.kit.schemas import CamelModel, SafeStr


class AuditLogFilter(CamelModel):
    actor_id: uuid.UUID | None = Field(default=None, description="Only this user's actions.")
    action: SafeStr | None = Field(
        default=None, max_length=100, description="Exact action, e.g. `auth.sign_in`."
    )
    since: datetime | None = Field(default=None, description="From this time (inclusive).")
    until: datetime | None = Field(default=None, description="Before this time.")
