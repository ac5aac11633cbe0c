"""Wire models: camelCase JSON, strict input, and the SPEC's page shape."""

import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic.alias_generators import to_camel


def _reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def documented_pattern(pattern: str, *, example: str | None = None) -> Any:
    """A rule a validator enforces, told in the schema as `pattern` (the validator, not the
    pattern, checks input, so that its message is the one people read)."""
    extra: dict[str, Any] = {"pattern": pattern}
    if example is not None:
        extra["examples"] = [example]
    return Field(json_schema_extra=extra)


NUL_FREE_PATTERN = "^[^\\u0000]*$"
NO_NUL = documented_pattern(NUL_FREE_PATTERN)

SafeStr = Annotated[str, AfterValidator(_reject_nul), NO_NUL]
"""A string that can be stored in any database (PostgreSQL refuses NUL bytes)."""

NonBlankStr = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_reject_nul), NO_NUL
]
"""Text people write (a reason, a comment): trimmed, not empty, storable. Give it a
`max_length` with `Field` where it is used."""


_ISO_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}", re.ASCII)


def _require_iso_text(value: object) -> object:
    """Pydantic also reads numbers (and numeric text) as Unix times: `until=0.5` would be
    1970. A time given by people or programs is written out, so only that is taken."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_TIME.match(value):
        raise ValueError(
            "must be an ISO 8601 date and time with its time zone, such as 2026-12-06T09:30:00Z"
        )
    return value


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_require_iso_text)]
"""A date and time written out in ISO 8601 with its time zone (no Unix times)."""


class CamelModel(BaseModel):
    """Base of every request and response body: snake_case in Python, camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        from_attributes=True,
        serialize_by_alias=True,
    )


T = TypeVar("T")


class Pagination(CamelModel):
    page: int = Field(description="The 1-based page returned.")
    limit: int = Field(description="The page size asked for.")
    total_items: int = Field(description="Items across all pages.")
    total_pages: int = Field(description="Pages at this page size (0 when there are no items).")
    has_next: bool
    has_prev: bool
    total_exact: bool = Field(
        default=True,
        description="False when `totalItems` (and `totalPages`) is an estimate: a list with "
        "more than ten thousand matching items past this page is not counted one by one.",
    )

    @classmethod
    def build(
        cls, *, page: int, limit: int, total_items: int, total_exact: bool = True
    ) -> "Pagination":
        total_pages = math.ceil(total_items / limit) if total_items else 0
        return cls(
            page=page,
            limit=limit,
            total_items=total_items,
            total_exact=total_exact,
            total_pages=total_pages,
            has_next=page < total_pages,
            has_prev=page > 1,
        )


class Page(CamelModel, Generic[T]):
    """One page of a list: `{"items": [...], "pagination": {...}}`."""

    items: list[T]
    pagination: Pagination

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`Page[UserRead]` is named `UserReadPage` in the OpenAPI schema."""
        return f"{getattr(params[0], '__name__', 'Item')}Page"

    @classmethod
    def build(
        cls,
        items: Sequence[Any],
        *,
        page: int,
        limit: int,
        total_items: int,
        total_exact: bool = True,
    ) -> "Page[T]":
        return cls(
            items=list(items),
            pagination=Pagination.build(
                page=page, limit=limit, total_items=total_items, total_exact=total_exact
            ),
        )
