"""Take secrets out of error reports before they are stored: tokens, passwords, API keys,
JWTs, cookies, `Authorization` values and secret query parameters, in text and in nested
context alike. Over-masking is the safe side: a report is for reading, not replaying."""

import re
from typing import Any

from medianest.kit.logging import mask_url_password

MASK = "[REDACTED]"
MAX_DEPTH = 12
"""Context nested deeper than this is cut off (it is never needed to read a report)."""

_SECRET_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[_-]?key|credential|"
    r"session|csrf|private[_-]?key|jwt|signature",
    re.IGNORECASE,
)
_SENSITIVE_PARAM = (
    r"[\w.-]*(?:token|key|secret|pass(?:word|wd)?|auth|signature|sig|session|code|"
    r"credential|jwt)[\w.-]*"
)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # A JWT anywhere (ours, or any other service's).
    (re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*"), MASK),
    # A whole header line whose value is a credential.
    (
        re.compile(
            r"(\b(?:proxy-)?authori[sz]ation|\b(?:set-)?cookie)([\"']?\s*[:=]\s*)[^\n]*",
            re.IGNORECASE,
        ),
        rf"\1\2{MASK}",
    ),
    # Credentials after an auth scheme, wherever they appear.
    (re.compile(r"\b(Bearer|Basic|Token|Digest)\s+[\w.~+/=-]{6,}", re.IGNORECASE), rf"\1 {MASK}"),
    # `?token=...`, `&X-Plex-Token=...`, `api_key=...` in URLs.
    (re.compile(rf"([?&;#]{_SENSITIVE_PARAM})=[^&#\s\"'<>]*", re.IGNORECASE), rf"\1={MASK}"),
    # `password=...`, `"apiKey": "..."`, `secret: ...` in free text.
    (
        re.compile(
            r"([\"']?\b[\w-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|credential)[\w-]*"
            r"[\"']?\s*[:=]\s*)(?!\[REDACTED\])(\"[^\"]*\"|'[^']*'|[^\s,;&}\]]+)",
            re.IGNORECASE,
        ),
        rf"\1{MASK}",
    ),
    # MediaNest's cookies and API keys by name.
    (re.compile(r"\b(medianest_[a-z_]+)=[^;\s&]+"), rf"\1={MASK}"),
    (re.compile(r"\bmn_[0-9a-f]{8}_[\w-]+"), MASK),
    # Long opaque runs of letters and digits: session tokens, API keys, hashes.
    (re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{40,}(?![\w-])"), MASK),
)


def scrub_text(text: str) -> str:
    """`text` without anything that looks like a credential (and without NUL characters,
    which PostgreSQL cannot store)."""
    clean = mask_url_password(text.replace("\x00", ""))
    for pattern, replacement in _RULES:
        clean = pattern.sub(replacement, clean)
    return clean


def scrub_optional(text: str | None) -> str | None:
    return None if text is None else scrub_text(text)


def scrub(value: Any, *, depth: int = 0) -> Any:
    """A copy of a JSON-like value with secrets masked: values under secret-looking keys
    entirely, other strings by `scrub_text`."""
    if depth > MAX_DEPTH:
        return "[TRUNCATED]"
    if isinstance(value, dict):
        return {
            scrub_text(str(key)): MASK
            if _SECRET_KEY.search(str(key))
            else scrub(item, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item, depth=depth + 1) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value
