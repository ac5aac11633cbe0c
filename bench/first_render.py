"""First render of the web app's main pages in Chromium, from the Performance API.

Starts the demo (`scripts/demo.py`: the fakes and a seeded MediaNest on the embedded
defaults), signs in through the sign-in page, then loads each page N times in a fresh browser
context (cold: empty HTTP cache) and N times in one context that has loaded it before (warm:
the hashed assets come from the cache). Prints the medians as a Markdown table; asserts
nothing. Method and figures: bench/README.md, "Web app: first render".

    .venv/bin/python bench/first_render.py [--runs 5] [--output FILE]
"""

import argparse
import gzip
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, StorageState, sync_playwright

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

DIST = ROOT / "src" / "medianest" / "web" / "dist"
MAIN_PAGES = (
    "sign-in",
    "home",
    "discover",
    "details",
    "requests",
    "plex-library",
    "youtube",
    "account-profile",
    "admin-overview",
    "admin-settings",
)
# Ample limits: the bench loads pages far faster than a person.
BENCH_ENV = {"RATE_LIMIT_API_PER_IP": "100000/minute", "RATE_LIMIT_API_PER_USER": "100000/minute"}

# Read once the page has settled: navigation timing, paints, and every script it fetched.
FIGURES = """() => new Promise((resolve) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  let lcp = null;
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    lcp = entries[entries.length - 1].startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  const scripts = performance.getEntriesByType("resource")
    .filter((r) => /\\.js(\\?|$)/.test(r.name));
  const settled = performance.now();
  setTimeout(() => resolve({
    ttfb: nav.responseStart - nav.startTime,
    dcl: nav.domContentLoadedEventEnd - nav.startTime,
    fcp: paint ? paint.startTime : null,
    lcp,
    settled,
    jsTransferred: scripts.reduce((sum, r) => sum + r.transferSize, 0),
    jsEncoded: scripts.reduce((sum, r) => sum + r.encodedBodySize, 0),
    jsDecoded: scripts.reduce((sum, r) => sum + r.decodedBodySize, 0),
    scripts: scripts.map((r) => r.name),
  }), 250);
})"""


@dataclass
class Run:
    ttfb: float
    dcl: float
    fcp: float | None
    lcp: float | None
    settled: float
    js_transferred: int
    js_encoded: int
    js_decoded: int
    js_gzip: int
    scripts: int


def gzip_size(url: str) -> int:
    """The size of the script gzipped at level 9, as the server's `.gz` copy."""
    path = DIST / "assets" / Path(urlparse(url).path).name
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) if path.exists() else 0


def measure(page: Page, path: str) -> Run:
    page.goto(path)
    wait_until_settled(page)
    raw: dict[str, Any] = page.evaluate(FIGURES)
    return Run(
        ttfb=raw["ttfb"],
        dcl=raw["dcl"],
        fcp=raw["fcp"],
        lcp=raw["lcp"],
        settled=raw["settled"],
        js_transferred=raw["jsTransferred"],
        js_encoded=raw["jsEncoded"],
        js_decoded=raw["jsDecoded"],
        js_gzip=sum(gzip_size(url) for url in raw["scripts"]),
        scripts=len(raw["scripts"]),
    )


def cold_runs(browser: Browser, url: str, state: StorageState, page: DemoPage, n: int) -> list[Run]:
    runs = []
    for _ in range(n):
        context = browser.new_context(base_url=url, storage_state=state)
        runs.append(measure(context.new_page(), page.path))
        context.close()
    return runs


def warm_runs(browser: Browser, url: str, state: StorageState, page: DemoPage, n: int) -> list[Run]:
    context = browser.new_context(base_url=url, storage_state=state)
    tab = context.new_page()
    measure(tab, page.path)  # fills the cache
    runs = []
    for _ in range(n):
        tab.goto("about:blank")
        runs.append(measure(tab, page.path))
    context.close()
    return runs


def median(values: list[float | None]) -> str:
    present = [v for v in values if v is not None]
    return f"{statistics.median(present):.0f}" if present else "n/a"


def kb(values: list[int]) -> str:
    return f"{statistics.median(values) / 1024:.1f}"


def row(name: str, cache: str, runs: list[Run]) -> str:
    cells = [
        name,
        cache,
        median([r.ttfb for r in runs]),
        median([r.dcl for r in runs]),
        median([r.fcp for r in runs]),
        median([r.lcp for r in runs]),
        median([r.settled for r in runs]),
        str(round(statistics.median([r.scripts for r in runs]))),
        kb([r.js_transferred for r in runs]),
        kb([r.js_gzip for r in runs]),
        kb([r.js_decoded for r in runs]),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| page | cache | TTFB ms | DOMContentLoaded ms | FCP ms | LCP ms | settled ms "
    "| JS files | JS transferred KB | JS gzip KB | JS raw KB |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per page and cache state")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    if not (DIST / "index.html").exists():
        print("No build: run scripts/web build first.")
        return 1
    with (
        tempfile.TemporaryDirectory(prefix="medianest-bench-") as data_dir,
        running_demo(Path(data_dir), free_port(), BENCH_ENV) as demo,
    ):
        if demo.seeded is None:
            raise RuntimeError("the demo was not seeded")
        pages = {page.name: page for page in demo_pages(demo.seeded)}
        lines = [HEADER]
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            states = sessions(browser, demo.url)
            for name in MAIN_PAGES:
                page = pages[name]
                state = states[page.who]
                for cache, runs in (
                    ("cold", cold_runs(browser, demo.url, state, page, args.runs)),
                    ("warm", warm_runs(browser, demo.url, state, page, args.runs)),
                ):
                    lines.append(row(name, cache, runs))
                    print(lines[-1], flush=True)
            browser.close()
    table = "\n".join(lines)
    print(f"\n{table}")
    if args.output:
        args.output.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
