"""The TMDB image proxy: posters and backdrops through MediaNest, kept on disk."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from tests.conftest import SettingsFactory
from tests.fakes.overseerr import AVAILABLE_MOVIE, OVERSEERR_API_KEY, FakeOverseerr
from tests.fakes.tmdb import FakeTmdbImages
from tests.fixtures.accounts import ADMIN_PASSWORD
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok

POSTER = AVAILABLE_MOVIE.poster_path.lstrip("/")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def fresh_database(backends: Backends) -> str:
    return async_url(backends.new_database())


@pytest.fixture
async def app(
    make_settings: SettingsFactory,
    fresh_database: str,
    data_dir: Path,
    tmdb_images: FakeTmdbImages,
    overseerr: FakeOverseerr,
) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process on a fresh database, pointed at the fakes; not signed in."""
    settings = make_settings(
        database_url=fresh_database,
        data_dir=data_dir,
        tmdb_image_url=tmdb_images.base_url,
        overseerr_url=overseerr.url,
        overseerr_api_key=OVERSEERR_API_KEY,
        overseerr_timeout_seconds=1,
    )
    async with (
        LifespanManager(create_app(settings)) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield client


@pytest.fixture
async def browser(app: httpx.AsyncClient) -> httpx.AsyncClient:
    """The app's client signed in with cookies only, as a browser's `<img>` is."""
    created = await app.post(
        "/api/v1/auth/admin",
        json={"email": "owner@example.com", "password": ADMIN_PASSWORD, "name": "Owner"},
    )
    assert_ok(created, status=201)
    assert "authorization" not in app.headers
    return app


async def test_an_image_is_fetched_once_then_served_from_disk(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages, data_dir: Path
) -> None:
    first = await browser.get(f"/api/v1/images/tmdb/w342/{POSTER}")
    second = await browser.get(f"/api/v1/images/tmdb/w342/{POSTER}")
    assert first.status_code == second.status_code == 200
    assert first.headers["content-type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    assert second.content == first.content
    cache_control = first.headers["cache-control"]
    assert "immutable" in cache_control
    assert "max-age=31536000" in cache_control
    assert tmdb_images.hits("w342", POSTER) == 1
    assert (data_dir / "cache" / "images" / "tmdb" / "w342" / POSTER).read_bytes() == first.content


async def test_each_size_is_its_own_image(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages
) -> None:
    for size in ("w92", "original"):
        response = await browser.get(f"/api/v1/images/tmdb/{size}/{POSTER}")
        assert response.status_code == 200
    assert (tmdb_images.hits("w92", POSTER), tmdb_images.hits("original", POSTER)) == (1, 1)


@pytest.mark.parametrize(
    "path",
    [
        f"w9999/{POSTER}",
        f"W342/{POSTER}",
        f"h632/{POSTER}",
        "w342/poster.gif",
        "w342/poster.JPG",
        "w342/.jpg",
        "w342/poster",
        f"w342/{'a' * 65}.jpg",
        "w342/poster.jpg%0A",
        "w342/%D9%A1%D9%A2%D9%A3.jpg",  # Arabic-Indic digits
        "w342/poster%2Ejpg%2E.png",
        "w342/poster%00.jpg",
        "w342/po%25ster.jpg",
    ],
)
async def test_a_bad_size_or_file_name_is_400_and_never_goes_upstream(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages, path: str
) -> None:
    response = await browser.get(f"/api/v1/images/tmdb/{path}")
    assert_error(response, status=400, code="VALIDATION_ERROR")
    assert tmdb_images.requests == []


async def test_a_path_escaping_the_size_never_goes_upstream(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages
) -> None:
    response = await browser.get("/api/v1/images/tmdb/w342/..%2F..%2Fsecrets.jpg")
    assert response.status_code in {400, 404}
    assert response.json()["success"] is False
    assert tmdb_images.requests == []


async def test_an_image_tmdb_lacks_is_404(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages, data_dir: Path
) -> None:
    response = await browser.get("/api/v1/images/tmdb/w500/doesNotExist123.jpg")
    assert_error(response, status=404, code="NOT_FOUND")
    assert tmdb_images.hits("w500", "doesNotExist123.jpg") == 1
    assert not (data_dir / "cache" / "images" / "tmdb" / "w500" / "doesNotExist123.jpg").exists()


async def test_the_image_host_down_is_503_and_nothing_is_kept(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages
) -> None:
    with tmdb_images.down():
        down = await browser.get(f"/api/v1/images/tmdb/w185/{POSTER}")
    with tmdb_images.unauthorized():
        refusing = await browser.get(f"/api/v1/images/tmdb/w185/{POSTER}")
    assert_error(down, status=503, code="SERVICE_UNAVAILABLE")
    assert_error(refusing, status=503, code="SERVICE_UNAVAILABLE")
    after = await browser.get(f"/api/v1/images/tmdb/w185/{POSTER}")
    assert after.status_code == 200


async def test_images_need_a_signed_in_user(
    app: httpx.AsyncClient, tmdb_images: FakeTmdbImages
) -> None:
    response = await app.get(f"/api/v1/images/tmdb/w342/{POSTER}")
    assert_error(response, status=401, code="UNAUTHORIZED")
    assert tmdb_images.requests == []


async def test_search_and_details_point_at_the_proxy(
    browser: httpx.AsyncClient, tmdb_images: FakeTmdbImages
) -> None:
    found = assert_ok(
        await browser.get("/api/v1/media/search", params={"query": AVAILABLE_MOVIE.title})
    )
    details = assert_ok(await browser.get(f"/api/v1/media/movie/{AVAILABLE_MOVIE.tmdb_id}"))
    poster_url = found["items"][0]["posterUrl"]
    backdrop = AVAILABLE_MOVIE.backdrop_path.lstrip("/")
    assert poster_url == f"/api/v1/images/tmdb/w342/{POSTER}"
    assert details["posterUrl"] == f"/api/v1/images/tmdb/w500/{POSTER}"
    assert details["backdropUrl"] == f"/api/v1/images/tmdb/w1280/{backdrop}"
    image = await browser.get(details["backdropUrl"])
    assert image.status_code == 200
    assert tmdb_images.hits("w1280", backdrop) == 1
