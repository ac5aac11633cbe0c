"""socket.io latency: a broadcast to many connected clients, a download's progress to its owner.

It starts a real `medianest serve` (production settings, SQLite in a temporary data dir) and
`bench/file_server.py`, creates the admin, then:

- **Broadcast**: `--clients` (1,000) socket.io clients (python-socketio `AsyncClient`,
  websocket transport, the admin's access token in `auth`) join `/system`, spread over
  `--client-processes` (4) processes of this script (`--client` mode) so that no one event
  loop has to read every copy. Once all are connected, the admin sends `--broadcasts` (5)
  notifications to everyone (`POST /api/v1/admin/notifications` without `userIds`), one a
  second. Latency of one copy = the wall-clock time a client received the
  `system:notification` minus the time the POST was sent (so it includes the POST itself).
- **Progress**: a socket.io client on `/media` as the owner; `--downloads` (3) downloads of a
  `--size-mb` (20) MB file served at `--mb-per-s` (5) MB/s, with the file server logging when
  each 50 ms share of the body leaves (`log_sends=1`). Latency of one `download:progress`
  event = when it arrived minus when the share holding the byte it reports (its `progress` x
  size, rounded down to the 0.1 % the event is rounded to) started to be sent: an upper
  bound on the time from the byte reaching MediaNest to the owner hearing of it.

It prints p50, p95, p99 and max of each, the load average, and a Markdown line per goal
(`--markdown`). It asserts nothing.

    .venv/bin/python bench/realtime.py [--clients 1000] [--broadcasts 5] [--downloads 3]
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import HOST, Server, fail_with_log, say
from bench.downloads import (
    MB,
    EventLog,
    MediaNest,
    read_file_server,
    start_file_server,
    start_medianest_with_library,
    write_random_file,
)

SYSTEM = "/system"
NOTIFICATION = "system:notification"
PROGRESS = "download:progress"
BROADCAST_PATH = "/api/v1/admin/notifications"
READY_PREFIX = "BENCH_READY "
RESULT_PREFIX = "BENCH_RESULT "
SENT_PREFIX = "BENCH_SENT "
CONNECT_BATCH = 50
FILE_NAME = "progress.mp4"
BROADCAST_GOAL_MS = 200.0
PROGRESS_GOAL_MS = 50.0


@dataclass(frozen=True)
class Config:
    clients: int
    client_processes: int
    broadcasts: int
    downloads: int
    size_mb: int
    mb_per_s: float
    startup_timeout: float
    markdown: bool


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=common.positive_int, default=1000)
    parser.add_argument("--client-processes", type=common.positive_int, default=4)
    parser.add_argument("--broadcasts", type=common.positive_int, default=5)
    parser.add_argument("--downloads", type=common.non_negative_int, default=3)
    parser.add_argument("--size-mb", type=common.positive_int, default=20)
    parser.add_argument("--mb-per-s", type=float, default=5.0)
    parser.add_argument("--markdown", action="store_true", help="Also print the goal lines.")
    common.add_startup_timeout(parser)
    return common.config_from(Config, parser.parse_args(argv))


# ---------------------------------------------------------------- client processes


async def client_process(url: str, token: str, count: int) -> None:
    """`count` clients on `/system`; every notification's title with its arrival time; the
    results as one JSON line when stdin closes."""
    received: list[tuple[str, float]] = []

    async def record(data: dict[str, Any]) -> None:
        received.append((str(data.get("title")), time.time()))

    clients = [socketio.AsyncClient(reconnection=False) for _ in range(count)]
    for client in clients:
        client.on(NOTIFICATION, record, namespace=SYSTEM)

    async def connect(client: socketio.AsyncClient) -> None:
        await client.connect(
            url,
            namespaces=[SYSTEM],
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=60,
        )

    for start in range(0, count, CONNECT_BATCH):
        await asyncio.gather(*(connect(c) for c in clients[start : start + CONNECT_BATCH]))
    print(READY_PREFIX + json.dumps({"connected": sum(c.connected for c in clients)}), flush=True)
    await asyncio.to_thread(sys.stdin.read)
    print(RESULT_PREFIX + json.dumps({"received": received}), flush=True)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


def start_clients(config: Config, url: str, token: str, workdir: Path) -> list[Server]:
    shares = [config.clients // config.client_processes] * config.client_processes
    for index in range(config.clients % config.client_processes):
        shares[index] += 1
    processes = []
    for index, share in enumerate(shares):
        log_path = workdir / f"clients-{index}.log"
        command = [sys.executable, __file__, "--client", url, token, str(share)]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        processes.append(Server(f"clients {index}", process, log_path))
    return processes


def wait_for_lines(processes: list[Server], prefix: str, timeout: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    found: list[dict[str, Any] | None] = [None] * len(processes)
    while None in found:
        for index, process in enumerate(processes):
            if found[index] is None:
                found[index] = common.announcement(process.log_path, prefix)
                if found[index] is None and process.process.poll() is not None:
                    fail_with_log(process, "exited early")
        if time.monotonic() > deadline:
            missing = [p for p, f in zip(processes, found, strict=True) if f is None]
            fail_with_log(missing[0], f"printed no {prefix.strip()} in {timeout:g}s")
        time.sleep(0.2)
    return [line for line in found if line is not None]


# ---------------------------------------------------------------- measuring


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def describe(name: str, values_ms: Sequence[float]) -> str:
    return (
        f"{name}: n={len(values_ms)} p50 {percentile(values_ms, 0.5):.1f} ms, "
        f"p95 {percentile(values_ms, 0.95):.1f} ms, p99 {percentile(values_ms, 0.99):.1f} ms, "
        f"max {max(values_ms, default=float('nan')):.1f} ms"
    )


async def broadcast_latencies(
    config: Config, medianest: Server, client: httpx.AsyncClient, token: str, workdir: Path
) -> tuple[list[float], int, int]:
    """Latencies (ms) of every copy received, how many clients connected, copies missing."""
    processes = start_clients(config, medianest.url, token, workdir)
    try:
        ready = await asyncio.to_thread(wait_for_lines, processes, READY_PREFIX, 600)
        connected = sum(int(line["connected"]) for line in ready)
        say(f"  {connected} clients connected; broadcasting ...", sys.stderr)
        sent_at: dict[str, float] = {}
        for number in range(config.broadcasts):
            title = f"bench broadcast {number}"
            sent_at[title] = time.time()
            answer = await client.post(
                BROADCAST_PATH, json={"title": title, "message": "bench", "severity": "info"}
            )
            if answer.status_code != 201:
                fail_with_log(medianest, f"answered {answer.status_code}: {answer.text[:500]}")
            await asyncio.sleep(1.0)
        await asyncio.sleep(2.0)
        for process in processes:
            if process.process.stdin is not None:
                process.process.stdin.close()
        results = await asyncio.to_thread(wait_for_lines, processes, RESULT_PREFIX, 120)
    finally:
        for process in processes:
            common.stop(process)
    latencies = [
        (at - sent_at[title]) * 1000
        for result in results
        for title, at in result["received"]
        if title in sent_at
    ]
    missing = connected * config.broadcasts - len(latencies)
    return latencies, connected, missing


def send_log(files: Server) -> list[tuple[int, float]]:
    """(offset, wall-clock time) of every paced share the file server logged, in order."""
    text = files.log_path.read_text(encoding="utf-8", errors="replace")
    shares = []
    for line in text.splitlines():
        if line.startswith(SENT_PREFIX):
            entry = json.loads(line.removeprefix(SENT_PREFIX))
            shares.append((int(entry["offset"]), float(entry["at"])))
    return shares


def last_body(shares: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The shares of the last GET (each body starts at offset 0): yt-dlp's generic extractor
    reads the head of a first GET and hangs up before downloading with a second one."""
    starts = [index for index, (offset, _) in enumerate(shares) if offset == 0]
    return shares[starts[-1] :] if starts else shares


def share_started(shares: list[tuple[int, float]], byte: int) -> float:
    """When the share holding `byte` started to be sent (the last share starting at or before)."""
    started = shares[0][1]
    for offset, at in shares:
        if offset > byte:
            break
        started = at
    return started


async def progress_latencies(
    config: Config, medianest: Server, client: httpx.AsyncClient, token: str, files: Server
) -> list[tuple[float, float]]:
    """(progress %, latency ms) of every `download:progress` event of the downloads."""
    size = config.size_mb * MB
    rate = round(config.mb_per_s * MB)
    url = f"{files.url}/{FILE_NAME}?bytes_per_second={rate}&log_sends=1"
    api = MediaNest(medianest, client)
    log = EventLog()
    await log.connect(medianest.url, token)
    latencies: list[tuple[float, float]] = []
    try:
        for number in range(config.downloads):
            say(f"  download {number + 1}/{config.downloads} ...", sys.stderr)
            before = len(send_log(files))
            download_id = await api.queue(url)
            await log.end(download_id, 60 + 3 * size / rate)
            shares = last_body(send_log(files)[before:])
            # perf_counter -> wall clock, for comparison with the file server's times.
            offset = time.time() - time.perf_counter()
            for event in log.of(download_id):
                if event.name != PROGRESS or not shares:
                    continue
                percent = max(0.0, float(event.data["progress"]) - 0.05)
                byte = int(size * percent / 100)
                latency = (event.at + offset - share_started(shares, byte)) * 1000
                latencies.append((float(event.data["progress"]), latency))
            await api.remove(download_id)
    finally:
        await log.close()
    return latencies


async def measure(config: Config, medianest: Server, files: Server, workdir: Path) -> list[str]:
    lines = []
    async with httpx.AsyncClient(base_url=medianest.url, timeout=60) as client:
        token = await MediaNest(medianest, client).create_admin()
        broadcast, connected, missing = await broadcast_latencies(
            config, medianest, client, token, workdir
        )
        lines.append(f"broadcast to {connected} clients x {config.broadcasts}, {missing} missing")
        lines.append(describe("  broadcast latency", broadcast))
        progress: list[float] = []
        if config.downloads:
            events = await progress_latencies(config, medianest, client, token, files)
            progress = [latency for _, latency in events]
            lines.append(describe("  download:progress latency", progress))
            slowest = sorted(events, key=lambda event: -event[1])[:5]
            lines.append(
                "  slowest progress events: "
                + ", ".join(f"{percent:g} % in {latency:.0f} ms" for percent, latency in slowest)
            )
    if config.markdown:
        lines += goal_lines(broadcast, connected, missing, progress)
    return lines


def goal_lines(
    broadcast: list[float], connected: int, missing: int, progress: list[float]
) -> list[str]:
    p99 = percentile(broadcast, 0.99)
    met = p99 < BROADCAST_GOAL_MS and missing == 0 and connected >= 1000
    lines = [
        f"GOAL|socket.io: {connected} clients receive a broadcast, p99 < 200 ms|"
        f"p99 {p99:.0f} ms ({missing} copies missing)|{'met' if met else 'not met'}"
    ]
    if progress:
        p99 = percentile(progress, 0.99)
        lines.append(
            f"GOAL|socket.io: a download's progress reaches its owner, p99 < 50 ms|"
            f"p99 {p99:.0f} ms (n={len(progress)}, upper bound)|"
            f"{'met' if p99 < PROGRESS_GOAL_MS else 'not met'}"
        )
    return lines


def run(config: Config) -> list[str]:
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-rt-bench-")))
        served, library = workdir / "served", workdir / "library"
        served.mkdir()
        library.mkdir()
        write_random_file(served / FILE_NAME, config.size_mb * MB)
        files = start_file_server(served, workdir)
        stack.callback(common.stop, files)
        files = read_file_server(files, config.startup_timeout)
        medianest = start_medianest_with_library(workdir, library, files.port)
        stack.callback(common.stop, medianest)
        common.wait_until_ready(medianest, "/health", config.startup_timeout)
        return asyncio.run(measure(config, medianest, files, workdir))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["--client"]:
        url, token, count = arguments[1], arguments[2], int(arguments[3])
        asyncio.run(client_process(url, token, count))
        return 0
    signal.signal(signal.SIGTERM, common.exit_on_sigterm)
    config = parse_args(arguments)
    say(f"realtime benchmark, {HOST}, load average {os.getloadavg()}", sys.stderr)
    for line in run(config):
        say(line)
    say(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
