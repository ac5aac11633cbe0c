"""A local fake of TMDB's image host (image.tmdb.org/t/p): generated posters and backdrops.

`FakeTmdbImages` answers `GET /t/p/{size}/{file}` as TMDB's host does: the image for a file
it knows (every poster and backdrop of the fake Overseerr's titles, plus what a test adds),
404 for any other. The images are generated PNGs (a two-colour gradient picked from the file
name), so nothing binary is committed. It records every request, so tests can count how
often MediaNest went upstream. Point MediaNest at it with `tmdb_env(fake)`.
"""

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.overseerr import TITLES
from tests.fakes.plex import FakeHttpServer, gradient_png

SIZES = ("w92", "w154", "w185", "w342", "w500", "w780", "w1280", "original")
PREFIX = "/t/p"


def _known_files() -> dict[str, tuple[int, int]]:
    """Each file name the fake Overseerr gives, with its shape (poster 2:3, backdrop 16:9)."""
    files: dict[str, tuple[int, int]] = {}
    for title in TITLES.values():
        files[title.poster_path.lstrip("/")] = (60, 90)
        files[title.backdrop_path.lstrip("/")] = (160, 90)
    return files


class FakeTmdbImages(FakeHttpServer):
    """TMDB's image host; state is guarded by `self._lock`."""

    def __init__(self) -> None:
        self._files = _known_files()
        super().__init__()

    @property
    def base_url(self) -> str:
        """What `TMDB_IMAGE_URL` is set to (TMDB's is https://image.tmdb.org/t/p)."""
        return f"{self.url}{PREFIX}"

    def hits(self, size: str, file_name: str) -> int:
        """How many times the image was asked for since the last reset."""
        wanted = f"{PREFIX}/{size}/{file_name}"
        return sum(request.path == wanted for request in self.requests)

    def add(self, file_name: str, width: int = 60, height: int = 90) -> None:
        with self._lock:
            self._files[file_name] = (width, height)

    def _reset_state(self) -> None:
        self._files = _known_files()

    def _routes(self) -> list[Route]:
        return [Route(PREFIX + "/{size}/{file_name}", self._image, methods=["GET"])]

    def _error_response(self, status: int, message: str) -> Response:
        return Response(message, status_code=status, media_type="text/plain")

    def _image(self, request: Request) -> Response:
        size, file_name = request.path_params["size"], request.path_params["file_name"]
        with self._lock:
            shape = self._files.get(file_name)
        if size not in SIZES or shape is None:
            # TMDB's host answers unknown images with a small text body and a 404.
            return Response("Not Found", status_code=404, media_type="text/plain")
        content = gradient_png(file_name, *shape)
        return Response(
            content,
            media_type="image/png",
            headers={"Cache-Control": "public, max-age=31536000"},
        )


def tmdb_env(fake: FakeTmdbImages) -> dict[str, str]:
    """Environment variables that point a `medianest serve` process at the fake."""
    return {"TMDB_IMAGE_URL": fake.base_url}


@pytest.fixture(scope="session")
def tmdb_images_server() -> Iterator[FakeTmdbImages]:
    with FakeTmdbImages() as server:
        yield server


@pytest.fixture
def tmdb_images(tmdb_images_server: FakeTmdbImages) -> Iterator[FakeTmdbImages]:
    """The fake in its initial state, reset again after the test."""
    tmdb_images_server.reset()
    yield tmdb_images_server
    tmdb_images_server.reset()
