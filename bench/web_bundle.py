"""The browser app's JavaScript per route, gzipped: what a first visit downloads.

Reads the Vite manifest of the build (`scripts/web build`) and follows each route's static
imports. The sign-in route is the entry, the sign-in page and the auth feature's strings,
each with its static imports: what Chromium fetches for /sign-in (bench/first_render.py
counts the same files from the browser's side). With `--check` it exits 1 when the sign-in
route is over the budget (`scripts/web check` runs it).

Budget: issue 12 asks for at most 150 KB (bench/README.md, "Web app: JavaScript per route").
The libraries (React DOM, Mantine's core, i18next, TanStack Query, wouter) are most of it.

    .venv/bin/python bench/web_bundle.py [--check]
"""

import gzip
import json
import sys
from pathlib import Path

DIST = Path(__file__).resolve().parents[1] / "src" / "medianest" / "web" / "dist"
ENTRY = "index.html"
SIGN_IN = ("src/features/auth/routes/SignInPage.tsx", "src/features/auth/i18n/en.json")
BUDGET_KB = 150


def gzipped_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def static_closure(manifest: dict[str, dict[str, object]], key: str) -> list[str]:
    """The chunk of `key` and every chunk it imports statically, entry first."""
    seen: list[str] = []
    pending = [key]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.append(current)
        pending.extend(str(name) for name in manifest[current].get("imports", []))  # type: ignore[attr-defined]
    return seen


def brotli_kb(path: Path) -> float:
    """The size of the `.br` copy the build writes (what browsers are served)."""
    copy = path.with_name(path.name + ".br")
    return copy.stat().st_size / 1024 if copy.exists() else float("nan")


def route_chunks(manifest: dict[str, dict[str, object]], *routes: str) -> set[Path]:
    keys = static_closure(manifest, ENTRY)
    for route in routes:
        keys += static_closure(manifest, route)
    return {DIST / str(manifest[k]["file"]) for k in keys}


def route_kb(manifest: dict[str, dict[str, object]], *routes: str) -> float:
    return sum(gzipped_kb(chunk) for chunk in route_chunks(manifest, *routes))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    manifest_path = DIST / ".vite" / "manifest.json"
    if not manifest_path.exists():
        print("No build: run scripts/web build first.")
        return 1
    manifest: dict[str, dict[str, object]] = json.loads(manifest_path.read_text())
    print(f"{'chunk':<48} {'gzip KB':>8} {'br KB':>8}")
    for chunk in sorted((DIST / "assets").glob("*.js"), key=gzipped_kb, reverse=True):
        print(f"{chunk.name:<48} {gzipped_kb(chunk):>8.1f} {brotli_kb(chunk):>8.1f}")
    print()
    print(f"{'route (entry + its static imports)':<48} {'gzip KB':>8} {'br KB':>8}")
    for key, entry in sorted(manifest.items()):
        if entry.get("isDynamicEntry"):
            chunks = route_chunks(manifest, key)
            brotli = sum(brotli_kb(chunk) for chunk in chunks)
            print(f"{key:<48} {route_kb(manifest, key):>8.1f} {brotli:>8.1f}")
    chunks = route_chunks(manifest, *SIGN_IN)
    print(f"\n{'sign-in route, chunk by chunk':<48} {'gzip KB':>8} {'br KB':>8}")
    for chunk in sorted(chunks, key=gzipped_kb, reverse=True):
        print(f"{chunk.name:<48} {gzipped_kb(chunk):>8.1f} {brotli_kb(chunk):>8.1f}")
    sign_in = sum(gzipped_kb(chunk) for chunk in chunks)
    verdict = "within" if sign_in <= BUDGET_KB else "OVER"
    print(
        f"\nsign-in route: {sign_in:.1f} KB gzipped in {len(chunks)} files, "
        f"{verdict} the {BUDGET_KB} KB budget"
    )
    return 1 if check and sign_in > BUDGET_KB else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
