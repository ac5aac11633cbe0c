"""Memory soak: one `medianest serve` process under mixed load, its resident memory sampled.

It starts one real `medianest serve` (production settings, SQLite in a temporary data dir,
or `--database-url`/`--redis-url`; rate limits off), creates the admin and an API key, then
for `--minutes` (2; the issue's soak is `--minutes 10 --checkpoint 5`) keeps `--connections`
(10) clients busy, each looping over a mix of requests, one at a time, each on its own
kept-alive httpx connection:

    GET /health, GET /api/v1/auth/me (API key), GET /api/v1/auth/me (bearer),
    GET /api/v1/media/requests, GET /api/v1/admin/requests, GET /api/v1/youtube/downloads,
    GET /api/v1/dashboard/notifications, and every 50th request an admin broadcast
    (POST /api/v1/admin/notifications: a write, an audit row and a socket.io publish).

The server process's RSS (psutil, the process and its children) is sampled every
`--interval` (10) seconds. It prints every sample, the RSS at `--checkpoint` minutes (1),
the peak, and the slope of a least-squares line through the samples after the first minute
(MB per minute; the goal row calls it flat within 1 MB/min either way), and, with
`--markdown`, the goal lines. It asserts nothing.

    .venv/bin/python bench/soak.py --minutes 10 --checkpoint 5
"""

import argparse
import asyncio
import contextlib
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import Server, fail_with_log, say

MB = 1024 * 1024
RSS_GOAL_MB = 150.0
WRITE_EVERY = 50
READS = (
    ("/health", "none"),
    ("/api/v1/auth/me", "key"),
    ("/api/v1/auth/me", "bearer"),
    ("/api/v1/media/requests", "bearer"),
    ("/api/v1/admin/requests", "bearer"),
    ("/api/v1/youtube/downloads", "bearer"),
    ("/api/v1/dashboard/notifications", "bearer"),
)


@dataclass(frozen=True)
class Config:
    minutes: float
    checkpoint: float
    interval: float
    connections: int
    database_url: str | None
    redis_url: str | None
    startup_timeout: float
    markdown: bool


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=common.non_negative_float, default=2.0)
    parser.add_argument("--checkpoint", type=common.non_negative_float, default=1.0)
    parser.add_argument("--interval", type=common.non_negative_float, default=10.0)
    parser.add_argument("--connections", type=common.positive_int, default=10)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--markdown", action="store_true", help="Also print the goal lines.")
    common.add_startup_timeout(parser)
    return common.config_from(Config, parser.parse_args(argv))


def rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / MB


def slope_mb_per_minute(samples: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 2:
        return float("nan")
    mean_t = sum(t for t, _ in samples) / len(samples)
    mean_m = sum(m for _, m in samples) / len(samples)
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    return 60 * sum((t - mean_t) * (m - mean_m) for t, m in samples) / spread if spread else 0.0


class Counts:
    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0
        self.failures: dict[str, int] = {}

    def fail(self, what: str) -> None:
        self.failed += 1
        self.failures[what] = self.failures.get(what, 0) + 1


async def credentials(client: httpx.AsyncClient, server: Server) -> dict[str, dict[str, str]]:
    answer = await client.post(common.ADMIN_PATH, json=common.admin_body())
    if answer.status_code != 201:
        fail_with_log(server, f"answered {answer.status_code} to the admin's creation")
    bearer = {"Authorization": f"Bearer {answer.json()['data']['token']}"}
    answer = await client.post(
        "/api/v1/auth/api-keys", json={"name": "soak", "scopes": ["read"]}, headers=bearer
    )
    if answer.status_code != 201:
        fail_with_log(server, f"answered {answer.status_code} to the API key's creation")
    return {"none": {}, "bearer": bearer, "key": {"X-Api-Key": answer.json()["data"]["key"]}}


async def client_loop(
    url: str, headers: dict[str, dict[str, str]], counts: Counts, until: float, offset: int
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for number in itertools.count(offset):
            if time.monotonic() >= until:
                return
            if number % WRITE_EVERY == WRITE_EVERY - 1:
                answer = await client.post(
                    "/api/v1/admin/notifications",
                    json={"title": f"soak {number}", "message": "soak", "severity": "info"},
                    headers=headers["bearer"],
                )
                expected = 201
            else:
                path, auth = READS[number % len(READS)]
                answer = await client.get(path, headers=headers[auth])
                expected = 200
            if answer.status_code == expected:
                counts.ok += 1
            else:
                counts.fail(
                    f"{answer.request.method} {answer.request.url.path} {answer.status_code}"
                )


async def soak(config: Config, server: Server) -> list[str]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        headers = await credentials(client, server)
    counts = Counts()
    started = time.monotonic()
    until = started + config.minutes * 60
    loops = [
        asyncio.create_task(client_loop(server.url, headers, counts, until, index * 7))
        for index in range(config.connections)
    ]
    samples: list[tuple[float, float]] = [(0.0, rss_mb(server.process.pid))]
    lines = [f"  t=   0 s  RSS {samples[0][1]:6.1f} MB"]
    say(lines[-1], sys.stderr)
    while time.monotonic() < until:
        await asyncio.sleep(min(config.interval, max(0.0, until - time.monotonic())))
        at = time.monotonic() - started
        samples.append((at, rss_mb(server.process.pid)))
        lines.append(
            f"  t={at:4.0f} s  RSS {samples[-1][1]:6.1f} MB  requests {counts.ok} ok, "
            f"{counts.failed} failed, load {os.getloadavg()[0]:.2f}"
        )
        say(lines[-1], sys.stderr)
    await asyncio.gather(*loops)
    return lines + summary(config, samples, counts, time.monotonic() - started)


def summary(
    config: Config, samples: list[tuple[float, float]], counts: Counts, seconds: float
) -> list[str]:
    at_checkpoint = next(
        (mb for t, mb in samples if t >= config.checkpoint * 60 - 1), samples[-1][1]
    )
    settled = [(t, mb) for t, mb in samples if t >= 60] or samples
    slope = slope_mb_per_minute(settled)
    change = settled[-1][1] - settled[0][1]
    lines = [
        f"{counts.ok} requests answered as expected, {counts.failed} not, "
        f"{counts.ok / seconds:.0f} req/s over {seconds / 60:.1f} min"
        + (f" (not: {counts.failures})" if counts.failures else ""),
        f"RSS at {config.checkpoint:g} min: {at_checkpoint:.1f} MB; peak "
        f"{max(mb for _, mb in samples):.1f} MB; last {samples[-1][1]:.1f} MB",
        f"slope after the first minute: {slope:+.2f} MB/min ({change:+.1f} MB from "
        f"{settled[0][0]:.0f} s to {settled[-1][0]:.0f} s)",
    ]
    if config.markdown:
        flat = abs(slope) < 1.0
        lines += [
            f"GOAL|One API process under mixed load: RSS < 150 MB after "
            f"{config.checkpoint:g} min|{at_checkpoint:.0f} MB|"
            f"{'met' if at_checkpoint < RSS_GOAL_MB else 'not met'}",
            f"GOAL|Flat over the {config.minutes:g}-minute soak (slope within 1 MB/min)|"
            f"{slope:+.2f} MB/min|{'met' if flat else 'not met'}",
        ]
    return lines


def run(config: Config) -> list[str]:
    settings = common.load_settings(config.database_url, config.redis_url)
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-soak-")))
        server = common.start_medianest(workdir, settings)
        stack.callback(common.stop, server)
        common.wait_until_ready(server, "/health", config.startup_timeout)
        return asyncio.run(soak(config, server))


def main(argv: Sequence[str] | None = None) -> int:
    return common.run_script(parse_args, run, argv)


if __name__ == "__main__":
    sys.exit(main())
