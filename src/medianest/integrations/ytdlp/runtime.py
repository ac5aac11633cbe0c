"""The JavaScript runtime yt-dlp needs for YouTube: its player hides the media URLs behind
challenges ("n" and signature) that only running YouTube's own JavaScript answers.

MediaNest depends on `deno` (the runtime, a binary shipped in a PyPI wheel) and `yt-dlp-ejs`
(yt-dlp's challenge solver scripts, as a package), and points yt-dlp at that deno explicitly,
so no runtime has to be on PATH and no script is ever fetched from the internet.
"""

import functools
import importlib.metadata
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import deno
import structlog
import yt_dlp_ejs

logger = structlog.get_logger(__name__)

VERSION_TIMEOUT_SECONDS = 10.0
_DENO_VERSION = re.compile(r"^deno (\S+)", re.MULTILINE | re.ASCII)


def ytdlp_version() -> str:
    """The version of the yt-dlp installed, e.g. `2026.10.26` (without importing yt-dlp,
    which takes longer than the checks that ask)."""
    return importlib.metadata.version("yt-dlp")


def find_deno() -> Path | None:
    """The deno of MediaNest's own environment (the `deno` package), else one on PATH."""
    try:
        return Path(deno.find_deno_bin())
    except FileNotFoundError:
        found = shutil.which("deno")
        return Path(found) if found else None


@dataclass(frozen=True, slots=True)
class ChallengeSolver:
    """What yt-dlp will solve YouTube's JavaScript challenges with."""

    deno: Path | None
    deno_version: str | None
    ejs_version: str

    @property
    def ready(self) -> bool:
        return self.deno is not None and self.deno_version is not None

    def describe(self) -> str:
        if self.deno is None:
            return (
                "no JavaScript runtime: YouTube downloads fail or miss formats; reinstall "
                "MediaNest (it depends on the `deno` package)"
            )
        if self.deno_version is None:
            return f"{self.deno} does not run: YouTube downloads fail or miss formats"
        return (
            f"JavaScript challenges solved by deno {self.deno_version} ({self.deno}) with "
            f"yt-dlp-ejs {self.ejs_version}"
        )


def challenge_solver() -> ChallengeSolver:
    """The runtime found and whether it runs (`deno --version`)."""
    found = find_deno()
    version = None if found is None else _deno_version(str(found))
    return ChallengeSolver(deno=found, deno_version=version, ejs_version=str(yt_dlp_ejs.version))


@functools.lru_cache(maxsize=4)
def _deno_version(path: str) -> str | None:
    try:
        completed = subprocess.run(  # noqa: S603 - our own deno, a fixed argument
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("ytdlp.deno_unusable", path=path, error=str(exc))
        return None
    match = _DENO_VERSION.search(completed.stdout)
    if completed.returncode != 0 or match is None:
        logger.warning("ytdlp.deno_unusable", path=path, returncode=completed.returncode)
        return None
    return match[1]
