"""Swagger UI and ReDoc served from local files: a self-hosted app must not need a CDN."""

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_URL = "/static/api-docs"
_STATIC_DIR = Path(fastapi_offline.__file__).parent / "static"
# Scripts: the bundled files and, by its hash, the inline start-up code Swagger UI's page
# has (never 'unsafe-inline'). Styles are set inline by both, and ReDoc uses a blob: worker.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'"
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_csp(page: HTMLResponse) -> str:
    """The page's CSP, allowing exactly the inline scripts it has."""
    scripts = _INLINE_SCRIPT.findall(bytes(page.body).decode())
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in scripts
    )
    return DOCS_CSP.format(hashes=hashes)


def mount_api_docs(app: FastAPI, *, openapi_url: str) -> None:
    app.mount(STATIC_URL, StaticFiles(directory=_STATIC_DIR), name="api-docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} API",
            swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
        )
        page.headers["Content-Security-Policy"] = docs_csp(page)
        return page

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} API reference",
            redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = docs_csp(page)
        return page
