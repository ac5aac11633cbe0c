"""Fixtures of the browser tests: Chromium, a live server with the built app, watched pages."""

import os
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.harness import (
    AXE_SCRIPT,
    CHROMIUM,
    DESKTOP,
    WEB_BUILD,
    ConsoleWatch,
    launch_chromium,
    watch,
)
from tests.conftest import ServerEnv
from tests.fixtures.backends import Backends
from tests.fixtures.server import LiveServer, free_port, start_server


def _require(condition: bool, reason: str) -> None:
    """Locally a missing browser or build skips; in CI (CI=true) it fails."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(backends: Backends) -> Iterator[Browser]:
    """Chromium for one test module. Playwright's sync API keeps an event loop running in this
    thread while it is open, which `asyncio.run` in later modules of the same xdist worker
    cannot share: so it closes with the module. It asks for `backends` so those outlive it."""
    del backends
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    _require(WEB_BUILD.exists(), "the web app is not built (scripts/web build)")
    _require(AXE_SCRIPT.exists(), "frontend/node_modules is missing (scripts/web npm ci)")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def web_server_env() -> dict[str, str]:
    """More environment for the module's server (a module overrides it: the fakes' URLs)."""
    return {}


@pytest.fixture(scope="module")
def web_server(
    browser: Browser,
    server_env: ServerEnv,
    web_server_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """A real `medianest serve` per test module, on a fresh database, serving the build.
    PUBLIC_URL is its address: socket.io admits browsers from that origin only."""
    del browser  # requested first so that a missing browser skips before a server starts
    port = free_port()
    # Creating the database runs its own event loop: not in this thread, where Playwright's is.
    with ThreadPoolExecutor(max_workers=1) as thread:
        env = thread.submit(
            server_env, PUBLIC_URL=f"http://127.0.0.1:{port}", **web_server_env
        ).result()
    server = start_server(env, workdir=tmp_path_factory.mktemp("web"), port=port)
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test's report shows the page's socket.io traffic."""
    report = yield
    console = getattr(item, "funcargs", {}).get("console")
    if report.failed and isinstance(console, ConsoleWatch):
        report.sections.append(("socket.io traffic", "\n".join(console.realtime) or "none"))
    return report


@pytest.fixture
def console() -> ConsoleWatch:
    """The page's console errors and CSP violations; `console.allow(...)` expected ones."""
    return ConsoleWatch()


@pytest.fixture
def page(browser: Browser, web_server: LiveServer, console: ConsoleWatch) -> Iterator[Page]:
    """A desktop page in a fresh context (no cookies, dark scheme) that fails the test on
    any console error or CSP violation it met."""
    context = browser.new_context(
        base_url=web_server.base_url, viewport=DESKTOP, color_scheme="dark"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch(page, console)
    yield page
    context.close()
    assert console.csp_violations == [], f"CSP violations: {console.csp_violations}"
    assert console.unexpected() == [], f"console errors: {console.unexpected()}"
