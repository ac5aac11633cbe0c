"""What `bench/load.py` and `bench/downloads.py` share: their servers and how they report.

- The command line: argparse checks (`positive_int`, `non_negative_int`, `non_negative_float`),
  `--startup-timeout`, and the config dataclass made from the parsed arguments.
- Server subprocesses: a free port, an environment without the caller's MediaNest settings,
  starting one in its own session (`spawn`, `start_medianest`: a real `medianest serve` with
  production settings and a data dir of its own), waiting for its first 200 or for the JSON
  line a helper server prints (`wait_until_ready`, `read_announcement`), stopping it (SIGTERM,
  then SIGKILL), failing with the end of its log.
- The admin both create on a fresh MediaNest (`admin_body`, `ADMIN_PATH`).
- CPU accounting (`tree_cpu_seconds`, `machine_busy_seconds`) and reporting (`format_rows`,
  `say`, `exit_on_sigterm`).
"""

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import psutil

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

ConfigT = TypeVar("ConfigT", bound="DataclassInstance")

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 10.0
LOG_TAIL_CHARS = 3000

ADMIN_PATH = "/api/v1/auth/admin"
ADMIN_EMAIL = "bench@example.com"
ADMIN_PASSWORD = "Velvet-Harbour-Lantern-2026!"  # noqa: S105 - a throwaway server's admin
ADMIN_NAME = "Bench Admin"
ACCESS_TOKEN_MINUTES = 60
"""The admin's token must outlive the run (MediaNest's default is 15 minutes)."""


# ---------------------------------------------------------------- command line


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # NaN too
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_startup_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--startup-timeout", type=float, default=60.0, help="Seconds to wait for a server."
    )


def config_from(config_type: type[ConfigT], args: argparse.Namespace, **given: Any) -> ConfigT:
    """A frozen config dataclass from the parsed arguments: each field the argument of its
    name (its `dest`), but for those `given`."""
    fields = dataclasses.fields(config_type)
    values = {field.name: getattr(args, field.name) for field in fields if field.name not in given}
    return config_type(**values, **given)


# ---------------------------------------------------------------- servers


@dataclass(frozen=True)
class Server:
    """A server subprocess, where it listens and where it logs.

    `name` is what error messages call it; `port` is 0 until known (a server that picks its
    own port says it, see `read_announcement`).
    """

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def medianest_setting_names() -> set[str]:
    """Every environment variable MediaNest reads, so the caller's own values stay out."""
    from medianest.settings import Settings

    names = {field.validation_alias for field in Settings.model_fields.values()}
    return {name.upper() for name in names if isinstance(name, str)}


def clean_environment() -> dict[str, str]:
    """This process's environment without MediaNest settings: each server gets ours only."""
    settings = medianest_setting_names()
    return {key: value for key, value in os.environ.items() if key.upper() not in settings}


UNLIMITED_RATE_LIMITS = dict.fromkeys(
    ("RATE_LIMIT_API_PER_IP", "RATE_LIMIT_API_PER_USER", "RATE_LIMIT_LOGIN"), "100000000/minute"
)
"""Every limit still checked on each request it applies to, but never tripping."""


def load_settings(database_url: str | None = None, redis_url: str | None = None) -> dict[str, str]:
    """A benchmarked server's settings: unlimited rates, and the storage shape asked for
    (SQLite and in-process when neither URL is given)."""
    settings = dict(UNLIMITED_RATE_LIMITS)
    if database_url:
        settings["DATABASE_URL"] = database_url
    if redis_url:
        settings["REDIS_URL"] = redis_url
    return settings


def medianest_environment(data_dir: Path, settings: Mapping[str, str]) -> dict[str, str]:
    """Production settings, `data_dir`, quiet logs and a long-lived token, then `settings`."""
    env = clean_environment()
    env.update(
        MEDIANEST_ENV="production",
        MEDIANEST_DATA_DIR=str(data_dir),
        LOG_LEVEL="warning",
        ACCESS_TOKEN_MINUTES=str(ACCESS_TOKEN_MINUTES),
    )
    env.update(settings)
    return env


def spawn(
    name: str, command: list[str], env: dict[str, str], log_path: Path, port: int = 0
) -> Server:
    """Start a server in its own session, so a Ctrl-C reaches this script and not it."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name=name, process=process, log_path=log_path, port=port)


def start_medianest(
    workdir: Path, settings: Mapping[str, str], stem: str = "medianest", name: str | None = None
) -> Server:
    """`medianest serve` on a free port, its data dir `<stem>-data` and its log `<stem>.log`
    in `workdir`; `name` (default: `stem`) is what error messages call it."""
    port = free_port()
    command = [sys.executable, "-m", "medianest", "serve", "--host", HOST, "--port", str(port)]
    env = medianest_environment(workdir / f"{stem}-data", settings)
    return spawn(name or stem, command, env, workdir / f"{stem}.log", port)


def stop(server: Server) -> None:
    """SIGTERM, a grace period, then SIGKILL."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def fail_with_log(server: Server, problem: str) -> NoReturn:
    log = server.log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]
    raise RuntimeError(f"{server.name} {problem}; its log ends with:\n{log}")


def http_status(port: int, path: str) -> int | None:
    """Status of one GET, or None when nothing answers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def wait_until_ready(server: Server, path: str, timeout: float) -> None:
    """Poll `path` until it answers 200; fail early if the server exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            fail_with_log(server, f"exited with code {server.process.returncode}")
        if http_status(server.port, path) == 200:
            return
        time.sleep(0.1)
    fail_with_log(server, f"did not answer 200 on {path} within {timeout:g}s")


def announcement(log_path: Path, prefix: str) -> dict[str, Any] | None:
    """The JSON of the log's first line starting with `prefix`, or None while there is none."""
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(prefix):
            found: dict[str, Any] = json.loads(line.removeprefix(prefix))
            return found
    return None


def read_announcement(
    server: Server, prefix: str, what: str, ready_path: str, timeout: float
) -> tuple[Server, dict[str, Any]]:
    """Wait for the `<prefix>{"url": ...}` line a server that picks its own port prints (`what`
    names it in errors), then for its first 200 on `ready_path`: the server with its port,
    and the line's JSON."""
    deadline = time.monotonic() + timeout
    found = announcement(server.log_path, prefix)
    while found is None:
        if server.process.poll() is not None:
            fail_with_log(server, f"exited with code {server.process.returncode}")
        if time.monotonic() > deadline:
            fail_with_log(server, f"printed no {what} in {timeout:g}s")
        time.sleep(0.1)
        found = announcement(server.log_path, prefix)
    url = str(found["url"])
    port = urllib.parse.urlsplit(url).port
    if port is None:
        fail_with_log(server, f"printed a URL without a port: {url}")
    ready = dataclasses.replace(server, port=port)
    wait_until_ready(ready, ready_path, max(deadline - time.monotonic(), 1.0))
    return ready, found


def admin_body() -> dict[str, str]:
    """What `POST /api/v1/auth/admin` creates the admin with."""
    return {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "name": ADMIN_NAME}


# ---------------------------------------------------------------- CPU accounting


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process (all its threads) and its running children."""
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def machine_busy_seconds() -> float:
    """CPU time all cores have spent busy since boot (guest time is inside user time)."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    guest = getattr(times, "guest", 0.0) + getattr(times, "guest_nice", 0.0)
    return sum(times) - idle - guest


# ---------------------------------------------------------------- reporting


def format_rows(rows: list[list[str]]) -> list[str]:
    """First column left-aligned, the others right-aligned, a rule under the heading."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return [lines[0], "-" * len(lines[0]), *lines[1:]]


def say(text: str, stream: IO[str] = sys.stdout) -> None:
    print(text, file=stream, flush=True)


def exit_on_sigterm(signum: int, _frame: object) -> NoReturn:
    """A SIGTERM handler: exit as a Ctrl-C would, so `finally` blocks and exit stacks run."""
    raise SystemExit(128 + signum)


def run_script(
    parse_args: Callable[[Sequence[str] | None], ConfigT],
    run: Callable[[ConfigT], Iterable[str]],
    argv: Sequence[str] | None = None,
) -> int:
    """A benchmark's `main`: SIGTERM exits cleanly, its lines are printed as they come, and
    the load average before and after says how busy the shared machine was."""
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    config = parse_args(argv)
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for line in run(config):
        say(line)
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    say(f"load average before {before}, after {after}")
    return 0
