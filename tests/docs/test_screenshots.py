"""The screenshot set matches the demo's pages, stays small, and the docs show every page."""

import re
from pathlib import Path

from scripts.demo import Seeded
from scripts.demo_pages import demo_pages
from scripts.screenshots import DEVICES, OUTPUT, SCHEMES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SHOWN = re.compile(r"assets/screenshots/([\w-]+)-(?:desktop|phone)-(?:dark|light)\.webp")
MAX_BYTES = 200 * 1024
"""A screenshot above this is a sign the capture went wrong (a page far too tall, a PNG)."""

PAGES = [
    page.name
    for page in demo_pages(Seeded("", "", "", request_ids={"pending": "0"}, download_id=""))
]


def _expected_files() -> set[str]:
    return {
        f"{page}-{device}-{scheme}.webp"
        for page in PAGES
        for device in DEVICES
        for scheme in SCHEMES
    }


def _shown_in_docs() -> set[str]:
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOCS.rglob("*.md"))
    return set(SHOWN.findall(text))


def test_every_page_of_the_demo_has_its_screenshots() -> None:
    missing = _expected_files() - {path.name for path in OUTPUT.glob("*.webp")}
    assert not missing, f"run `make screenshots` (or --only): {sorted(missing)}"


def test_no_screenshot_is_left_from_a_page_that_is_gone() -> None:
    stale = {path.name for path in OUTPUT.glob("*.webp")} - _expected_files()
    assert not stale, f"no page of scripts/demo_pages.py makes these: {sorted(stale)}"


def test_screenshots_stay_small() -> None:
    large = {path.name: path.stat().st_size for path in OUTPUT.glob("*.webp")}
    large = {name: size for name, size in large.items() if size > MAX_BYTES}
    assert not large, f"over {MAX_BYTES // 1024} KB: {large}"


def test_the_docs_show_every_page() -> None:
    unseen = set(PAGES) - _shown_in_docs()
    assert not unseen, f"embed these pages in the user or admin guide: {sorted(unseen)}"
