"""Turning untrusted titles into file names, and proving a path stays in the library.

Titles, uploaders, playlist names and even ids come from the site (or, through a generic
page or feed, from whoever wrote it), so each becomes exactly one path component: no
separators, no `..`, no leading dots, no control or bidi characters, no Windows-reserved
names or characters, bounded in length. Sanitising is not trusted alone: the final path is
also resolved (following symlinks) and must lie under the resolved library root.
"""

import re
import unicodedata
from pathlib import Path
from typing import Final

from medianest.integrations.ytdlp.errors import UnsafePathError

MAX_COMPONENT_BYTES: Final = 120
INCOMPLETE_DIR_NAME: Final = ".incomplete"
"""The library's folder for downloads in progress (one folder per download)."""
_FORBIDDEN_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_DOT_RUNS = re.compile(r"\.{2,}")
_WHITESPACE = re.compile(r"\s+")
_WINDOWS_RESERVED: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{n}" for n in range(10)} | {f"LPT{n}" for n in range(10)}
)


def safe_component(text: str | None, *, fallback: str, max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """`text` as a single file or folder name that is safe on Linux, macOS and Windows."""
    # NFKC first: it turns look-alikes such as the fullwidth solidus into a real "/".
    value = unicodedata.normalize("NFKC", text or "")
    value = "".join(" " if char.isspace() else char for char in value if _printable(char))
    value = _FORBIDDEN_CHARACTERS.sub("_", value)
    value = _DOT_RUNS.sub("\N{HORIZONTAL ELLIPSIS}", value)
    value = _trim(_truncate(_trim(_WHITESPACE.sub(" ", value)), max_bytes))
    if value.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        value = f"_{value}"
    return value or fallback


def _printable(char: str) -> bool:
    """Drops control, format (bidi overrides), surrogate, private-use and unassigned."""
    return char.isspace() or not unicodedata.category(char).startswith("C")


def _trim(value: str) -> str:
    """No leading dots (hidden files, `..`) and no trailing dots or spaces (Windows)."""
    return value.strip(" ").lstrip(".").rstrip(". ")


def _truncate(value: str, max_bytes: int) -> str:
    encoded = value.encode("utf-8")
    if len(encoded) <= max_bytes:
        return value
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def ensure_under(root: Path, path: Path) -> Path:
    """`path` resolved, when it lies strictly inside the resolved `root`; else UnsafePathError."""
    resolved_root = root.resolve()
    resolved = path.resolve()
    if resolved == resolved_root or not resolved.is_relative_to(resolved_root):
        raise UnsafePathError(
            "The download would have been written outside the library folder, so it was "
            "stopped and nothing was kept."
        )
    return resolved
