"""Queries over system_config."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from medianest.kit.clock import utc_now
from medianest.system_config.models import SystemConfig


class SystemConfigRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> Sequence[SystemConfig]:
        rows = await self._session.scalars(select(SystemConfig).order_by(SystemConfig.key))
        return rows.all()

    async def put(
        self, key: str, value: Any, *, is_secret: bool, updated_by: uuid.UUID | None
    ) -> None:
        row = await self._session.get(SystemConfig, key)
        if row is None:
            row = SystemConfig(key=key)
            self._session.add(row)
        row.value = value
        row.is_secret = is_secret
        row.updated_by_id = updated_by
        row.updated_at = utc_now()

    async def remove(self, keys: Sequence[str]) -> None:
        if keys:
            await self._session.execute(delete(SystemConfig).where(SystemConfig.key.in_(keys)))
