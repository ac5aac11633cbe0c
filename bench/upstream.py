"""What MediaNest adds to its upstreams' answer time: a search through Overseerr, a Plex page.

It starts the fake Overseerr (`bench/overseerr_fake.py`) and the fake Plex
(`bench/plex_fake.py`), each in its own process and answering every request after a fixed
`--delay` (20 ms), and a real `medianest serve` (production settings, SQLite, rate limits
off) configured with both; creates the admin. Then, one request at a time on kept-alive
connections (httpx), `--requests` (200) times each, alternating so that both sides of a pair
see the same machine:

- **search**: `GET /api/v1/media/search?query=the` on MediaNest (Overseerr is asked every
  time: searches are not cached) and the same search straight to the fake
  (`GET /api/v1/search?query=the&page=1`, `X-Api-Key`). Overhead = MediaNest's time minus
  the fake's, per pair; reported as p50/p95 of the pairs' differences and p95 minus p95.
- **Plex page, cached**: `GET /api/v1/plex/libraries/1/items?limit=50` once to fill the
  cache, then timed: Plex is not asked, so all of its time is MediaNest's own overhead.
- **Plex page, miss** (for the record): `limit` 51 to 100 (a new cache key each), minus
  the fake's own `/library/sections/1/all` answer time.

`--markdown` adds the goal lines for `bench/run`. `--profile`: instead, MediaNest runs under
cProfile (`bench/profiled_serve.py`) and the script prints the top functions of
`--requests` searches and then of as many cached Plex pages (cProfile slows the server and
sees only the event loop's thread: read the shares). It asserts nothing.

    .venv/bin/python bench/upstream.py [--requests 200] [--delay 0.02]
"""

import argparse
import contextlib
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import Server, fail_with_log

SEARCH_QUERY = "the"
PLEX_PAGE = "/api/v1/plex/libraries/1/items"
PLEX_PAGE_LIMIT = 50
PLEX_MISS_LIMITS = range(PLEX_PAGE_LIMIT + 1, 101)
"""The API takes `limit` up to 100: 50 cache misses at most per run."""
GOAL_MS = 5.0


@dataclass(frozen=True)
class Config:
    requests: int
    delay: float
    startup_timeout: float
    markdown: bool
    profile: bool


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=common.positive_int, default=200)
    parser.add_argument("--delay", type=common.non_negative_float, default=0.02)
    parser.add_argument("--markdown", action="store_true", help="Also print the goal lines.")
    parser.add_argument("--profile", action="store_true", help="cProfile summaries instead.")
    common.add_startup_timeout(parser)
    return common.config_from(Config, parser.parse_args(argv))


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(call: Callable[[], httpx.Response], server: Server) -> float:
    """Milliseconds one call took; fails on an answer other than 200."""
    started = time.perf_counter()
    answer = call()
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        fail_with_log(server, f"answered {answer.status_code}: {answer.text[:500]}")
    return elapsed


def start_fake(module: str, delay: float, workdir: Path) -> Server:
    """A fake upstream in its own process, answering after `delay` seconds."""
    command = [sys.executable, "-m", module, f"--delay={delay}"]
    return common.spawn(module, command, common.clean_environment(), workdir / f"{module}.log")


def read_fake(
    server: Server, prefix: str, ready_path: str, timeout: float
) -> tuple[Server, dict[str, str]]:
    ready, found = common.read_announcement(
        server, prefix, f"{prefix.strip()} line", ready_path, timeout
    )
    return ready, {key: str(value) for key, value in found.items()}


@dataclass
class Figures:
    search_mn: list[float]
    search_direct: list[float]
    plex_hit: list[float]
    plex_miss: list[float]
    plex_direct: list[float]

    @property
    def search_overhead(self) -> list[float]:
        return [a - b for a, b in zip(self.search_mn, self.search_direct, strict=True)]

    @property
    def plex_miss_overhead(self) -> list[float]:
        return [a - b for a, b in zip(self.plex_miss, self.plex_direct, strict=True)]


def measure(
    config: Config,
    medianest: Server,
    overseerr: dict[str, str],
    plex: dict[str, str],
    servers: tuple[Server, Server],
) -> Figures:
    mn = httpx.Client(base_url=medianest.url, timeout=30)
    fake_overseerr = httpx.Client(
        base_url=overseerr["url"], headers={"X-Api-Key": overseerr["apiKey"]}, timeout=30
    )
    fake_plex = httpx.Client(
        base_url=plex["url"],
        headers={"X-Plex-Token": plex["token"], "Accept": "application/xml"},
        timeout=30,
    )
    with mn, fake_overseerr, fake_plex:
        answer = mn.post(common.ADMIN_PATH, json=common.admin_body())
        if answer.status_code != 201:
            fail_with_log(medianest, f"answered {answer.status_code} to the admin's creation")
        mn.headers["Authorization"] = f"Bearer {answer.json()['data']['token']}"
        figures = Figures([], [], [], [], [])

        def search() -> httpx.Response:
            return mn.get("/api/v1/media/search", params={"query": SEARCH_QUERY})

        def search_direct() -> httpx.Response:
            return fake_overseerr.get("/api/v1/search", params={"query": SEARCH_QUERY, "page": 1})

        def plex_page(limit: int = PLEX_PAGE_LIMIT) -> Callable[[], httpx.Response]:
            return lambda: mn.get(PLEX_PAGE, params={"limit": limit})

        def plex_direct() -> httpx.Response:
            return fake_plex.get("/library/sections/1/all")

        for _ in range(5):  # warm-up: connections, first imports, the page's cache entry
            timed(search, medianest)
            timed(search_direct, servers[0])
            timed(plex_page(), medianest)
            timed(plex_direct, servers[1])
        misses = list(PLEX_MISS_LIMITS)
        for number in range(config.requests):
            figures.search_mn.append(timed(search, medianest))
            figures.search_direct.append(timed(search_direct, servers[0]))
            figures.plex_hit.append(timed(plex_page(), medianest))
            if number < len(misses):
                figures.plex_miss.append(timed(plex_page(misses[number]), medianest))
                figures.plex_direct.append(timed(plex_direct, servers[1]))
    return figures


def describe(name: str, values: Sequence[float]) -> str:
    return (
        f"{name:<44} n={len(values):>4}  p50 {statistics.median(values):7.2f} ms  "
        f"p95 {percentile(values, 0.95):7.2f} ms  min {min(values):7.2f} ms"
    )


def report(config: Config, figures: Figures) -> list[str]:
    lines = [
        f"upstream delay {config.delay * 1000:g} ms, one request at a time",
        describe("MediaNest search (Overseerr asked)", figures.search_mn),
        describe("Overseerr fake, same search, direct", figures.search_direct),
        describe("search overhead (pairwise difference)", figures.search_overhead),
        f"search overhead, p95 minus p95: "
        f"{percentile(figures.search_mn, 0.95) - percentile(figures.search_direct, 0.95):.2f} ms",
        f"search overhead, min minus min (the floor, least disturbed by other load): "
        f"{min(figures.search_mn) - min(figures.search_direct):.2f} ms",
        describe("MediaNest Plex page of 50, cache hit", figures.plex_hit),
        describe("MediaNest Plex page, cache miss", figures.plex_miss),
        describe("Plex fake, /library/sections/1/all direct", figures.plex_direct),
        describe("Plex miss overhead (pairwise difference)", figures.plex_miss_overhead),
    ]
    if config.markdown:
        search_p95 = percentile(figures.search_overhead, 0.95)
        hit_p95 = percentile(figures.plex_hit, 0.95)
        lines += [
            f"GOAL|Search through Overseerr: MediaNest's overhead p95 < 5 ms|"
            f"p95 {search_p95:.1f} ms (upstream {config.delay * 1000:g} ms)|"
            f"{'met' if search_p95 < GOAL_MS else 'not met'}",
            f"GOAL|Cached Plex page: MediaNest's overhead p95 < 5 ms|"
            f"p95 {hit_p95:.1f} ms (all of it, Plex not asked)|"
            f"{'met' if hit_p95 < GOAL_MS else 'not met'}",
        ]
    return lines


def start_medianest(config: Config, workdir: Path, settings: dict[str, str]) -> Server:
    if not config.profile:
        return common.start_medianest(workdir, settings)
    port = common.free_port()
    command = [
        *[sys.executable, "-m", "bench.profiled_serve", str(workdir / "medianest.prof")],
        *["serve", "--host", common.HOST, "--port", str(port)],
    ]
    env = common.medianest_environment(workdir / "medianest-data", settings)
    return common.spawn("medianest (profiled)", command, env, workdir / "medianest.log", port)


def profile(config: Config, medianest: Server, prefix: Path) -> list[str]:
    """The profile of `--requests` searches, then of as many cached Plex pages."""
    from bench.hotpath import dump_profile, profile_summary

    lines = []
    with httpx.Client(base_url=medianest.url, timeout=30) as client:
        answer = client.post(common.ADMIN_PATH, json=common.admin_body())
        client.headers["Authorization"] = f"Bearer {answer.json()['data']['token']}"
        targets = {
            "search through Overseerr": ("/api/v1/media/search", {"query": SEARCH_QUERY}),
            "cached Plex page of 50": (PLEX_PAGE, {"limit": str(PLEX_PAGE_LIMIT)}),
        }
        for path, params in targets.values():
            for _ in range(5):
                client.get(path, params=params)
        dump_profile(medianest, Path(f"{prefix}.1"))
        for number, (name, (path, params)) in enumerate(targets.items(), start=2):
            for _ in range(config.requests):
                timed(functools.partial(client.get, path, params=params), medianest)
            dump_profile(medianest, Path(f"{prefix}.{number}"))
            lines.append(f"===== {name}: {config.requests} requests under cProfile =====")
            lines.append(profile_summary(Path(f"{prefix}.{number}"), 25, config.requests))
    return lines


def run(config: Config) -> list[str]:
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-up-bench-")))
        overseerr = start_fake("bench.overseerr_fake", config.delay, workdir)
        stack.callback(common.stop, overseerr)
        plex = start_fake("bench.plex_fake", config.delay, workdir)
        stack.callback(common.stop, plex)
        overseerr, overseerr_line = read_fake(
            overseerr, "BENCH_OVERSEERR ", "/api/v1/status", config.startup_timeout
        )
        plex, plex_line = read_fake(plex, "BENCH_PLEX ", "/identity", config.startup_timeout)
        settings = {
            **common.UNLIMITED_RATE_LIMITS,
            "OVERSEERR_URL": overseerr_line["url"],
            "OVERSEERR_API_KEY": overseerr_line["apiKey"],
            "PLEX_URL": plex_line["url"],
            "PLEX_TOKEN": plex_line["token"],
        }
        medianest = start_medianest(config, workdir, settings)
        stack.callback(common.stop, medianest)
        common.wait_until_ready(medianest, "/health", config.startup_timeout)
        if config.profile:
            return profile(config, medianest, workdir / "medianest.prof")
        figures = measure(config, medianest, overseerr_line, plex_line, (overseerr, plex))
        return report(config, figures)


def main(argv: Sequence[str] | None = None) -> int:
    return common.run_script(parse_args, run, argv)


if __name__ == "__main__":
    sys.exit(main())
