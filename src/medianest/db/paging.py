"""What every paged list shares: how many rows match, without counting when the page says."""

from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def matching_rows(
    session: AsyncSession,
    table: FromClause | type[Any],
    conditions: list[ColumnElement[bool]],
    *,
    offset: int,
    limit: int,
    shown: int,
) -> int:
    """How many rows of `table` meet `conditions`, for a page of `limit` that skipped `offset`
    rows and holds `shown`.

    A page holding rows but fewer than `limit` is the last one, so the total is known: most
    lists are that short and need no second query. Otherwise the rows are counted on the
    table alone, with only the filters (no join, no order), which an index on the filtered
    columns answers.
    """
    if 0 < shown < limit or (shown == 0 and offset == 0):
        return offset + shown
    query = select(func.count()).select_from(table).where(*conditions)
    return await session.scalar(query) or 0
