"""TMDB posters and backdrops through MediaNest, kept on disk: browsers talk to no third party.

A TMDB image path never changes its image, so a file fetched once is served from the data
dir for good. Only sizes TMDB offers and plain file names are accepted: this is not an open
proxy.
"""

import re
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import anyio
from pydantic import AfterValidator

from medianest.integrations.tmdb.client import TmdbImageClient, image_type
from medianest.kit.errors import ValidationError
from medianest.kit.schemas import documented_pattern


class TmdbImageSize(StrEnum):
    """The sizes TMDB's image host serves posters and backdrops in."""

    W92 = "w92"
    W154 = "w154"
    W185 = "w185"
    W342 = "w342"
    W500 = "w500"
    W780 = "w780"
    W1280 = "w1280"
    ORIGINAL = "original"


POSTER_SIZE = TmdbImageSize.W342
DETAILS_POSTER_SIZE = TmdbImageSize.W500
BACKDROP_SIZE = TmdbImageSize.W1280

_FILE_NAME = re.compile(r"[A-Za-z0-9]{1,64}\.(?:jpg|png|webp)")
"""TMDB's file names: a random id and an extension. ASCII classes and `fullmatch`, so no
dot, slash, percent sign, newline or non-ASCII digit gets through."""


def check_file_name(value: str) -> str:
    if not _FILE_NAME.fullmatch(value):
        raise ValueError("must be a TMDB image file name, such as abc123.jpg")
    return value


FileName = Annotated[
    str,
    AfterValidator(check_file_name),
    documented_pattern(f"^{_FILE_NAME.pattern}$", example="abc123.jpg"),
]


def image_url(api_base: str, tmdb_path: str | None, size: TmdbImageSize) -> str | None:
    """Where a browser gets the image of a TMDB path (`/abc.jpg`) through MediaNest; None
    when there is no image or the path is not a TMDB file name."""
    if not tmdb_path or not tmdb_path.startswith("/"):
        return None
    file_name = tmdb_path[1:]
    if not _FILE_NAME.fullmatch(file_name):
        return None
    return f"{api_base}/images/tmdb/{size.value}/{file_name}"


class TmdbImageStore:
    def __init__(self, client: TmdbImageClient, root: Path) -> None:
        """`root` is the folder the images are kept in (created when needed)."""
        self._client = client
        self._root = root

    async def image(self, size: TmdbImageSize, file_name: str) -> tuple[Path, str]:
        """The image's file on disk (fetched from TMDB the first time) and its media type."""
        if not _FILE_NAME.fullmatch(file_name):
            raise ValidationError("Not a TMDB image file name.", details=[{"field": "file"}])
        path = self._root / size.value / file_name
        head = await anyio.to_thread.run_sync(_head, path)
        if head is None:
            content = await self._client.fetch(size.value, file_name)
            await anyio.to_thread.run_sync(_write_atomically, path, content)
            head = content[:12]
        # Only images are ever written (the client checks), so this always finds a type.
        return path, image_type(head) or "application/octet-stream"


def _head(path: Path) -> bytes | None:
    try:
        with path.open("rb") as file:
            return file.read(12)
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, content: bytes) -> None:
    """Readers see the whole file or none: written aside, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as file:
        file.write(content)
    Path(file.name).replace(path)
