"""Structured logging: JSON lines in production, readable lines in development.

Every line carries the correlation id bound by the HTTP layer (structlog contextvars), and
values under secret-looking keys are masked before any renderer sees them.
"""

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import medianest.kit.slim_imports  # noqa: F401  # isort: skip - before structlog
import structlog

_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|api[_-]?key|credential|dsn", re.IGNORECASE
)
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)
MASK = "***"


def mask_url_password(text: str) -> str:
    """Hide the password of `scheme://user:password@host` URLs inside `text`."""
    return _URL_PASSWORD.sub(rf"\g<scheme>{MASK}@", text)


def failure_line(exc: BaseException, *, bare: tuple[type[BaseException], ...] = ()) -> str:
    """The root cause of `exc` in one line (`Type: first line`; just the message for the
    `bare` types, whose messages are written for the reader), any password in a URL masked."""
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    lines = str(root).strip().splitlines()
    if isinstance(root, bare) and lines:
        return mask_url_password(lines[0])
    return mask_url_password(f"{type(root).__name__}: {lines[0]}" if lines else type(root).__name__)


def _redact(value: Any, key: str = "") -> Any:
    if key and _SECRET_KEY.search(key):
        return MASK
    if isinstance(value, dict):
        return {k: _redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    if isinstance(value, str):
        return mask_url_password(value)
    return value


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: never let a password, token or key reach a log line."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact(value, key)
    return event_dict


def configure_logging(*, level: str, json_output: bool) -> None:
    """Route stdlib and structlog records through one pipeline and one renderer."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json_output
        # Plain tracebacks: rich's default prints every frame's local variables, which is
        # slow (seconds per error) and would put tokens held in locals into the log.
        else structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    )
    structlog.configure(
        # Drop below-level events before any processor spends time on them.
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if json_output else _keep,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own handlers would print a second, unstructured copy of each line.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True


def _keep(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return event_dict
