"""The development endpoints' service: a fresh start for end-to-end suites."""

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.cache.cache import Cache
from medianest.diagnostics.repository import DataRepository
from medianest.diagnostics.schemas import HarnessResetRead


class HarnessService:
    """The development endpoints: a fresh start for end-to-end suites."""

    def __init__(self, session: AsyncSession, cache: Cache) -> None:
        self._data = DataRepository(session)
        self._cache = cache

    async def reset(self) -> HarnessResetRead:
        deleted = await self._data.empty_all_tables()
        removed = await self._cache.clear()
        return HarnessResetRead(
            tables=sorted(deleted),
            rows_deleted=sum(deleted.values()),
            cache_entries_removed=removed,
        )
