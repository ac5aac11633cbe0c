"""Load benchmark: MediaNest's health, account and Plex endpoints against a bare ASGI app.

It starts a real `medianest serve` (production settings, SQLite in a temporary data dir
unless --database-url is given) and, as a baseline, a hello-world ASGI app served with the
same uvicorn settings. It creates an admin through MediaNest's public API and checks that
every target answers 200. Then it loads, one target after another, the bare app's `GET /`,
MediaNest's `GET /health`, `GET /api/v1/health`, `GET /api/v1/auth/me` (once with a bearer
token, once with the session cookie) with 50 keep-alive connections, and
`POST /api/v1/auth/login` with 4 (argon2id makes each sign-in cost ~0.2 s of CPU):
a warm-up, then a measured run.

The Plex targets run against a second `medianest serve` pointed (PLEX_URL, PLEX_TOKEN) at the
fake Plex Media Server of the tests, which `bench/plex_fake.py` runs in its own process: a
library page and a search (both cache hits after the first request) and the image proxy
(never cached by MediaNest, every request goes to Plex). Then, one request at a time, cache
misses of the library page, which go through python-plexapi. `--only core|plex` runs one
group (the bare app always runs: it is the baseline).

It prints requests/s, latency percentiles, errors and each MediaNest endpoint's throughput as
a fraction of the bare app's. It asserts nothing.

The load comes from `wrk` when it is on PATH, else from `bench/pyload.py` in its own
process(es). Run from the repository root:

    .venv/bin/python bench/load.py [--duration 10] [--generator auto|wrk|python] [--only plex]
"""

import argparse
import contextlib
import http.client
import http.cookies
import importlib.util
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

# `python bench/load.py` puts only bench/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import (
    HOST,
    Server,
    fail_with_log,
    non_negative_float,
    non_negative_int,
    positive_int,
    say,
)

BENCH_DIR = common.REPO_ROOT / "bench"
WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"
BARE_NAME = "bare ASGI GET /"
BODY_SHOWN_CHARS = 2000

ME_PATH = "/api/v1/auth/me"
LOGIN_PATH = "/api/v1/auth/login"
ACCESS_COOKIE = "medianest_access"
JSON_CONTENT = ("Content-Type", "application/json")

GROUPS = ("core", "plex")
"""Target groups for --only: health/account/sign-in, and Plex browsing. The bare app always runs."""
PLEX_LINE_PREFIX = "BENCH_PLEX "
"""What `bench/plex_fake.py` prints before its JSON line (its URL and token)."""
PLEX_MOVIES = 50
"""Movies in the fake's library 1 (it has 30; the rest are padding), so a page of 50 is full."""
PLEX_LIBRARY = "1"
PLEX_ITEMS_LIMIT = 50
PLEX_ITEMS_PATH = f"/api/v1/plex/libraries/{PLEX_LIBRARY}/items"
PLEX_SEARCH_PATH = "/api/v1/plex/search?query=batman"
PLEX_MISS_LIMITS = range(PLEX_ITEMS_LIMIT + 1, 101)
"""Limits of the one-at-a-time cache misses: a cache key each, none the loaded page's (the API
allows up to 100); every answer holds the whole library, 50 items, as the loaded page does."""
PLEX_IMAGE_ITEM = "101"
"""Whose poster the image target loads (the fake's first movie, Batman Begins)."""
CACHE_STATUS = "X-Cache-Status"


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    """What the command line asked for."""

    duration: int
    warmup: int
    connections: int
    login_connections: int
    generator: str
    client_processes: int
    wrk_threads: int
    database_url: str | None
    redis_url: str | None
    startup_timeout: float
    groups: frozenset[str]
    sequential_requests: int
    plex_delay: float

    @property
    def core(self) -> bool:
        return "core" in self.groups

    @property
    def plex(self) -> bool:
        return "plex" in self.groups


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        description="Load MediaNest's health, account and Plex endpoints and a bare ASGI app."
    )
    parser.add_argument("--duration", type=positive_int, default=10, help="Measured seconds.")
    parser.add_argument("--warmup", type=non_negative_int, default=2, help="Warm-up seconds.")
    parser.add_argument("--connections", type=positive_int, default=50, help="Connections.")
    parser.add_argument(
        "--login-connections",
        type=positive_int,
        default=4,
        help="Connections for the sign-in target (each sign-in costs an argon2id hash).",
    )
    parser.add_argument(
        "--generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="Load generator: wrk if on PATH (auto), or the Python one.",
    )
    parser.add_argument(
        "--client-processes",
        type=positive_int,
        default=1,
        help="Processes of the Python generator (connections are split among them).",
    )
    parser.add_argument("--wrk-threads", type=positive_int, default=1, help="wrk threads.")
    parser.add_argument("--database-url", help="DATABASE_URL for MediaNest (default: SQLite).")
    parser.add_argument("--redis-url", help="REDIS_URL for MediaNest (default: none).")
    common.add_startup_timeout(parser)
    parser.add_argument(
        "--only",
        choices=GROUPS,
        help="Only this group of targets: core (health, account, sign-in) or plex (Plex "
        "browsing against a fake Plex server). The bare app always runs: it is the baseline.",
    )
    parser.add_argument(
        "--sequential-requests",
        type=positive_int,
        default=20,
        help="Plex: requests of each one-at-a-time latency series (cache misses among them).",
    )
    parser.add_argument(
        "--plex-delay",
        type=non_negative_float,
        default=0.0,
        help="Plex: seconds the fake waits before every answer, as a distant or busy Plex "
        "server would (default 0: the fake answers at once).",
    )
    args = parser.parse_args(argv)
    if args.wrk_threads > args.connections:
        parser.error("--wrk-threads cannot exceed --connections")
    if args.client_processes > args.connections:
        parser.error("--client-processes cannot exceed --connections")
    if args.sequential_requests > len(PLEX_MISS_LIMITS):
        parser.error(f"--sequential-requests cannot exceed {len(PLEX_MISS_LIMITS)}")
    groups = frozenset([args.only] if args.only else GROUPS)
    return common.config_from(Config, args, groups=groups)


# ---------------------------------------------------------------- servers


@dataclass(frozen=True)
class PlexFake:
    """The fake Plex Media Server's process, its URL and the token MediaNest is given."""

    server: Server
    url: str
    token: str


def medianest_settings(config: Config, plex: PlexFake | None = None) -> dict[str, str]:
    """What this benchmark sets on top of `bench.common.medianest_environment`."""
    settings = common.load_settings(config.database_url, config.redis_url)
    if plex is not None:
        settings["PLEX_URL"] = plex.url
        settings["PLEX_TOKEN"] = plex.token
    return settings


def start_medianest_for(config: Config, workdir: Path, plex: PlexFake | None = None) -> Server:
    """MediaNest; with `plex`, a second instance (own data dir) configured with that server."""
    stem = "medianest" if plex is None else "medianest-plex"
    return common.start_medianest(workdir, medianest_settings(config, plex), stem, f"{stem} server")


def start_bare(workdir: Path) -> Server:
    port = common.free_port()
    command = [sys.executable, "-m", "bench.hello_asgi", "--host", HOST, "--port", str(port)]
    return common.spawn(
        "bare ASGI server", command, common.clean_environment(), workdir / "bare.log", port
    )


def start_plex_fake(config: Config, workdir: Path) -> Server:
    """`bench/plex_fake.py`; it picks its own port and prints it (see `read_plex_fake`)."""
    command = [
        *[sys.executable, "-m", "bench.plex_fake"],
        *[f"--movies={PLEX_MOVIES}", f"--delay={config.plex_delay}"],
    ]
    return common.spawn(
        "fake Plex server", command, common.clean_environment(), workdir / "plex.log"
    )


def read_plex_fake(server: Server, timeout: float) -> PlexFake:
    """Wait for the fake's `BENCH_PLEX {...}` line, then for its first 200."""
    what = f"{PLEX_LINE_PREFIX.strip()} line"
    ready, found = common.read_announcement(server, PLEX_LINE_PREFIX, what, "/identity", timeout)
    return PlexFake(server=ready, url=str(found["url"]), token=str(found["token"]))


# ---------------------------------------------------------------- load generators


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured. Latencies in milliseconds."""

    requests: int
    elapsed_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass(frozen=True)
class Request:
    """The request a load run sends again and again, the same bytes every time."""

    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""


class LoadGenerator(Protocol):
    """Something that sends one request over and over for a while and says what it saw."""

    def describe(self) -> str: ...

    def run(self, port: int, request: Request, connections: int, duration: int) -> LoadResult: ...


class WrkGenerator:
    """`wrk` with `wrk_report.lua`, which prints its percentiles as one JSON line.

    Headers go in as `--header` flags; the method and the body, for which wrk has no flag,
    as the environment variables BENCH_METHOD and BENCH_BODY that the script reads.
    """

    def __init__(self, executable: str, threads: int) -> None:
        self.executable = executable
        self.threads = threads

    def describe(self) -> str:
        banner = subprocess.run(
            [self.executable, "-v"], capture_output=True, text=True, check=False
        ).stdout
        version = " ".join(banner.split()[:2]) or "wrk"
        return f"{version} ({self.threads} thread{'s' if self.threads > 1 else ''})"

    def run(self, port: int, request: Request, connections: int, duration: int) -> LoadResult:
        command = [
            self.executable,
            f"--threads={min(self.threads, connections)}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=10s",
            f"--script={WRK_SCRIPT}",
            *(f"--header={name}: {value}" for name, value in request.headers),
            f"http://{HOST}:{port}{request.path}",
        ]
        env = {**os.environ, "BENCH_METHOD": request.method, "BENCH_BODY": request.body}
        output = subprocess.run(
            command, env=env, capture_output=True, text=True, check=True, timeout=duration + 60
        ).stdout
        return self.parse(output)

    @staticmethod
    def parse(output: str) -> LoadResult:
        for line in output.splitlines():
            if line.startswith("BENCH_JSON "):
                report: dict[str, float] = json.loads(line.removeprefix("BENCH_JSON "))
                break
        else:
            raise RuntimeError(f"wrk printed no BENCH_JSON line:\n{output}")
        # non_2xx holds every answer outside 200-299, wrk's own status errors included.
        errors = report["non_2xx"] + sum(
            value for key, value in report.items() if key.startswith("errors_")
        )
        return LoadResult(
            requests=int(report["requests"]),
            elapsed_s=report["duration_us"] / 1e6,
            p50_ms=report["p50_us"] / 1000,
            p95_ms=report["p95_us"] / 1000,
            p99_ms=report["p99_us"] / 1000,
            errors=int(errors),
        )


class PythonGenerator:
    """`bench/pyload.py` in one or more processes, the connections split among them."""

    def __init__(self, processes: int) -> None:
        self.processes = processes

    def describe(self) -> str:
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
        count = f"{self.processes} process{'es' if self.processes > 1 else ''}"
        return f"python bench/pyload.py (asyncio streams on {loop}, {count})"

    def split_connections(self, connections: int) -> list[int]:
        processes = min(self.processes, connections)
        share, extra = divmod(connections, processes)
        return [share + (1 if index < extra else 0) for index in range(processes)]

    def run(self, port: int, request: Request, connections: int, duration: int) -> LoadResult:
        children: list[subprocess.Popen[str]] = []
        try:
            for count in self.split_connections(connections):
                children.append(self._spawn(port, request, duration, count))
            outputs = [child.communicate(timeout=duration + 60)[0] for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                child.wait()
        if any(child.returncode != 0 for child in children):
            raise RuntimeError("the Python load generator failed (see its stderr above)")
        return self.merge([json.loads(output) for output in outputs])

    def _spawn(
        self, port: int, request: Request, duration: int, connections: int
    ) -> subprocess.Popen[str]:
        command = [
            sys.executable,
            "-m",
            "bench.pyload",
            f"--host={HOST}",
            f"--port={port}",
            f"--path={request.path}",
            f"--method={request.method}",
            *(f"--header={name}: {value}" for name, value in request.headers),
            f"--body={request.body}",
            f"--connections={connections}",
            f"--duration={duration}",
        ]
        return subprocess.Popen(command, cwd=common.REPO_ROOT, stdout=subprocess.PIPE, text=True)

    @staticmethod
    def merge(reports: list[dict[str, Any]]) -> LoadResult:
        latencies = sorted(value for report in reports for value in report["latencies_us"])
        return LoadResult(
            requests=len(latencies),
            elapsed_s=max(float(report["elapsed_s"]) for report in reports),
            p50_ms=percentile(latencies, 50) / 1000,
            p95_ms=percentile(latencies, 95) / 1000,
            p99_ms=percentile(latencies, 99) / 1000,
            errors=sum(int(report["errors"]) for report in reports),
        )


def percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending sequence; NaN when it is empty."""
    if not ordered:
        return math.nan
    rank = math.ceil(percent / 100 * len(ordered))
    return float(ordered[max(rank, 1) - 1])


def choose_generator(config: Config) -> LoadGenerator:
    wrk = shutil.which("wrk")
    if config.generator == "wrk" and wrk is None:
        raise SystemExit("load.py: --generator wrk, but wrk is not on PATH")
    if config.generator != "python" and wrk is not None:
        return WrkGenerator(wrk, config.wrk_threads)
    return PythonGenerator(config.client_processes)


# ---------------------------------------------------------------- targets and the admin


@dataclass(frozen=True)
class Target:
    """One request to load one of the servers with, and over how many connections.

    `cache_status`: the X-Cache-Status every answer after the first must carry (the check
    before the load sends the request twice), so a cached target measures cache hits.
    """

    name: str
    server: Server
    request: Request
    connections: int
    cache_status: str | None = None


@dataclass(frozen=True)
class Answer:
    """One response, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def body_text(self) -> str:
        text = self.body.decode("utf-8", errors="replace")
        return text if len(text) <= BODY_SHOWN_CHARS else text[:BODY_SHOWN_CHARS] + " [...]"


def exchange(server: Server, request: Request) -> Answer:
    """Send one request on a fresh connection and read the whole answer."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        connection.request(
            request.method,
            request.path,
            body=request.body.encode("utf-8") if request.body else None,
            headers=dict(request.headers),
        )
        response = connection.getresponse()
        return Answer(response.status, response.msg, response.read())
    except OSError as exc:
        fail_with_log(server, f"did not answer {request.method} {request.path}: {exc}")
    finally:
        connection.close()


@dataclass(frozen=True)
class Credentials:
    """What signing in the admin gave: the access token, and the access cookie's value."""

    token: str
    access_cookie: str


def create_admin(server: Server) -> Credentials:
    """`POST /api/v1/auth/admin` on the fresh server: creates the admin and signs them in."""
    body = json.dumps(common.admin_body())
    answer = exchange(server, Request(common.ADMIN_PATH, "POST", (JSON_CONTENT,), body))
    if answer.status != 201:
        fail_with_log(
            server,
            f"answered {answer.status} to POST {common.ADMIN_PATH}, not 201; body:\n"
            f"{answer.body_text()}\n",
        )
    try:
        token = json.loads(answer.body)["data"]["token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(
            f"POST {common.ADMIN_PATH}: no data.token in the body ({exc!r}):\n{answer.body_text()}"
        ) from exc
    cookies: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if ACCESS_COOKIE not in cookies:
        raise RuntimeError(
            f"POST {common.ADMIN_PATH} set no {ACCESS_COOKIE} cookie; it set: {sorted(cookies)}"
        )
    return Credentials(token=str(token), access_cookie=cookies[ACCESS_COOKIE].value)


def build_core_targets(config: Config, medianest: Server, credentials: Credentials) -> list[Target]:
    """The health and account targets, in the order they are loaded: sign-in, which writes,
    comes last."""
    conns = config.connections
    login_body = json.dumps({"email": common.ADMIN_EMAIL, "password": common.ADMIN_PASSWORD})
    return [
        Target("MediaNest GET /health", medianest, Request("/health"), conns),
        Target("MediaNest GET /api/v1/health", medianest, Request("/api/v1/health"), conns),
        Target(
            f"MediaNest GET {ME_PATH} (bearer)",
            medianest,
            Request(ME_PATH, headers=(("Authorization", f"Bearer {credentials.token}"),)),
            conns,
        ),
        Target(
            f"MediaNest GET {ME_PATH} (cookie)",
            medianest,
            Request(ME_PATH, headers=(("Cookie", f"{ACCESS_COOKIE}={credentials.access_cookie}"),)),
            conns,
        ),
        Target(
            f"MediaNest POST {LOGIN_PATH} ({plural(config.login_connections, 'conn')})",
            medianest,
            Request(LOGIN_PATH, "POST", (JSON_CONTENT,), login_body),
            config.login_connections,
        ),
    ]


def bearer(credentials: Credentials) -> tuple[tuple[str, str], ...]:
    return (("Authorization", f"Bearer {credentials.token}"),)


def plex_items_path(limit: int = PLEX_ITEMS_LIMIT) -> str:
    return f"{PLEX_ITEMS_PATH}?limit={limit}"


def plex_image_path(server: Server, credentials: Credentials) -> str:
    """The `thumbUrl` MediaNest gives for the poster of item PLEX_IMAGE_ITEM in the library
    page: `/api/v1/plex/image?path=/library/metadata/101/thumb/<ts>&width=240&height=360`."""
    path = plex_items_path()
    answer = exchange(server, Request(path, headers=bearer(credentials)))
    if answer.status != 200:
        fail_with_log(
            server, f"answered {answer.status} to GET {path}, not 200; body:\n{answer.body_text()}"
        )
    try:
        items = json.loads(answer.body)["data"]["items"]
        thumb = next(item["thumbUrl"] for item in items if item["ratingKey"] == PLEX_IMAGE_ITEM)
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise RuntimeError(
            f"GET {path}: no thumbUrl of item {PLEX_IMAGE_ITEM} ({exc!r}):\n{answer.body_text()}"
        ) from exc
    if not isinstance(thumb, str) or not thumb.startswith("/"):
        raise RuntimeError(f"GET {path}: item {PLEX_IMAGE_ITEM} has thumbUrl {thumb!r}")
    return thumb


def build_plex_targets(config: Config, medianest: Server, credentials: Credentials) -> list[Target]:
    """The Plex targets, on the MediaNest configured with the fake Plex server."""
    conns, auth = config.connections, bearer(credentials)
    image = plex_image_path(medianest, credentials)
    return [
        Target(
            f"MediaNest GET {PLEX_ITEMS_PATH} (hit)",
            medianest,
            Request(plex_items_path(), headers=auth),
            conns,
            cache_status="HIT",
        ),
        Target(
            "MediaNest GET /api/v1/plex/search (hit)",
            medianest,
            Request(PLEX_SEARCH_PATH, headers=auth),
            conns,
            cache_status="HIT",
        ),
        Target(
            "MediaNest GET /api/v1/plex/image (proxy)",
            medianest,
            Request(image, headers=auth),
            conns,
        ),
    ]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def check_answers_200(target: Target) -> None:
    """One request by hand before the load: anything but 200 stops the run, body shown.

    A cached target gets a second request, whose X-Cache-Status must be the expected one.
    """
    answer = exchange(target.server, target.request)
    if answer.status != 200:
        fail_with_log(
            target.server,
            f"answered {answer.status}, not 200, to {target.name} (one request before the "
            f"load); body:\n{answer.body_text()}\n",
        )
    if target.cache_status is None:
        return
    again = exchange(target.server, target.request)
    status = again.headers.get(CACHE_STATUS)
    if again.status != 200 or status != target.cache_status:
        fail_with_log(
            target.server,
            f"answered {again.status} with {CACHE_STATUS}: {status} to {target.name} (its "
            f"second request before the load), not 200 with {target.cache_status}",
        )


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Measurement:
    """One target's measured run, with the CPU each side used during it.

    CPU figures are percent of one core over the run's wall time; `plex_cpu_percent` is the
    fake Plex server's (None when it does not run), `other_cpu_percent` the rest of the
    machine (other processes, kernel network work): high means noisy figures.
    """

    target: Target
    result: LoadResult
    server_cpu_percent: float
    generator_cpu_percent: float
    plex_cpu_percent: float | None
    other_cpu_percent: float


def server_cpu_seconds(server: Server) -> float:
    """User + system CPU time of the server process and its children so far."""
    return common.tree_cpu_seconds(server.process.pid)


def finished_children_cpu_seconds() -> float:
    """CPU time of this script's children that have exited: the load generator runs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    target: Target, generator: LoadGenerator, config: Config, plex: Server | None
) -> Measurement:
    """Warm up, then a measured run while sampling the CPU time of each side and the rest
    (`plex`: the fake Plex server's process when it runs, whichever the target)."""
    port, request, connections = target.server.port, target.request, target.connections
    if config.warmup:
        generator.run(port, request, connections, config.warmup)
    server_before = server_cpu_seconds(target.server)
    plex_before = server_cpu_seconds(plex) if plex else 0.0
    generator_before = finished_children_cpu_seconds()
    machine_before = common.machine_busy_seconds()
    started = time.perf_counter()
    result = generator.run(port, request, connections, config.duration)
    wall = time.perf_counter() - started
    server = server_cpu_seconds(target.server) - server_before
    plex_used = server_cpu_seconds(plex) - plex_before if plex else 0.0
    generator_used = finished_children_cpu_seconds() - generator_before
    others = common.machine_busy_seconds() - machine_before - server - plex_used - generator_used
    return Measurement(
        target=target,
        result=result,
        server_cpu_percent=100 * server / wall,
        generator_cpu_percent=100 * generator_used / wall,
        plex_cpu_percent=100 * plex_used / wall if plex else None,
        other_cpu_percent=max(0.0, 100 * others / wall),
    )


@dataclass(frozen=True)
class Series:
    """Latencies of requests sent one at a time, in milliseconds, ascending."""

    name: str
    latencies_ms: list[float]


def sequential_series(
    name: str, server: Server, requests: Sequence[Request], cache_status: str | None
) -> Series:
    """Send `requests` one after another on one keep-alive connection, timing each (from
    sending to the last byte read). Each must answer 200 (and carry `cache_status` as its
    X-Cache-Status when given): anything else stops the run."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    latencies = []
    try:
        for request in requests:
            started = time.perf_counter()
            connection.request(request.method, request.path, headers=dict(request.headers))
            response = connection.getresponse()
            body = response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            status = response.getheader(CACHE_STATUS)
            if response.status != 200 or (cache_status and status != cache_status):
                text = body.decode("utf-8", errors="replace")[:BODY_SHOWN_CHARS]
                fail_with_log(
                    server,
                    f"answered {response.status} ({CACHE_STATUS}: {status}) to GET "
                    f"{request.path} ({name}), expected 200 ({cache_status}); body:\n{text}\n",
                )
    except OSError as exc:
        fail_with_log(server, f"did not answer the series {name}: {exc}")
    finally:
        connection.close()
    return Series(name, sorted(latencies))


def plex_series(config: Config, plex_target: Target, image: Request) -> list[Series]:
    """The library page as a cache hit and as a miss, and the image proxy, one at a time."""
    count = config.sequential_requests
    server, auth = plex_target.server, plex_target.request.headers
    limits = PLEX_MISS_LIMITS[:count]
    return [
        sequential_series(
            f"GET {plex_items_path()} (hit)", server, [plex_target.request] * count, "HIT"
        ),
        sequential_series(
            f"GET {PLEX_ITEMS_PATH}?limit={limits[0]}..{limits[-1]} (miss)",
            server,
            [Request(plex_items_path(limit), headers=auth) for limit in limits],
            "MISS",
        ),
        sequential_series("GET /api/v1/plex/image (proxy)", server, [image] * count, None),
    ]


# ---------------------------------------------------------------- reporting


def describe_storage(config: Config) -> str:
    database = "DATABASE_URL given" if config.database_url else "SQLite in a temp data dir"
    redis = "REDIS_URL given" if config.redis_url else "no Redis (in-memory rate limiter)"
    return f"{database}; {redis}"


def describe_uvicorn() -> str:
    import uvicorn

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"{uvicorn.__version__}, 1 worker, loop=auto ({loop}), http=auto ({parser})"


def header_lines(config: Config, generator: LoadGenerator) -> list[str]:
    from medianest import __version__

    lines = [
        "MediaNest load benchmark",
        f"  targets        : {', '.join(group for group in GROUPS if group in config.groups)}"
        " (and the bare baseline)",
        f"  load generator : {generator.describe()}",
        f"  connections    : {config.connections} (sign-in: {config.login_connections})",
        f"  per target     : {config.warmup} s warm-up, then {config.duration} s measured",
        f"  python         : {platform.python_version()} ({platform.python_implementation()})",
        f"  cpu count      : {os.cpu_count()}",
        f"  uvicorn        : {describe_uvicorn()}",
        f"  medianest      : {__version__}, MEDIANEST_ENV=production, {describe_storage(config)}",
    ]
    if config.plex:
        lines += [
            "  plex           : tests.fakes.plex.FakePlexServer in its own process "
            "(bench/plex_fake.py),",
            f"                   library {PLEX_LIBRARY} padded to {PLEX_MOVIES} movies, "
            f"{config.plex_delay * 1000:g} ms delay per answer;",
            "                   a second MediaNest (own data dir) with PLEX_URL and PLEX_TOKEN",
        ]
    return lines


def ratio_text(measurement: Measurement, bare_rps: float | None) -> str:
    if measurement.target.name == BARE_NAME:
        return "baseline"
    if not bare_rps:
        return "n/a"
    ratio = measurement.result.requests_per_second / bare_rps
    # Two significant digits below 0.01x (sign-in), so the figure does not read as zero.
    return f"{ratio:.2f}x of bare ASGI" if ratio >= 0.01 else f"{ratio:.2g}x of bare ASGI"


def footnotes(config: Config) -> list[str]:
    lines = [
        "errors: answers outside 200-299 and transport errors (connect, read, write, timeout).",
        "CPU columns: CPU time over the measured run's wall time, 100% = one core busy;",
        "srv = the server process, gen = the load generator, other = the rest of the machine",
        "(other processes, kernel loopback work). A high 'other' means the figures are noisy.",
    ]
    if config.core:
        lines += [
            f"Sign-in runs with {plural(config.login_connections, 'connection')}, not "
            f"{config.connections}: each sign-in verifies an argon2id hash",
            "(deliberately expensive: ~0.2 s of CPU on a 2-core EPYC) and writes a session row.",
        ]
    if config.plex:
        lines += [
            "plex CPU = the fake Plex server's process. The (hit) targets are answered from",
            "MediaNest's cache (checked: X-Cache-Status HIT); the image proxy asks Plex each time.",
            "The fake is local and fast: a real Plex server adds its own latency to every image",
            "and every cache miss (--plex-delay simulates some).",
        ]
    return lines


def table_lines(measurements: list[Measurement]) -> list[str]:
    """The load table; a `plex CPU` column when the fake Plex server ran."""
    bare = next((m for m in measurements if m.target.name == BARE_NAME), None)
    bare_rps = bare.result.requests_per_second if bare else None
    with_plex = any(m.plex_cpu_percent is not None for m in measurements)
    rows = [
        [
            *["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
            *["srv CPU", "gen CPU", *(["plex CPU"] if with_plex else []), "other CPU", "vs bare"],
        ]
    ]
    for m in measurements:
        r = m.result
        plex = [] if not with_plex else [cpu_text(m.plex_cpu_percent)]
        rows.append(
            [
                m.target.name,
                rate_text(r.requests_per_second),
                f"{r.p50_ms:.2f}",
                f"{r.p95_ms:.2f}",
                f"{r.p99_ms:.2f}",
                f"{r.errors}",
                cpu_text(m.server_cpu_percent),
                cpu_text(m.generator_cpu_percent),
                *plex,
                cpu_text(m.other_cpu_percent),
                ratio_text(m, bare_rps),
            ]
        )
    return common.format_rows(rows)


def cpu_text(percent: float | None) -> str:
    return "-" if percent is None else f"{percent:.0f}%"


def series_lines(config: Config, series: list[Series]) -> list[str]:
    """The one-at-a-time latencies: median, nearest-rank p95, min and max."""
    rows = [["request", "median ms", "p95 ms", "min ms", "max ms"]]
    for one in series:
        latencies = one.latencies_ms
        rows.append(
            [
                one.name,
                f"{statistics.median(latencies):.2f}",
                f"{percentile(latencies, 95):.2f}",
                f"{latencies[0]:.2f}",
                f"{latencies[-1]:.2f}",
            ]
        )
    title = (
        f"Plex, one request at a time ({config.sequential_requests} each, one keep-alive "
        "connection, after the load; each miss a new cache key):"
    )
    return [title, "", *common.format_rows(rows)]


def rate_text(requests_per_second: float) -> str:
    """Whole requests/s, with one decimal below 100 (sign-in), where rounding would hide a lot."""
    decimals = 1 if requests_per_second < 100 else 0
    return f"{requests_per_second:,.{decimals}f}"


# ---------------------------------------------------------------- main


@dataclass(frozen=True)
class Results:
    """The load table's rows, and the one-at-a-time Plex series (none without Plex)."""

    measurements: list[Measurement]
    series: list[Series]


def run_benchmark(config: Config, generator: LoadGenerator) -> Results:
    """Start the servers, load each target in turn, time the Plex series, stop the servers.

    The bare app always runs. Core targets run on a MediaNest without Plex, as they always
    have: with PLEX_URL set, `/api/v1/health` would also ask Plex on every request. Plex
    targets run on a second MediaNest, configured with the fake Plex server.
    """
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-bench-")))
        fake = None
        if config.plex:
            fake_server = start_plex_fake(config, workdir)
            stack.callback(common.stop, fake_server)
        medianest = None
        if config.core:
            medianest = start_medianest_for(config, workdir)
            stack.callback(common.stop, medianest)
        bare = start_bare(workdir)
        stack.callback(common.stop, bare)
        medianest_plex = None
        if config.plex:
            fake = read_plex_fake(fake_server, config.startup_timeout)
            medianest_plex = start_medianest_for(config, workdir, fake)
            stack.callback(common.stop, medianest_plex)
        for server in (medianest, medianest_plex):
            if server is not None:
                common.wait_until_ready(server, "/health", config.startup_timeout)
        common.wait_until_ready(bare, "/", config.startup_timeout)
        say("  creating the admin, checking every target answers 200 ...", sys.stderr)
        targets = [Target(BARE_NAME, bare, Request("/"), config.connections)]
        if medianest is not None:
            targets += build_core_targets(config, medianest, create_admin(medianest))
        plex_targets = []
        if medianest_plex is not None:
            plex_targets = build_plex_targets(config, medianest_plex, create_admin(medianest_plex))
            targets += plex_targets
        for target in targets:
            check_answers_200(target)
        measurements = []
        for target in targets:
            say(f"  loading {target.name} ...", sys.stderr)
            measurements.append(measure(target, generator, config, fake.server if fake else None))
        series = []
        if plex_targets:
            say("  timing Plex requests one at a time ...", sys.stderr)
            items, _search, image = plex_targets
            series = plex_series(config, items, image.request)
        return Results(measurements, series)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    signal.signal(signal.SIGTERM, common.exit_on_sigterm)
    generator = choose_generator(config)
    for line in header_lines(config, generator):
        say(line)
    try:
        results = run_benchmark(config, generator)
    except KeyboardInterrupt:
        say("load.py: interrupted; servers stopped", sys.stderr)
        return 130
    except (RuntimeError, subprocess.SubprocessError) as exc:
        say(f"load.py: {exc}", sys.stderr)
        return 1
    say("")
    for line in table_lines(results.measurements):
        say(line)
    if results.series:
        say("")
        for line in series_lines(config, results.series):
            say(line)
    say("")
    for line in footnotes(config):
        say(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
