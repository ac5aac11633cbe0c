"""The correlation id of the request being served, echoed in `X-Correlation-ID`."""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Correlation-ID"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}", re.ASCII)
_current: ContextVar[str] = ContextVar("correlation_id", default="")


def accept_or_create(incoming: str | None) -> str:
    """Echo a well-formed incoming id; anything else (too long, odd bytes) gets a new one."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current() -> str:
    return _current.get()


def set_current(value: str) -> None:
    _current.set(value)
