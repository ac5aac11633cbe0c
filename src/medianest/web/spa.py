"""Serving the single-page app: hashed assets, index.html with the base path, client routes.

`dist/` is written by `npm run build` in `frontend/` (`scripts/run` does it when the sources
changed) and shipped inside the wheel, so a release needs no Node.
"""

import html
import mimetypes
import re
import stat
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from medianest.kit.asgi import ROUTE_NAME

DIST_DIR = Path(__file__).parent / "dist"
ASSETS_URL = "/assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))
# Paths that belong to the server: never answered with index.html (an unknown /api/... stays
# the JSON 404 envelope).
SERVER_PREFIXES = (
    "/api",
    "/health",
    "/metrics",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/socket.io",
    "/static",
    ASSETS_URL,
)
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MediaNest: web app not built</title></head>
<body><h1>The MediaNest web app is not built</h1>
<p>The API works (see <a href="docs">docs</a>). To build the browser app, run
<code>./scripts/run</code> (it builds when the sources change), or
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p></body></html>
"""


def app_csp(host: str | None) -> str:
    """The Content-Security-Policy of the app's HTML (seed 002).

    `style-src 'unsafe-inline'` is there only because Mantine writes its CSS variables into a
    `<style>` tag at run time and uses `style` attributes; scripts stay strictly `'self'` (no
    inline script, no eval). WebSocket origins are spelled out for browsers whose `'self'`
    does not cover ws:/wss: yet.
    """
    sockets = f" ws://{host} wss://{host}" if host and _HOST.match(host) else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; "
        f"connect-src 'self'{sockets}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


class ImmutableStaticFiles(StaticFiles):
    """Hashed build assets: their names change with their content, so cache them for a year.
    The build leaves `.br` and `.gz` copies next to text assets; browsers that accept one
    get it (no compression per request)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        accepted = _header(scope, b"accept-encoding") or ""
        for encoding, suffix in PRECOMPRESSED:
            if encoding in accepted and not path.endswith(suffix):
                full_path, found = await anyio.to_thread.run_sync(self.lookup_path, path + suffix)
                if found is not None and stat.S_ISREG(found.st_mode):
                    return FileResponse(
                        full_path,
                        stat_result=found,
                        media_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
                        headers={
                            "Content-Encoding": encoding,
                            "Cache-Control": IMMUTABLE,
                            "Vary": "Accept-Encoding",
                        },
                    )
        return await super().get_response(path, scope)

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Vary"] = "Accept-Encoding"
        if response.status_code == 200:  # noqa: PLR2004 - not 304
            response.headers["Cache-Control"] = IMMUTABLE
        return response


class SpaFallback:
    """The router's answer when no route matched: index.html for client routes (GET/HEAD
    outside the server's own prefixes), a top-level file of the build (favicon), else the
    router's usual 404."""

    def __init__(self, dist_dir: Path, *, not_found: ASGIApp) -> None:
        self.dist_dir = dist_dir
        self.not_found = not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = route_path(scope)
        if scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"} or _is_server(path):
            await self.not_found(scope, receive, send)
            return
        response = self._answer(path, scope)
        if response is None:
            await self.not_found(scope, receive, send)
            return
        scope[ROUTE_NAME] = scope.get("root_path", "") + _route_name(path)
        await response(scope, receive, send)

    def _answer(self, path: str, scope: Scope) -> Response | None:
        index = self.dist_dir / "index.html"
        name = path.strip("/")
        if "/" not in name and _FILE_NAME.match(name) and name != "index.html":
            candidate = self.dist_dir / name
            if candidate.is_file():
                return FileResponse(candidate, headers={"Cache-Control": REVALIDATE})
        if Path(name).suffix:  # a missing file (/app.js), not a client route
            return None
        host = _header(scope, b"host")
        if not index.is_file():
            return _html(NOT_BUILT, host=host, status_code=404)
        page = with_base_path(index.read_text(encoding="utf-8"), scope.get("root_path", ""))
        return _html(page, host=host)


def _route_name(path: str) -> str:
    """A top-level build file by its name (there are a few), every client route as one."""
    name = path.strip("/")
    return f"/{name}" if Path(name).suffix else "/{page}"


def with_base_path(page: str, base_path: str) -> str:
    """Tell the page where it lives: relative asset URLs resolve against `<base href>`, and
    the app reads `medianest-base` for its router and API calls."""
    base = html.escape(base_path.rstrip("/"), quote=True)
    injected = f'<base href="{base}/"><meta name="medianest-base" content="{base}">'
    return page.replace("<head>", f"<head>{injected}", 1)


def mount_web_app(app: FastAPI, *, dist_dir: Path = DIST_DIR) -> None:
    """Serve the built app at the root of `app`; registered after every other route."""
    if (dist_dir / "assets").is_dir():
        app.mount(
            ASSETS_URL, ImmutableStaticFiles(directory=dist_dir / "assets"), name="web-assets"
        )
    app.router.default = SpaFallback(dist_dir, not_found=app.router.default)


def route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path.removeprefix(root) if root and path.startswith(root) else path


def _is_server(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in SERVER_PREFIXES)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def _html(page: str, *, host: str | None, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        page,
        status_code=status_code,
        headers={"Cache-Control": REVALIDATE, "Content-Security-Policy": app_csp(host)},
    )
