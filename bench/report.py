"""`bench/run`: the benchmarks of issue 17 one after the other, and one Markdown report.

Each benchmark runs as a subprocess of its own (`--markdown`: it prints a `GOAL|goal|value|
met or not met` line per goal it measures); this script collects those lines into one table
with every goal of issue 17, adds the machine, the load average before and after each
benchmark, and every benchmark's full output, and writes the report to `--output`
(`bench/report.md`) and stdout.

Defaults are short (about 5 minutes in all); `--full` runs the issue's sizes: a 10-minute
soak with its 5-minute checkpoint, 10 broadcasts and 10 downloads, 1,000 requests per
upstream target, 5 rounds of 10 s for the workers. `--only NAME` (repeatable) runs some:
realtime, upstream, soak, workers, hotpath (the last only with `--base DIR`, the starting
commit checked out beside this one). Goals measured by other scripts (lists, overload) are
listed with where their figures are. It asserts nothing; a benchmark that fails is reported
as such and the others still run.

    bench/run [--full] [--only realtime] [--base /work/wt/perfhot-base] [--output FILE]
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("realtime", "upstream", "soak", "workers", "hotpath")

SHORT = {
    "realtime": ["--broadcasts", "3", "--downloads", "2"],
    "upstream": ["--requests", "200"],
    "soak": ["--minutes", "2", "--checkpoint", "1"],
    "workers": ["--rounds", "2", "--duration", "4"],
    "hotpath": ["--rounds", "1", "--duration", "4"],
}
FULL = {
    "realtime": ["--broadcasts", "10", "--downloads", "10"],
    "upstream": ["--requests", "1000"],
    "soak": ["--minutes", "10", "--checkpoint", "5"],
    "workers": ["--rounds", "5", "--duration", "10"],
    "hotpath": ["--rounds", "3", "--duration", "10"],
}

ELSEWHERE = [
    (
        "`GET /health` >= 50 % of the bare ASGI app's throughput",
        "bench/hotpath.py (`vs bare` column; run here with `--base`)",
    ),
    (
        "`/auth/me` (API key, bearer, cookie) >= 3.5x the starting commit, p99 <= 1/3",
        "bench/hotpath.py `--tree base=DIR` (run here with `--base`), both storage shapes",
    ),
    (
        "A page of 20 requests / downloads >= 4x the starting commit, p99 <= 1/3",
        "bench/load.py A/B (not run here)",
    ),
    (
        "Every list: p95 at 1 million rows within 2x of 1 thousand",
        "bench/lists.py (takes an hour at a million rows; bench/README.md, List benchmark)",
    ),
    (
        "Overload: waiting for a pooled connection bounded, 503 `DATABASE_ERROR`",
        "tests/db/test_pool_exhaustion.py (a test, not a timing)",
    ),
]


@dataclass(frozen=True)
class Outcome:
    name: str
    command: list[str]
    output: str
    returncode: int
    seconds: float
    load_before: str
    load_after: str


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def command_for(name: str, full: bool, base: str | None) -> list[str]:
    arguments = (FULL if full else SHORT)[name]
    if name == "hotpath":
        return [
            sys.executable,
            "bench/hotpath.py",
            "--tree",
            f"base={base}",
            "--tree",
            "new=.",
            *arguments,
        ]
    return [sys.executable, f"bench/{name}.py", "--markdown", *arguments]


def run_one(name: str, full: bool, base: str | None) -> Outcome:
    command = command_for(name, full, base)
    print(f"bench/run: {' '.join(command[1:])} (load {load_average()}) ...", file=sys.stderr)
    before, started = load_average(), time.monotonic()
    finished = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    output = finished.stdout + (
        f"\n[stderr, last lines]\n{finished.stderr[-3000:]}" if finished.returncode else ""
    )
    return Outcome(
        name,
        command,
        output,
        finished.returncode,
        time.monotonic() - started,
        before,
        load_average(),
    )


def goal_rows(outcomes: Sequence[Outcome]) -> list[str]:
    rows = ["| goal | measured | verdict | by |", "|---|---|---|---|"]
    for outcome in outcomes:
        goals = [line for line in outcome.output.splitlines() if line.startswith("GOAL|")]
        if outcome.returncode:
            rows.append(
                f"| {outcome.name} | failed (exit {outcome.returncode}) | not measured "
                f"| bench/{outcome.name}.py |"
            )
        for line in goals:
            _, goal, value, verdict = line.split("|", 3)
            rows.append(f"| {goal} | {value} | **{verdict}** | bench/{outcome.name}.py |")
    for goal, where in ELSEWHERE:
        rows.append(
            f"| {goal} | see below / bench/README.md | not measured by this run | {where} |"
        )
    return rows


def machine_lines() -> list[str]:
    memory = psutil.virtual_memory().total / 2**30
    return [
        f"- When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores "
        f"({platform.processor() or 'cpu'}), {memory:.1f} GiB, {platform.platform()}",
        f"- Python {platform.python_version()}; commit {git_head()}",
    ]


def git_head() -> str:
    answer = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return answer.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def report(outcomes: Sequence[Outcome], full: bool) -> str:
    lines = [
        "# Performance report (issue 17)",
        "",
        *machine_lines(),
        f"- Run: `bench/run{' --full' if full else ''}` (short defaults unless `--full`); "
        "every benchmark's method is in bench/README.md.",
        "- The load average is printed before and after each benchmark: figures measured "
        "while the machine was busy with other work are inflated; prefer the ratios.",
        "",
        "## Goals",
        "",
        *goal_rows(outcomes),
        "",
    ]
    for outcome in outcomes:
        lines += [
            f"## {outcome.name}",
            "",
            f"`{' '.join(outcome.command[1:])}`: {outcome.seconds:.0f} s, load average "
            f"before {outcome.load_before}, after {outcome.load_after}"
            + (f", **exit {outcome.returncode}**" if outcome.returncode else ""),
            "",
            "```text",
            *[line for line in outcome.output.splitlines() if not line.startswith("GOAL|")],
            "```",
            "",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="The issue's sizes (~25 min).")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, default=[])
    parser.add_argument("--base", help="The starting commit's checkout, for bench/hotpath.py.")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "bench" / "report.md")
    args = parser.parse_args(argv)
    names = args.only or [name for name in BENCHMARKS if name != "hotpath" or args.base]
    if "hotpath" in names and not args.base:
        parser.error("hotpath needs --base DIR (the starting commit's checkout)")
    outcomes = [run_one(name, args.full, args.base) for name in names]
    text = report(outcomes, args.full)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if any(outcome.returncode for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
