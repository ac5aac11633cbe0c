"""What every browser test needs: Chromium, a page that fails on console errors and CSP
violations, axe-core, and screenshots for the docs."""

import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    WebSocket,
)

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("MEDIANEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WEB_BUILD = ROOT / "src" / "medianest" / "web" / "dist" / "index.html"
SCREENSHOTS = ROOT / "docs" / "assets" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}
COLOR_SCHEME_KEY = "medianest-color-scheme"  # frontend/src/app/theme.ts

# Runs before any page script on every document (init scripts are not subject to its CSP).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.medianestCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def off_the_loop(build: Callable[..., T], /, **kwargs: str) -> T:
    """Call `build` on another thread: Playwright's sync API keeps an event loop running on
    this one, and fixtures that make databases call asyncio.run()."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build, **kwargs).result()


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of a page; some are expected and allowed."""

    errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    realtime: list[str] = field(default_factory=list)
    """The page's socket.io traffic (WebSockets opened and closed, polling requests that
    failed or were refused), printed after each test: shown when it fails."""

    def allow(self, pattern: str) -> None:
        """Expect a console error (e.g. the 401 of the signed-out session check)."""
        self.allowed.append(re.compile(pattern))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def record_csp_violation(self, text: str) -> None:
        self.csp_violations.append(text)

    def trace_realtime(self, event: str) -> None:
        self.realtime.append(f"{time.strftime('%H:%M:%S')} {event}")

    def on_websocket(self, socket: WebSocket) -> None:
        self.trace_realtime(f"websocket open {socket.url}")
        socket.on("framereceived", self.on_frame)
        socket.on("close", lambda closed: self.trace_realtime(f"websocket closed {closed.url}"))
        socket.on("socketerror", lambda error: self.trace_realtime(f"websocket error {error}"))

    def on_frame(self, payload: str | bytes) -> None:
        """socket.io's own refusal (not one of ours, which carry an error code) means the page
        broke the protocol, e.g. by connecting to a namespace twice."""
        if isinstance(payload, str) and payload.startswith("44") and "Unable to connect" in payload:
            self.errors.append(f"socket.io refused a namespace connection: {payload}")
            self.trace_realtime(f"refused {payload}")

    def on_response(self, response: Response) -> None:
        if "/socket.io/" in response.url and response.status >= 400:
            self.trace_realtime(f"{response.status} {response.request.method} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        if "/socket.io/" in request.url:
            self.trace_realtime(f"failed {request.method} {request.url}: {request.failure}")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


def watch(page: Page, console: ConsoleWatch) -> None:
    # The signed-out check of GET /auth/session answers 401: Chromium logs every 4xx fetch.
    console.allow(r"status of 401 .*/api/v1/auth/session\)$")
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(f"uncaught: {error}"))
    page.on("websocket", console.on_websocket)
    page.on("response", console.on_response)
    page.on("requestfailed", console.on_request_failed)
    page.expose_function("medianestCspViolation", console.record_csp_violation)
    page.add_init_script(REPORT_CSP_VIOLATIONS)


FREEZE_MOTION = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: no serious or critical violation. Toasts fade in and
    out, and axe would measure their colours mid-fade: it runs once they have closed."""
    page.locator(".mantine-Notification-root").first.wait_for(state="detached", timeout=15_000)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    # Dialogs and banners fade in: with motion frozen axe sees their final colours, never a
    # half-transparent frame (which it would report as too little contrast).
    frozen = page.add_style_tag(content=FREEZE_MOTION)
    try:
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter((v) => v.impact === 'serious' || v.impact === 'critical')"
            ".map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target)"
            ".join(' | ')}`)"
        )
    finally:
        frozen.evaluate("(element) => element.remove()")
    assert result == [], "\n".join(result)


def screenshots_wanted() -> bool:
    return os.environ.get("MEDIANEST_SCREENSHOTS") == "1"


NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)
# Mantine's colour scheme manager follows storage events (from other tabs): switch in place.
SET_COLOR_SCHEME = """(scheme) => {
  localStorage.setItem("KEY", scheme);
  const change = { key: "KEY", newValue: scheme, storageArea: localStorage };
  window.dispatchEvent(new StorageEvent("storage", change));
  return (NEXT_FRAMES)();
}""".replace("KEY", COLOR_SCHEME_KEY).replace("NEXT_FRAMES", NEXT_FRAMES)


def capture(page: Page, name: str) -> Iterator[Path]:
    """Desktop and phone, dark and light, into docs/assets/screenshots (when asked for).
    In place, without a reload, so a page in the middle of a flow can be captured."""
    if not screenshots_wanted():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for scheme in ("dark", "light"):
        page.evaluate(SET_COLOR_SCHEME, scheme)
        for device, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.evaluate(NEXT_FRAMES)
            path = SCREENSHOTS / f"{name}-{device}-{scheme}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            yield path
    page.evaluate(SET_COLOR_SCHEME, "dark")
    if original:
        page.set_viewport_size(original)


PASSWORD_LABEL = re.compile(r"^Password")


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    """Through the sign-in page, as a person would; waits for the signed-in shell."""
    page.goto("/sign-in")
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Account menu").wait_for()
