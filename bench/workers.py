"""`medianest serve --workers 2` against one worker, on authenticated reads (PostgreSQL + Redis).

It starts two real servers side by side, `medianest serve --workers 1` and `--workers 2`,
each with a database of its own (created on the server of `--database-url`, dropped at the
end), the Redis of `--redis-url` under a key prefix of its own, production settings and rate
limits off; creates the admin and a read API key on each. Then, in `--rounds` (3) alternating
rounds (one worker, two workers), it loads `GET /api/v1/auth/me` with the API key, with
`--connections` (50) keep-alive connections for `--duration` (5) seconds after a 1-second
warm-up, with `bench/pyload.py` in `--generator-processes` (1) processes (wrk when on PATH).
It prints every run, the medians and the ratio two/one, and, with `--markdown`, the goal
line. It asserts nothing.

On a 2-core machine the load generator shares the cores with the two workers, so the ratio
is bounded by what the generator leaves them; server CPU per request is printed beside it.

    .venv/bin/python bench/workers.py [--rounds 3] [--duration 5]
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import HOST, Server, fail_with_log, say
from bench.hotpath import API_KEYS_PATH, ME_PATH, run_sql
from bench.load import (
    JSON_CONTENT,
    LoadGenerator,
    LoadResult,
    PythonGenerator,
    Request,
    WrkGenerator,
    create_admin,
    exchange,
)

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
GOAL_RATIO = 1.7


@dataclass(frozen=True)
class Config:
    rounds: int
    duration: int
    connections: int
    generator_processes: int
    database_url: str
    redis_url: str
    startup_timeout: float
    markdown: bool


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=common.positive_int, default=3)
    parser.add_argument("--duration", type=common.positive_int, default=5)
    parser.add_argument("--connections", type=common.positive_int, default=50)
    parser.add_argument("--generator-processes", type=common.positive_int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--markdown", action="store_true", help="Also print the goal line.")
    common.add_startup_timeout(parser)
    return common.config_from(Config, parser.parse_args(argv))


def database_for(config: Config, workers: int) -> str:
    name = f"medianest_workers{workers}_{uuid.uuid4().hex[:8]}"
    run_sql(config.database_url, [f'CREATE DATABASE "{name}"'])
    return f"{config.database_url.rpartition('/')[0]}/{name}"


def drop_database(config: Config, url: str) -> None:
    name = url.rpartition("/")[2]
    run_sql(config.database_url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def start_server(config: Config, workdir: Path, workers: int, database: str) -> Server:
    port = common.free_port()
    settings = {
        **common.UNLIMITED_RATE_LIMITS,
        "DATABASE_URL": database,
        "REDIS_URL": config.redis_url,
        "REDIS_KEY_PREFIX": f"bench-workers-{uuid.uuid4().hex[:8]}:",
    }
    stem = f"workers-{workers}"
    env = common.medianest_environment(workdir / f"{stem}-data", settings)
    command = [
        *[sys.executable, "-m", "medianest", "serve", "--host", HOST, "--port", str(port)],
        *["--workers", str(workers)],
    ]
    return common.spawn(f"serve --workers {workers}", command, env, workdir / f"{stem}.log", port)


def api_key_request(server: Server) -> Request:
    token = create_admin(server).token
    body = json.dumps({"name": "bench workers", "scopes": ["read"]})
    headers = (("Authorization", f"Bearer {token}"), JSON_CONTENT)
    answer = exchange(server, Request(API_KEYS_PATH, "POST", headers, body))
    if answer.status != 201:
        fail_with_log(server, f"answered {answer.status} to POST {API_KEYS_PATH}")
    request = Request(ME_PATH, headers=(("X-Api-Key", json.loads(answer.body)["data"]["key"]),))
    # Warm every worker: each answers the kernel's share of fresh connections.
    for _ in range(20):
        if exchange(server, request).status != 200:
            fail_with_log(server, f"did not answer 200 to {ME_PATH} with the API key")
    return request


def generator(config: Config) -> LoadGenerator:
    wrk = shutil.which("wrk")
    if wrk is not None:
        return WrkGenerator(wrk, config.generator_processes)
    return PythonGenerator(config.generator_processes)


def load_once(
    config: Config, load: LoadGenerator, server: Server, request: Request
) -> tuple[LoadResult, float]:
    load.run(server.port, request, config.connections, 1)
    before = common.tree_cpu_seconds(server.process.pid)
    result = load.run(server.port, request, config.connections, config.duration)
    used = common.tree_cpu_seconds(server.process.pid) - before
    return result, 1000 * used / max(result.requests, 1)


def measure(config: Config, servers: dict[int, Server]) -> list[str]:
    load = generator(config)
    requests = {workers: api_key_request(server) for workers, server in servers.items()}
    rates: dict[int, list[float]] = {workers: [] for workers in servers}
    lines = [f"load: {load.describe()}, {config.connections} connections, {config.duration} s"]
    for number in range(1, config.rounds + 1):
        for workers, server in servers.items():
            result, cpu_ms = load_once(config, load, server, requests[workers])
            rates[workers].append(result.requests_per_second)
            lines.append(
                f"  round {number} workers={workers}: {result.requests_per_second:7.0f} req/s  "
                f"p50 {result.p50_ms:7.1f}  p99 {result.p99_ms:7.1f} ms  errors {result.errors}"
                f"  server cpu {cpu_ms:.2f} ms/req  load {os.getloadavg()[0]:.2f}"
            )
            say(lines[-1], sys.stderr)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    ratio = two / one if one else float("nan")
    lines.append(f"median: one worker {one:.0f} req/s, two workers {two:.0f} req/s: {ratio:.2f}x")
    if config.markdown:
        lines.append(
            f"GOAL|`serve --workers 2` on PostgreSQL + Redis: >= 1.7x one worker (/auth/me, "
            f"API key)|{ratio:.2f}x ({one:.0f} -> {two:.0f} req/s)|"
            f"{'met' if ratio >= GOAL_RATIO else 'not met'}"
        )
    return lines


def run(config: Config) -> list[str]:
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-workers-")))
        servers: dict[int, Server] = {}
        for workers in (1, 2):
            database = database_for(config, workers)
            stack.callback(drop_database, config, database)
            servers[workers] = start_server(config, workdir, workers, database)
            stack.callback(common.stop, servers[workers])
        for server in servers.values():
            common.wait_until_ready(server, "/health", config.startup_timeout)
        return measure(config, servers)


def main(argv: Sequence[str] | None = None) -> int:
    return common.run_script(parse_args, run, argv)


if __name__ == "__main__":
    sys.exit(main())
