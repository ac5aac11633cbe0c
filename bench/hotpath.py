"""Per-request cost of MediaNest's hot path: `/health` and `/api/v1/auth/me`, A/B.

It starts a bare ASGI app (the ceiling of one uvicorn worker) and one `medianest serve` per
source tree given (`--tree NAME=PATH`, default: this checkout as `new`; the starting commit
checked out beside it is the usual second one), each with its own data dir, an admin and an
API key, then loads, in alternating rounds (bare, each tree in turn, again), `GET /health`
and `GET /api/v1/auth/me` with an API key, a bearer token and the session cookie, with 50
keep-alive connections from `bench/pyload.py` (or wrk when on PATH). It prints every run and
the medians per tree, as a fraction of the bare app and of the first tree.

`--profile`: instead, one server of this checkout runs under cProfile while each target is
loaded; the top functions by own time and by cumulative time are printed (the summaries
committed under bench/profiles/).

    .venv/bin/python bench/hotpath.py --tree base=/work/wt/perfhot-base --tree new=.
    .venv/bin/python bench/hotpath.py --database-url postgresql://... --redis-url redis://...
    .venv/bin/python bench/hotpath.py --profile > bench/profiles/hotpath-sqlite.txt

A tree runs with this checkout's interpreter and its own `src/` first on `PYTHONPATH`, so
both legs share the dependencies of this venv. It asserts nothing.
"""

import argparse
import io
import json
import os
import pstats
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import HOST, Server, fail_with_log, say
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

ME_PATH = "/api/v1/auth/me"
API_KEYS_PATH = "/api/v1/auth/api-keys"
TARGET_NAMES = ("GET /health", "me (api key)", "me (bearer)", "me (cookie)")


@dataclass(frozen=True)
class Config:
    trees: tuple[tuple[str, Path], ...]
    rounds: int
    duration: int
    warmup: int
    connections: int
    database_url: str | None
    redis_url: str | None
    profile: bool
    profile_top: int
    generator: str
    startup_timeout: float


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tree", action="append", default=[], help="NAME=PATH of a source tree (repeatable)."
    )
    parser.add_argument("--rounds", type=common.positive_int, default=3)
    parser.add_argument("--duration", type=common.positive_int, default=5)
    parser.add_argument("--warmup", type=common.non_negative_int, default=1)
    parser.add_argument("--connections", type=common.positive_int, default=50)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--profile", action="store_true", help="cProfile this checkout.")
    parser.add_argument("--profile-top", type=common.positive_int, default=35)
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    common.add_startup_timeout(parser)
    args = parser.parse_args(argv)
    trees = tuple(_tree(text) for text in args.tree) or (("new", common.REPO_ROOT),)
    return Config(
        trees=trees,
        rounds=args.rounds,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        database_url=args.database_url,
        redis_url=args.redis_url,
        profile=args.profile,
        profile_top=args.profile_top,
        generator=args.generator,
        startup_timeout=args.startup_timeout,
    )


def _tree(text: str) -> tuple[str, Path]:
    name, _, path = text.partition("=")
    if not path:
        raise SystemExit(f"--tree {text!r}: expected NAME=PATH")
    return name, Path(path).resolve()


# ---------------------------------------------------------------- servers


def medianest_env(
    config: Config, tree: Path, data_dir: Path, database_url: str | None
) -> dict[str, str]:
    settings = common.load_settings(database_url, config.redis_url)
    if config.redis_url:
        settings["REDIS_KEY_PREFIX"] = f"hotpath-{uuid.uuid4().hex[:8]}:"
    env = common.medianest_environment(data_dir, settings)
    env["PYTHONPATH"] = os.pathsep.join([str(tree / "src"), str(common.REPO_ROOT)])
    return env


def start_tree(
    config: Config,
    name: str,
    tree: Path,
    workdir: Path,
    profile_to: Path | None,
    database_url: str | None,
) -> Server:
    port = common.free_port()
    serve = ["serve", "--host", HOST, "--port", str(port)]
    runner = ["-m", "bench.profiled_serve", str(profile_to)] if profile_to else ["-m", "medianest"]
    env = medianest_env(config, tree, workdir / f"{name}-data", database_url)
    command = [sys.executable, *runner, *serve]
    server = common.spawn(name, command, env, workdir / f"{name}.log", port)
    common.wait_until_ready(server, "/health", config.startup_timeout)
    return server


def start_bare(config: Config, workdir: Path) -> Server:
    port = common.free_port()
    command = [sys.executable, "-m", "bench.hello_asgi", "--host", HOST, "--port", str(port)]
    server = common.spawn("bare", command, common.clean_environment(), workdir / "bare.log", port)
    common.wait_until_ready(server, "/", config.startup_timeout)
    return server


def create_database(config: Config, name: str) -> str | None:
    """A database of its own for one tree, on the server of `--database-url` (dropped by
    `drop_databases`); None on SQLite (each tree has its own data dir)."""
    if not config.database_url:
        return None
    database = f"medianest_hotpath_{name}_{uuid.uuid4().hex[:8]}"
    run_sql(config.database_url, [f'CREATE DATABASE "{database}"'])
    base, _, _ = config.database_url.rpartition("/")
    return f"{base}/{database}"


def drop_databases(config: Config, urls: list[str]) -> None:
    if not config.database_url:
        return
    names = [url.rpartition("/")[2] for url in urls]
    run_sql(
        config.database_url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names]
    )


def run_sql(url: str, statements: list[str]) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


@dataclass(frozen=True)
class Targets:
    requests: dict[str, Request]


def prepare_targets(server: Server) -> Targets:
    credentials = create_admin(server)
    bearer = ("Authorization", f"Bearer {credentials.token}")
    body = json.dumps({"name": f"bench {uuid.uuid4().hex[:6]}", "scopes": ["read"]})
    answer = exchange(server, Request(API_KEYS_PATH, "POST", (bearer, JSON_CONTENT), body))
    if answer.status != 201:
        fail_with_log(server, f"answered {answer.status} to POST {API_KEYS_PATH}")
    key = json.loads(answer.body)["data"]["key"]
    requests = {
        "GET /health": Request("/health"),
        "me (api key)": Request(ME_PATH, headers=(("X-Api-Key", key),)),
        "me (bearer)": Request(ME_PATH, headers=(bearer,)),
        "me (cookie)": Request(
            ME_PATH, headers=(("Cookie", f"medianest_access={credentials.access_cookie}"),)
        ),
    }
    for name, request in requests.items():
        answer = exchange(server, request)
        if answer.status != 200:
            fail_with_log(server, f"answered {answer.status} to {name}: {answer.body_text()}")
    return Targets(requests)


# ---------------------------------------------------------------- load


def choose_generator(config: Config) -> LoadGenerator:
    import shutil

    wrk = shutil.which("wrk")
    if config.generator != "python" and wrk is not None:
        return WrkGenerator(wrk, 1)
    return PythonGenerator(1)


@dataclass
class Runs:
    results: dict[tuple[str, str], list[LoadResult]] = field(default_factory=dict)
    cpu_ms: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    """Server CPU per answered request: what the machine's other load changes least."""

    def add(self, tree: str, target: str, result: LoadResult, cpu_ms: float) -> None:
        self.results.setdefault((tree, target), []).append(result)
        self.cpu_ms.setdefault((tree, target), []).append(cpu_ms)

    def median_cpu_ms(self, tree: str, target: str) -> float:
        return statistics.median(self.cpu_ms[(tree, target)])

    def median_rps(self, tree: str, target: str) -> float:
        return statistics.median(r.requests_per_second for r in self.results[(tree, target)])

    def median_p99(self, tree: str, target: str) -> float:
        return statistics.median(r.p99_ms for r in self.results[(tree, target)])


def load(
    generator: LoadGenerator, config: Config, server: Server, request: Request
) -> tuple[LoadResult, float]:
    """The measured run, and the server's CPU milliseconds per request during it."""
    if config.warmup:
        generator.run(server.port, request, config.connections, config.warmup)
    before = common.tree_cpu_seconds(server.process.pid)
    result = generator.run(server.port, request, config.connections, config.duration)
    used = common.tree_cpu_seconds(server.process.pid) - before
    return result, 1000 * used / max(result.requests, 1)


def describe(result: LoadResult, cpu_ms: float | None = None) -> str:
    cpu = "" if cpu_ms is None else f"  cpu {cpu_ms:.3f} ms/req"
    return (
        f"{result.requests_per_second:9,.0f} req/s  p50 {result.p50_ms:7.2f}  "
        f"p99 {result.p99_ms:8.2f} ms  errors {result.errors}{cpu}"
    )


def run_ab(config: Config, generator: LoadGenerator, workdir: Path) -> Runs:
    runs = Runs()
    servers: dict[str, tuple[Server, Targets]] = {}
    databases: list[str] = []
    bare = start_bare(config, workdir)
    try:
        for name, tree in config.trees:
            database_url = create_database(config, name)
            databases += [database_url] if database_url else []
            server = start_tree(config, name, tree, workdir, None, database_url)
            servers[name] = (server, prepare_targets(server))
        for round_number in range(1, config.rounds + 1):
            result, cpu_ms = load(generator, config, bare, Request("/"))
            runs.add("bare", "GET /", result, cpu_ms)
            say(f"round {round_number} bare GET /        {describe(result, cpu_ms)}")
            for name, _ in config.trees:
                server, targets = servers[name]
                for target in TARGET_NAMES:
                    result, cpu_ms = load(generator, config, server, targets.requests[target])
                    runs.add(name, target, result, cpu_ms)
                    say(f"round {round_number} {name:5} {target:14} {describe(result, cpu_ms)}")
    finally:
        common.stop(bare)
        for server, _ in servers.values():
            common.stop(server)
        drop_databases(config, databases)
    return runs


def summary(config: Config, runs: Runs) -> list[str]:
    """Medians per tree; the ratios compare the last tree with the bare app and the first."""
    bare = runs.median_rps("bare", "GET /")
    bare_cpu = runs.median_cpu_ms("bare", "GET /")
    names = [name for name, _ in config.trees]
    first, last = names[0], names[-1]
    rows = [
        [
            "target",
            *(f"{name} req/s" for name in names),
            *(f"{name} p99 ms" for name in names),
            *(f"{name} cpu ms" for name in names),
            "vs bare",
            f"req/s vs {first}",
            f"p99 vs {first}",
            f"cpu vs {first}",
        ]
    ]
    for target in TARGET_NAMES:
        rps = [runs.median_rps(name, target) for name in names]
        p99 = [runs.median_p99(name, target) for name in names]
        cpu = [runs.median_cpu_ms(name, target) for name in names]
        rows.append(
            [
                target,
                *(f"{value:,.0f}" for value in rps),
                *(f"{value:.1f}" for value in p99),
                *(f"{value:.3f}" for value in cpu),
                f"{runs.median_rps(last, target) / bare:.2f}x",
                f"{rps[-1] / rps[0]:.2f}x",
                f"{p99[-1] / p99[0]:.2f}",
                f"{cpu[0] / cpu[-1]:.2f}x less",
            ]
        )
    return [
        f"bare ASGI GET /: {bare:,.0f} req/s, {bare_cpu:.3f} ms CPU per request "
        f"(medians of {config.rounds})",
        *common.format_rows(rows),
    ]


# ---------------------------------------------------------------- profile


def run_profile(config: Config, generator: LoadGenerator, workdir: Path) -> None:
    """One profile per target: the server dumps (and resets) its profile on SIGUSR1."""
    prefix = workdir / "medianest.prof"
    database_url = create_database(config, "profile")
    server = start_tree(config, "new", config.trees[-1][1], workdir, prefix, database_url)
    profiles = []
    try:
        targets = prepare_targets(server)
        dump_profile(server, Path(f"{prefix}.1"))  # setup and first requests: not shown
        for number, target in enumerate(TARGET_NAMES, start=2):
            result, _ = load(generator, config, server, targets.requests[target])
            dump_profile(server, Path(f"{prefix}.{number}"))
            profiles.append((target, result, Path(f"{prefix}.{number}")))
    finally:
        common.stop(server)
        drop_databases(config, [database_url] if database_url else [])
    for target, result, path in profiles:
        say(f"\n===== {target}: under cProfile {describe(result)} =====")
        say(profile_summary(path, config.profile_top, result.requests))


def dump_profile(server: Server, path: Path) -> None:
    server.process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)  # let the write finish


def profile_summary(path: Path, top: int, requests: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    total: float = stats.total_tt  # type: ignore[attr-defined]
    out.write(
        f"profiled CPU {total:.2f} s over {requests:,} requests (incl. warm-up): "
        f"{1000 * total / max(requests, 1):.3f} ms per request measured\n"
    )
    stats.strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    generator = choose_generator(config)
    say(
        f"generator: {generator.describe()}; {config.connections} connections; "
        f"{config.warmup} s warm-up + {config.duration} s per run; "
        f"storage: {'PostgreSQL' if config.database_url else 'SQLite'}"
        f"{' + Redis' if config.redis_url else ''}"
    )
    with tempfile.TemporaryDirectory(prefix="medianest-hotpath-") as tmp:
        workdir = Path(tmp)
        if config.profile:
            run_profile(config, generator, workdir)
            return 0
        runs = run_ab(config, generator, workdir)
    for line in summary(config, runs):
        say(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
