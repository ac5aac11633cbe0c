"""MediaNest: a self-hosted portal in front of a Plex media stack."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("medianest")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
