"""Start-up benchmark: how long the `medianest` command takes to answer, what each command
loads, and how fast a server serves and how much memory it holds when idle.

    .venv/bin/python bench/startup.py              # 5 runs of each
    .venv/bin/python bench/startup.py --runs 10
    .venv/bin/python bench/startup.py --source /tmp/old/src   # another checkout's code (A/B)

Method (see bench/README.md, "Start-up benchmark"):
- Commands: wall-clock time of `medianest --version`, `--help`, `doctor` and `backup
  --no-verify` as subprocesses (median and worst of `--runs`), on a data dir migrated
  beforehand, so that the figures are start-up and the command's own work, not a migration.
- What a command loads: the heavy packages (FastAPI, yt-dlp, python-plexapi, socket.io,
  Alembic, rich, aiohttp, zxcvbn) found in `sys.modules` after the command ran in a process of
  its own; for `serve`, when its first `/health` answered 200.
- Serve: from `medianest serve` (already migrated) to the first 200 on `/health`, median of
  `--runs`, and the CPU time the server process had used by then (user + system: less
  sensitive to the machine's load than the wall clock); resident memory (RSS) of the idle
  server 10 s after that first answer.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.common import (
    add_startup_timeout,
    config_from,
    format_rows,
    free_port,
    medianest_environment,
    positive_int,
    say,
    start_medianest,
    stop,
    wait_until_ready,
)

HEAVY_PACKAGES = (
    "fastapi",
    "yt_dlp",
    "plexapi",
    "socketio",
    "medianest.app",
    "alembic",
    "rich",
    "aiohttp",
    "zxcvbn",
)
IDLE_SECONDS = 10.0
COMMANDS: dict[str, tuple[str, ...]] = {
    "--version": ("--version",),
    "--help": ("--help",),
    "doctor": ("doctor",),
    "backup": ("backup", "--no-verify"),
}
LOADED_PROBE = """
import json, sys
from medianest.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.__stderr__)
"""
SERVE_PROBE = """
import json, os, sys, threading, time, urllib.request
from medianest.cli import app

def report_when_serving():
    url = "http://127.0.0.1:" + sys.argv[1] + "/health"
    while True:
        try:
            if urllib.request.urlopen(url, timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.05)
    loaded = sorted(m for m in {heavy!r} if m in sys.modules)
    print(json.dumps(loaded), file=sys.__stderr__, flush=True)
    os._exit(0)

threading.Thread(target=report_when_serving, daemon=True).start()
app(["serve", "--host", "127.0.0.1", "--port", sys.argv[1]])
"""


@dataclass(frozen=True, slots=True)
class Config:
    runs: int
    startup_timeout: float
    source: Path | None


def _parse() -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive_int, default=5, help="runs of each (default 5)")
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="a `src/` folder of another checkout to measure instead of this one (A/B)",
    )
    add_startup_timeout(parser)
    return config_from(Config, parser.parse_args())


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def _loaded(
    arguments: tuple[str, ...], env: dict[str, str], probe_source: str = LOADED_PROBE
) -> list[str]:
    probe = probe_source.format(heavy=HEAVY_PACKAGES)
    done = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "[]"
    loaded: list[str] = json.loads(last)
    return loaded


def _command_rows(config: Config, env: dict[str, str]) -> list[list[str]]:
    rows = [["command", "median s", "worst s", "heavy packages loaded"]]
    for name, arguments in COMMANDS.items():
        times = [
            _timed([sys.executable, "-m", "medianest", *arguments], env) for _ in range(config.runs)
        ]
        loaded = _loaded(arguments, env)
        rows.append(
            [
                name,
                f"{statistics.median(times):.2f}",
                f"{max(times):.2f}",
                ", ".join(loaded) or "none",
            ]
        )
    return rows


def _serve_rows(
    config: Config, workdir: Path, settings: dict[str, str], env: dict[str, str]
) -> list[list[str]]:
    first_answers: list[float] = []
    cpu_seconds: list[float] = []
    idle_rss: list[float] = []
    for run in range(config.runs):
        started = time.perf_counter()
        server = start_medianest(workdir, settings, stem="serve")
        try:
            wait_until_ready(server, "/health", config.startup_timeout)
            first_answers.append(time.perf_counter() - started)
            cpu = psutil.Process(server.process.pid).cpu_times()
            cpu_seconds.append(cpu.user + cpu.system)
            if run == 0:
                time.sleep(IDLE_SECONDS)
                idle_rss.append(psutil.Process(server.process.pid).memory_info().rss / 2**20)
        finally:
            stop(server)
    return [
        ["serve", "median", "worst"],
        [
            "to the first /health 200 (s)",
            f"{statistics.median(first_answers):.2f}",
            f"{max(first_answers):.2f}",
        ],
        [
            "CPU s used by then",
            f"{statistics.median(cpu_seconds):.2f}",
            f"{max(cpu_seconds):.2f}",
        ],
        [f"idle RSS after {IDLE_SECONDS:g} s (MiB)", f"{idle_rss[0]:.0f}", ""],
        [
            "heavy packages loaded",
            ", ".join(_loaded((str(free_port()),), env, SERVE_PROBE)) or "none",
            "",
        ],
    ]


def main() -> None:
    config = _parse()
    with tempfile.TemporaryDirectory(prefix="medianest-startup-") as folder:
        workdir = Path(folder)
        settings = {"PYTHONPATH": str(config.source.resolve())} if config.source else {}
        env = medianest_environment(workdir / "serve-data", settings)
        subprocess.run(
            [sys.executable, "-m", "medianest", "migrate", "--no-backup"],
            env=env,
            capture_output=True,
            check=True,
        )
        say(f"code: {config.source or 'this checkout'}")
        say(f"machine: {psutil.cpu_count()} CPUs, load {psutil.getloadavg()[0]:.2f}")
        for line in format_rows(_command_rows(config, env)):
            say(line)
        say("")
        for line in format_rows(_serve_rows(config, workdir, settings, env)):
            say(line)


if __name__ == "__main__":
    main()
