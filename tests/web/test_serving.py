"""How MediaNest serves the built browser app: caching, client routes, base path, CSP."""

import gzip
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from medianest.app import create_app
from tests.conftest import SettingsFactory
from tests.fixtures.accounts import ADMIN_PASSWORD
from tests.fixtures.envelope import assert_error, assert_ok

INDEX = """<!doctype html>
<html lang="en"><head><meta charset="UTF-8"><title>MediaNest</title>
<script type="module" crossorigin src="./assets/index-abc123.js"></script></head>
<body><div id="root"></div></body></html>
"""

ADMIN = {"email": "admin@example.com", "password": ADMIN_PASSWORD, "name": "Ada Admin"}
Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build as `npm run build` leaves it."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "assets" / "index-abc123.js").write_text("console.log('app')", encoding="utf-8")
    (root / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"console.log('app')"))
    (root / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    return root


@pytest.fixture
def client(make_settings: SettingsFactory) -> Client:
    """The app in-process. Serving the build needs no database: the lifespan (which opens
    one) runs only for tests that also call the API (`with_lifespan=True`)."""

    @asynccontextmanager
    async def open_client(
        dist_dir: Path, *, with_lifespan: bool = False, **settings: str
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(make_settings(**settings), web_dist=dist_dir)
        async with AsyncExitStack() as stack:
            asgi = app
            if with_lifespan:
                manager = await stack.enter_async_context(
                    LifespanManager(app, startup_timeout=30, shutdown_timeout=30)
                )
                asgi = manager.app  # type: ignore[assignment]
            yield await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=asgi), base_url="http://medianest.test"
                )
            )

    return open_client


class TestClientRoutes:
    @pytest.mark.parametrize("path", ["/", "/requests/42", "/sign-in?next=%2Fplex"])
    async def test_get_index_html_without_caching(
        self, client: Client, dist: Path, path: str
    ) -> None:
        async with client(dist) as http:
            response = await http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert '<div id="root">' in response.text
        assert '<head><base href="/"><meta name="medianest-base" content="">' in response.text

    async def test_html_has_the_strict_csp(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            csp = (await http.get("/")).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["style-src"] == "'self' 'unsafe-inline'"
        assert directives["connect-src"] == "'self' ws://medianest.test wss://medianest.test"
        assert directives["frame-ancestors"] == "'none'"

    async def test_a_forged_host_does_not_widen_the_csp(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            response = await http.get("/", headers={"Host": "evil.test; script-src *"})
        assert "evil" not in response.headers["content-security-policy"]
        assert "connect-src 'self';" in response.headers["content-security-policy"]

    async def test_under_a_base_path_the_page_is_told_where_it_lives(
        self, client: Client, dist: Path
    ) -> None:
        async with client(dist, base_path="/medianest") as http:
            page = await http.get("/medianest/requests")
            asset = await http.get("/medianest/assets/index-abc123.js")
            outside = await http.get("/requests")
        assert '<base href="/medianest/"><meta name="medianest-base" content="/medianest">' in (
            page.text
        )
        assert asset.status_code == 200
        assert_error(outside, status=404, code="NOT_FOUND")


class TestAssets:
    async def test_hashed_assets_are_cached_for_a_year(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            response = await http.get("/assets/index-abc123.js")
        assert response.status_code == 200
        assert response.text == "console.log('app')"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"

    async def test_browsers_that_accept_gzip_get_the_precompressed_copy(
        self, client: Client, dist: Path
    ) -> None:
        async with client(dist) as http:
            zipped = await http.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
            plain = await http.get(
                "/assets/index-abc123.js", headers={"Accept-Encoding": "identity"}
            )
            no_brotli_copy = await http.get(
                "/assets/index-abc123.js", headers={"Accept-Encoding": "br"}
            )
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.text == "console.log('app')"  # httpx decodes it
        assert zipped.headers["content-type"].startswith("text/javascript")
        assert zipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert zipped.headers["vary"] == "Accept-Encoding"
        assert "content-encoding" not in plain.headers
        assert plain.text == "console.log('app')"
        assert "content-encoding" not in no_brotli_copy.headers

    async def test_performance_figures_name_assets_and_pages_by_template(
        self, client: Client, dist: Path
    ) -> None:
        (dist / "assets" / "chunk-def456.js").write_text("1", encoding="utf-8")
        async with client(dist, with_lifespan=True) as http:
            admin = assert_ok(await http.post("/api/v1/auth/admin", json=ADMIN), status=201)
            for name in ("index-abc123.js", "chunk-def456.js", "missing-000.js"):
                await http.get(f"/assets/{name}")
            for page in ("/", "/requests", "/admin/users/42", "/favicon.svg"):
                await http.get(page)
            figures = assert_ok(
                await http.get(
                    "/api/v1/performance/metrics",
                    headers={"Authorization": f"Bearer {admin['token']}"},
                )
            )
        assets = [r for r in figures["routes"] if r["route"].startswith("/assets")]
        assert [(r["route"], r["count"]) for r in assets] == [("/assets/{path}", 3)]
        named = {r["route"]: r["count"] for r in figures["routes"] if r["method"] == "GET"}
        assert named["/{page}"] == 3
        assert named["/favicon.svg"] == 1
        assert "unmatched" not in named

    async def test_a_missing_asset_is_a_404_not_the_page(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            assert_error(await http.get("/assets/gone-123.js"), status=404, code="NOT_FOUND")
            assert_error(await http.get("/gone.js"), status=404, code="NOT_FOUND")

    async def test_top_level_build_files_are_served(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            response = await http.get("/favicon.svg")
        assert response.status_code == 200
        assert response.text == "<svg/>"
        assert response.headers["cache-control"] == "no-cache"


class TestServerPathsNeverFallBack:
    @pytest.mark.parametrize(
        "path",
        ["/api/v1/nothing-here", "/api", "/api/v2/x", "/static/none.css", "/metrics/x"],
    )
    async def test_unknown_server_paths_stay_json_404(
        self, client: Client, dist: Path, path: str
    ) -> None:
        async with client(dist) as http:
            assert_error(await http.get(path), status=404, code="NOT_FOUND")

    async def test_the_socket_path_is_socket_io_not_the_page(
        self, client: Client, dist: Path
    ) -> None:
        async with client(dist) as http:
            response = await http.get("/socket.io/x")
        assert response.status_code == 400
        assert "root" not in response.text

    async def test_server_routes_still_answer(self, client: Client, dist: Path) -> None:
        async with client(dist, with_lifespan=True) as http:
            assert (await http.get("/health")).json()["status"] == "ok"
            assert assert_ok(await http.get("/api/v1/health"))["status"] == "healthy"
            assert (await http.get("/openapi.json")).json()["info"]["title"] == "MediaNest"
            assert "swagger-ui" in (await http.get("/docs")).text

    async def test_other_methods_are_not_the_page(self, client: Client, dist: Path) -> None:
        async with client(dist) as http:
            assert_error(await http.post("/requests"), status=404, code="NOT_FOUND")
            assert_error(
                await http.put("/api/v1/auth/login"), status=405, code="METHOD_NOT_ALLOWED"
            )


class TestWithoutABuild:
    async def test_the_root_says_how_to_build(self, client: Client, tmp_path: Path) -> None:
        async with client(tmp_path / "no-dist", with_lifespan=True) as http:
            page = await http.get("/")
            api = await http.get("/api/v1/health")
        assert page.status_code == 404
        assert "not built" in page.text
        assert "./scripts/run" in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert assert_ok(api)["status"] == "healthy"
