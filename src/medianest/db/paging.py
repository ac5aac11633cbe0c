"""What every paged list shares: how many rows match, counted only as far as it is cheap.

A total is exact up to `EXACT_UP_TO` rows past the page's offset, which covers a user's own
lists and most filtered ones in practice, and the pages near the end of any list. Past
that, counting would read every matching index entry on every request (a million rows:
~100 ms on PostgreSQL, more on SQLite), so the total is an estimate instead, marked
`exact=False`:

- PostgreSQL: the planner's estimate of the rows matching the filters (the statistics that
  autovacuum keeps), as `EXPLAIN` gives it.
- SQLite: the span of rowids (rows ever inserted, less the oldest deleted), times the share
  of the newest `SAMPLE_ROWS` rows that match the filters.

An estimate is never below what was counted, so every page it announces up to the last
counted row exists; a page past the real end is empty and counts its list exactly.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement, ColumnClause

EXACT_UP_TO = 10_000
"""Rows past a page's offset counted one by one before the total becomes an estimate."""
SAMPLE_ROWS = 2_000
"""SQLite: the newest rows whose share matching the filters scales the estimate."""


@dataclass(frozen=True)
class Total:
    """How many rows a list has across its pages, and whether that was counted or estimated."""

    items: int
    exact: bool = True


async def matching_rows(
    session: AsyncSession,
    table: FromClause | type[Any],
    conditions: list[ColumnElement[bool]],
    *,
    offset: int,
    limit: int,
    shown: int,
) -> Total:
    """How many rows of `table` meet `conditions`, for a page of `limit` that skipped `offset`
    rows and holds `shown`.

    A page holding rows but fewer than `limit` is the last one, so the total is known: most
    lists are that short and need no second query. Otherwise the rows are counted on the
    table alone, with only the filters (no join, no order), which an index on the filtered
    columns answers, and only as far as `offset + EXACT_UP_TO`.
    """
    if 0 < shown < limit or (shown == 0 and offset == 0):
        return Total(offset + shown)
    bound = offset + EXACT_UP_TO
    matching = select(literal(1)).select_from(table).where(*conditions)
    counted = await session.scalar(
        select(func.count()).select_from(matching.limit(bound + 1).subquery())
    )
    if (counted or 0) <= bound:
        return Total(counted or 0)
    estimate = await _estimate(session, table, matching, conditions)
    return Total(max(estimate, bound + 1), exact=False)


async def _estimate(
    session: AsyncSession,
    table: FromClause | type[Any],
    matching: Select[Any],
    conditions: list[ColumnElement[bool]],
) -> int:
    if session.get_bind().dialect.name == "postgresql":
        return await _planner_estimate(session, matching)
    return await _sqlite_estimate(session, table, conditions)


class _Explain(Executable, ClauseElement):
    """`EXPLAIN (FORMAT JSON)` of a statement, its parameters bound as the statement's are."""

    inherit_cache = False

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


async def _planner_estimate(session: AsyncSession, matching: Select[Any]) -> int:
    plan = await session.scalar(_Explain(matching))
    document = json.loads(plan) if isinstance(plan, str) else plan
    return int(document[0]["Plan"]["Plan Rows"])


async def _sqlite_estimate(
    session: AsyncSession, table: FromClause | type[Any], conditions: list[ColumnElement[bool]]
) -> int:
    rowid: ColumnClause[int] = literal_column("rowid", Integer)
    # Only reached with thousands of rows counted, so the table is not empty. One min() or
    # max() per statement: SQLite reads it from the b-tree's edge (both at once scan it all).
    lowest, highest = (
        await session.execute(
            select(
                select(func.min(rowid)).select_from(table).scalar_subquery(),
                select(func.max(rowid)).select_from(table).scalar_subquery(),
            )
        )
    ).one()
    inserted = int(highest) - int(lowest) + 1
    if not conditions:
        return inserted
    # The newest rows by rowid, looked up one by one: a bounded read whatever the filters.
    newest = select(rowid).select_from(table).order_by(rowid.desc()).limit(SAMPLE_ROWS)
    sampled, matched = (
        await session.execute(
            select(func.count(), func.sum(case((and_(*conditions), 1), else_=0)))
            .select_from(table)
            .where(rowid.in_(newest))
        )
    ).one()
    return round(inserted * (matched or 0) / sampled) if sampled else 0
