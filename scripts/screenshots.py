"""Screenshots of every page of the demo, desktop and phone, dark and light, for the docs.

Starts the demo (`scripts/demo.py`: the fakes and a seeded MediaNest), signs in as the demo's
friend and admin, and saves each page of `scripts/demo_pages.py` as WebP into
docs/assets/screenshots/<page>-<desktop|phone>-<dark|light>.webp. WebP comes from Chromium
itself (DevTools' `Page.captureScreenshot`), so nothing else is needed.

    .venv/bin/python scripts/screenshots.py [--only home,discover] [--quality 72]
    make screenshots
"""

import argparse
import base64
import sys
import tempfile
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, Page, StorageState, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.demo import running_demo  # noqa: E402
from scripts.demo_pages import (  # noqa: E402
    DemoPage,
    demo_pages,
    launch_chromium,
    sessions,
    wait_until_settled,
)
from tests.fixtures.server import free_port  # noqa: E402

OUTPUT = ROOT / "docs" / "assets" / "screenshots"
DEVICES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 740},
}
SCHEMES: tuple[Literal["dark", "light"], ...] = ("dark", "light")
MAX_HEIGHT = 1800
"""Long pages are cut here: the top of a page shows what it is; the files stay small."""
COLOR_SCHEME_KEY = "medianest-color-scheme"  # frontend/src/app/theme.ts
SCREENSHOT_ENV = {
    "RATE_LIMIT_API_PER_IP": "100000/minute",
    "RATE_LIMIT_API_PER_USER": "100000/minute",
}

# Scroll through the page so lazy posters load, then back to the top.
LOAD_LAZY_IMAGES = """async () => {
  const step = window.innerHeight;
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((done) => setTimeout(done, 60));
  }
  document.querySelectorAll('img[loading="lazy"]').forEach((image) => { image.loading = "eager"; });
  window.scrollTo(0, 0);
}"""
IMAGES_LOADED = "() => [...document.images].every((image) => image.complete)"
FREEZE_MOTION = (
    "*, *::before, *::after { transition: none !important; animation: none !important;"
    " caret-color: transparent !important; }"
)


CONNECTED = "() => !document.body.textContent.includes('Reconnecting')"


def capture(page: Page, path: Path, quality: int, *, whole_page: bool = True) -> None:
    # The live connection opens after the page: its "Reconnecting" banner is not the page.
    try:
        page.wait_for_function(CONNECTED, timeout=10_000)
    except PlaywrightTimeoutError:  # still worth a picture; said in the output
        print(f"  still reconnecting on {path.name}", flush=True)
    page.evaluate(LOAD_LAZY_IMAGES)
    try:
        page.wait_for_function(IMAGES_LOADED, timeout=10_000)
    except PlaywrightTimeoutError:  # a poster that never loads still leaves a page to show
        print(f"  some images did not load on {path.name}", flush=True)
    page.add_style_tag(content=FREEZE_MOTION)
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    width = page.evaluate("document.documentElement.clientWidth")
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    if not whole_page:  # a dialog's overlay dims the window only, not the page below it
        height = page.evaluate("window.innerHeight")
    session = page.context.new_cdp_session(page)
    shot = session.send(
        "Page.captureScreenshot",
        {
            "format": "webp",
            "quality": quality,
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    session.detach()
    path.write_bytes(base64.b64decode(shot["data"]))


def shoot(
    browser: Browser, url: str, state: StorageState, page: DemoPage, quality: int
) -> list[Path]:
    saved = []
    for scheme in SCHEMES:
        for device, viewport in DEVICES.items():
            context = browser.new_context(
                base_url=url, storage_state=state, viewport=viewport, color_scheme=scheme
            )
            context.add_init_script(f"localStorage.setItem('{COLOR_SCHEME_KEY}', '{scheme}')")
            tab = context.new_page()
            tab.goto(page.path)
            wait_until_settled(tab)
            if page.then is not None:
                page.then(tab)
                wait_until_settled(tab)
            path = OUTPUT / f"{page.name}-{device}-{scheme}.webp"
            capture(tab, path, quality, whole_page=page.then is None)
            saved.append(path)
            context.close()
    return saved


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated page names (default: every page)")
    parser.add_argument("--quality", type=int, default=72, help="WebP quality, 0-100")
    args = parser.parse_args(argv)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="medianest-screenshots-") as data_dir,
        running_demo(Path(data_dir), free_port(), SCREENSHOT_ENV) as demo,
    ):
        if demo.seeded is None:
            raise RuntimeError("the demo was not seeded")
        pages = demo_pages(demo.seeded)
        if args.only:
            wanted = set(args.only.split(","))
            pages = [page for page in pages if page.name in wanted]
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            states = sessions(browser, demo.url)
            total = 0
            for page in pages:
                for path in shoot(browser, demo.url, states[page.who], page, args.quality):
                    total += path.stat().st_size
                    print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
            browser.close()
    print(f"{total / 1024 / 1024:.1f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
