"""Download throughput: one file over loopback, by curl and by MediaNest, in one run.

It writes a file of random bytes (`big.mp4`, 100 MB by default) into a temporary folder and
serves it from `bench/file_server.py`, in a process of its own. Then, `--runs` times (3):

- curl downloads it (`curl -s -o /dev/null -w ...`): the baseline, what the machine's
  loopback, page cache and an HTTP client in C manage;
- a real `medianest serve` (production settings, SQLite in a temporary data dir) downloads
  it as a user would ask for a video: `POST /api/v1/youtube/download` with the file's URL
  (yt-dlp's generic extractor takes a direct media URL), while a socket.io client on
  `/media` records every `download:progress` and `download:completed` event with the time
  it arrived;
- MediaNest downloads a 1 MB file the same way: what every job costs whatever its size;
- MediaNest downloads the big file again, served at `--paced-mb-per-s` (25), so that the job
  lasts long enough to count its progress events (at full speed it is over in a fraction of
  a second, before the first one).

Each download is removed again (`DELETE ...?deleteFiles=true`) before the next. For each
MediaNest download it reports MB/s over the job's own time (the download's `startedAt` to
`finishedAt`) and end to end (from sending the POST to receiving `download:completed`),
progress events per second of the running phase, the most events in any 1-second window, the
last progress value sent, and the CPU seconds the server process spent. One small download
before the runs (not measured) pays for first-use costs such as yt-dlp's imports. Then a
table: median, min and max of each figure over the runs. It asserts nothing.

Run from the repository root:

    .venv/bin/python bench/downloads.py [--size-mb 100] [--runs 3] [--paced-mb-per-s 25]
"""

import argparse
import asyncio
import contextlib
import dataclasses
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
import urllib.parse
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil
import socketio

# `python bench/downloads.py` puts only bench/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import HOST, Server, fail_with_log, non_negative_float, positive_int, say

T = TypeVar("T")

MB = 1_000_000
"""MB and MB/s are decimal here, as curl's and yt-dlp's byte counts are turned into them."""
FILE_NAME = "big.mp4"
SMALL_FILE_NAME = "small.mp4"
SMALL_BYTES = 1 * MB
WRITE_CHUNK = 1 << 20
FILES_LINE_PREFIX = "BENCH_FILES "
"""What `bench/file_server.py` prints before its JSON line (its URL)."""

API = "/api/v1"
NAMESPACE = "/media"
PROGRESS = "download:progress"
COMPLETED = "download:completed"
FAILED = "download:failed"
WINDOW_SECONDS = 1.0
CURL_FORMAT = "%{time_total} %{speed_download} %{size_download} %{http_code}"
"""The brief's `%{time_total} %{speed_download}`, plus what checks the download was whole."""


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    size_mb: int
    runs: int
    paced_mb_per_second: float
    startup_timeout: float
    download_timeout: float

    @property
    def size_bytes(self) -> int:
        return self.size_mb * MB


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        description="Download a file over loopback with curl and with MediaNest; compare."
    )
    parser.add_argument("--size-mb", type=positive_int, default=100, help="File size (MB).")
    parser.add_argument("--runs", type=positive_int, default=3, help="Runs of each.")
    parser.add_argument(
        "--paced-mb-per-s",
        dest="paced_mb_per_second",
        metavar="PACED_MB_PER_S",
        type=non_negative_float,
        default=25.0,
        help="Each run also downloads the file through MediaNest served at this rate, so that "
        "the job lasts long enough to count its progress events (0: skip).",
    )
    common.add_startup_timeout(parser)
    parser.add_argument(
        "--download-timeout", type=float, default=600.0, help="Seconds one download may take."
    )
    args = parser.parse_args(argv)
    return common.config_from(Config, args)


# ---------------------------------------------------------------- processes


def start_file_server(directory: Path, workdir: Path) -> Server:
    """`bench/file_server.py` on `directory`; it picks its port (see `read_file_server`)."""
    command = [sys.executable, "-m", "bench.file_server", "--directory", str(directory)]
    return common.spawn("file server", command, common.clean_environment(), workdir / "files.log")


def read_file_server(server: Server, timeout: float) -> Server:
    """Wait for the URL the file server prints, then for its first 200."""
    ready, _ = common.read_announcement(server, FILES_LINE_PREFIX, "URL", "/", timeout)
    return ready


MEDIANEST_SETTINGS = {
    "RATE_LIMIT_DOWNLOADS": "1000/hour",
}
"""What this benchmark sets on top of `bench.common.medianest_environment` (and the library)."""


def start_medianest_with_library(workdir: Path, library: Path, files_port: int) -> Server:
    """MediaNest allowed to download from the file server: a loopback host passes the URL
    guard on a port other than 80 and 443 only when named with it."""
    return common.start_medianest(
        workdir,
        {
            **MEDIANEST_SETTINGS,
            "YOUTUBE_ALLOWED_HOSTS": f"{HOST}:{files_port}",
            "YOUTUBE_LIBRARY_DIR": str(library),
        },
    )


def write_random_file(path: Path, size: int) -> None:
    """`size` random bytes (nothing compresses them on the way)."""
    with path.open("wb") as out:
        left = size
        while left > 0:
            chunk = min(left, WRITE_CHUNK)
            out.write(os.urandom(chunk))
            left -= chunk


# ---------------------------------------------------------------- CPU accounting


def process_cpu_seconds(pid: int) -> float:
    """CPU time of a process (all its threads) and of its children, running or waited for."""
    total = common.tree_cpu_seconds(pid)
    times = psutil.Process(pid).cpu_times()
    return total + times.children_user + times.children_system


def own_cpu_seconds() -> float:
    """This script's CPU time and that of its finished children (curl)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds over one measured interval: the server under test, the file server, this
    script (and curl), and the rest of the machine (other processes: someone else's load)."""

    wall_s: float
    server_s: float
    files_s: float
    own_s: float
    other_s: float

    def percent(self, seconds: float) -> float:
        return 100 * seconds / self.wall_s if self.wall_s > 0 else 0.0


class CpuMeter:
    """Samples the CPU counters at `start()`; `stop()` gives the differences."""

    def __init__(self, server: Server | None, files: Server) -> None:
        self._server = server
        self._files = files
        self._before = self._sample()

    def _sample(self) -> tuple[float, float, float, float, float]:
        server = process_cpu_seconds(self._server.process.pid) if self._server else 0.0
        files = process_cpu_seconds(self._files.process.pid)
        return time.perf_counter(), server, files, own_cpu_seconds(), common.machine_busy_seconds()

    def stop(self) -> CpuUse:
        after = self._sample()
        wall, server, files, own, busy = (a - b for a, b in zip(after, self._before, strict=True))
        return CpuUse(wall, server, files, own, max(0.0, busy - server - files - own))


# ---------------------------------------------------------------- curl


@dataclass(frozen=True)
class CurlRun:
    seconds: float
    bytes_per_second: float
    cpu: CpuUse

    @property
    def mb_per_second(self) -> float:
        return self.bytes_per_second / MB


def curl_version(curl: str) -> str:
    banner = subprocess.run([curl, "--version"], capture_output=True, text=True, check=False)
    return " ".join(banner.stdout.split()[:2]) or "curl"


def curl_once(curl: str, url: str, size: int, files: Server) -> CurlRun:
    meter = CpuMeter(None, files)
    output = subprocess.run(
        [curl, "-s", "-o", "/dev/null", "-w", CURL_FORMAT, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    cpu = meter.stop()
    seconds, speed, downloaded, status = output.split()
    if status != "200" or int(downloaded) != size:
        raise RuntimeError(f"curl got {status} with {downloaded} bytes, expected 200, {size}")
    return CurlRun(float(seconds), float(speed), cpu)


# ---------------------------------------------------------------- MediaNest


@dataclass(frozen=True)
class Event:
    name: str
    at: float
    """time.perf_counter() when the client received it."""
    data: dict[str, Any]


class EventLog:
    """A socket.io client on `/media` that keeps every download event with its arrival time."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.client = socketio.AsyncClient(reconnection=False)
        self._changed = asyncio.Condition()
        for name in (PROGRESS, COMPLETED, FAILED):
            self.client.on(name, self._recorder(name), namespace=NAMESPACE)

    async def connect(self, base_url: str, token: str) -> None:
        await self.client.connect(
            base_url,
            namespaces=[NAMESPACE],
            auth={"token": token},
            socketio_path="/socket.io",
            wait_timeout=10,
        )

    async def close(self) -> None:
        await self.client.disconnect()

    def _recorder(self, name: str) -> Callable[[dict[str, Any]], Any]:
        async def record(data: dict[str, Any]) -> None:
            self.events.append(Event(name, time.perf_counter(), data))
            async with self._changed:
                self._changed.notify_all()

        return record

    def of(self, download_id: str) -> list[Event]:
        return [event for event in self.events if event.data.get("id") == download_id]

    def _end(self, download_id: str) -> Event | None:
        ends = (e for e in self.of(download_id) if e.name in (COMPLETED, FAILED))
        return next(ends, None)

    async def end(self, download_id: str, wait_seconds: float) -> Event:
        """The download's `completed` (or `failed`) event, waiting up to `wait_seconds`."""
        async with asyncio.timeout(wait_seconds), self._changed:
            await self._changed.wait_for(lambda: self._end(download_id) is not None)
        end = self._end(download_id)
        if end is None:
            raise RuntimeError(f"no end event for {download_id}")  # wait_for said there was
        return end


@dataclass(frozen=True)
class JobRun:
    """One download through MediaNest."""

    size: int
    wall_s: float
    """From sending the POST to receiving `download:completed`."""
    job_s: float
    """The download's `startedAt` to `finishedAt` (the worker's claim to its last write)."""
    queued_s: float
    """The download's `createdAt` to `startedAt`."""
    progress_times: list[float]
    """When each `download:progress` event arrived (perf_counter seconds)."""
    last_progress: float | None
    stored_progress: float
    file_gets: int
    """GET requests of the file the file server answered during the job."""
    cpu: CpuUse

    @property
    def job_mb_per_second(self) -> float:
        return self.size / MB / self.job_s

    @property
    def wall_mb_per_second(self) -> float:
        return self.size / MB / self.wall_s

    @property
    def events_per_second(self) -> float:
        return len(self.progress_times) / self.job_s

    @property
    def max_in_window(self) -> int:
        return max_in_window(self.progress_times, WINDOW_SECONDS)


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most events in any half-open window [t, t + window) (each starting at an event)."""
    ordered = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


class MediaNest:
    """The API calls the benchmark makes, as the admin."""

    def __init__(self, server: Server, client: httpx.AsyncClient) -> None:
        self.server = server
        self.client = client

    async def create_admin(self) -> str:
        """`POST /auth/admin` on the fresh server; the admin's access token."""
        answer = await self.client.post(common.ADMIN_PATH, json=common.admin_body())
        token = str(self._data(answer, 201)["token"])
        self.client.headers["Authorization"] = f"Bearer {token}"
        return token

    async def queue(self, url: str) -> str:
        answer = await self.client.post(f"{API}/youtube/download", json={"url": url})
        return str(self._data(answer, 201)["id"])

    async def download(self, download_id: str) -> dict[str, Any]:
        return self._data(await self.client.get(f"{API}/youtube/downloads/{download_id}"), 200)

    async def remove(self, download_id: str) -> None:
        answer = await self.client.delete(
            f"{API}/youtube/downloads/{download_id}", params={"deleteFiles": "true"}
        )
        self._data(answer, 200)

    def _data(self, answer: httpx.Response, expected: int) -> dict[str, Any]:
        request = f"{answer.request.method} {answer.request.url.path}"
        if answer.status_code != expected:
            fail_with_log(
                self.server,
                f"answered {answer.status_code} to {request}, not {expected}; body:\n"
                f"{answer.text[:2000]}\n",
            )
        data: dict[str, Any] = answer.json()["data"]
        return data


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def file_gets(files: Server, name: str) -> int:
    """How many GETs of `name` the file server has logged (one line per request)."""
    log = files.log_path.read_text(encoding="utf-8", errors="replace")
    return log.count(f'"GET /{name}')


async def medianest_once(
    api: MediaNest, log: EventLog, url: str, size: int, files: Server, wait_seconds: float
) -> JobRun:
    """Queue the download, wait for its end event, read it back, check its file, remove it."""
    name = urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]
    gets_before = file_gets(files, name)
    meter = CpuMeter(api.server, files)
    sent = time.perf_counter()
    download_id = await api.queue(url)
    try:
        end = await log.end(download_id, wait_seconds)
    except TimeoutError:
        fail_with_log(api.server, f"did not finish the download of {url} in {wait_seconds:g}s")
    cpu = meter.stop()
    if end.name != COMPLETED:
        fail_with_log(api.server, f"failed the download of {url}: {end.data}")
    row = await api.download(download_id)
    if row["status"] != "completed" or [f["sizeBytes"] for f in row["files"]] != [size]:
        fail_with_log(api.server, f"finished the download of {url} as {row}")
    progress = [event for event in log.of(download_id) if event.name == PROGRESS]
    await api.remove(download_id)
    return JobRun(
        size=size,
        wall_s=end.at - sent,
        job_s=seconds_between(row["startedAt"], row["finishedAt"]),
        queued_s=seconds_between(row["createdAt"], row["startedAt"]),
        progress_times=[event.at for event in progress],
        last_progress=float(progress[-1].data["progress"]) if progress else None,
        stored_progress=float(row["progress"]),
        file_gets=file_gets(files, name) - gets_before,
        cpu=cpu,
    )


# ---------------------------------------------------------------- the run


@dataclass
class Results:
    curl: list[CurlRun] = dataclasses.field(default_factory=list)
    jobs: list[JobRun] = dataclasses.field(default_factory=list)
    small: list[JobRun] = dataclasses.field(default_factory=list)
    paced: list[JobRun] = dataclasses.field(default_factory=list)
    warmup: JobRun | None = None


async def measure(
    config: Config, medianest: Server, files: Server, curl: str, library: Path
) -> Results:
    """The warm-up download, then `config.runs` times: curl, MediaNest, MediaNest with the
    small file (a job's fixed cost), MediaNest paced."""
    results = Results()
    size, timeout = config.size_bytes, config.download_timeout
    big_url = f"{files.url}/{FILE_NAME}"
    rate = round(config.paced_mb_per_second * MB)
    paced_url = f"{big_url}?{urllib.parse.urlencode({'bytes_per_second': rate})}"
    async with httpx.AsyncClient(base_url=medianest.url, timeout=30) as client:
        api = MediaNest(medianest, client)
        token = await api.create_admin()
        log = EventLog()
        await log.connect(medianest.url, token)
        try:
            say("  warm-up: one small download through MediaNest (not measured) ...", sys.stderr)
            small_url = f"{files.url}/{SMALL_FILE_NAME}"
            results.warmup = await medianest_once(api, log, small_url, SMALL_BYTES, files, 60)
            for number in range(1, config.runs + 1):
                say(f"  run {number}/{config.runs}: curl, MediaNest, small, paced ...", sys.stderr)
                results.curl.append(await asyncio.to_thread(curl_once, curl, big_url, size, files))
                results.jobs.append(await medianest_once(api, log, big_url, size, files, timeout))
                small = await medianest_once(api, log, small_url, SMALL_BYTES, files, 60)
                results.small.append(small)
                if rate:
                    paced = await medianest_once(api, log, paced_url, size, files, timeout)
                    results.paced.append(paced)
                if left := files_in(library):
                    raise RuntimeError(f"files left in the library after removal: {left}")
        finally:
            await log.close()
    return results


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def run_benchmark(config: Config, curl: str) -> Results:
    """Make the file, start the servers, measure; stop everything and delete every temporary
    file whatever happens."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mn-dl-bench-")))
        served, library = workdir / "served", workdir / "library"
        served.mkdir()
        library.mkdir()
        say(f"  writing {config.size_mb} MB of random bytes ...", sys.stderr)
        write_random_file(served / FILE_NAME, config.size_bytes)
        write_random_file(served / SMALL_FILE_NAME, SMALL_BYTES)
        # Each process is stopped at the end from the moment it exists, before any wait.
        files = start_file_server(served, workdir)
        stack.callback(common.stop, files)
        files = read_file_server(files, config.startup_timeout)
        medianest = start_medianest_with_library(workdir, library, files.port)
        stack.callback(common.stop, medianest)
        common.wait_until_ready(medianest, "/health", config.startup_timeout)
        return asyncio.run(cancelled_by_sigterm(measure(config, medianest, files, curl, library)))


async def cancelled_by_sigterm(work: Coroutine[Any, Any, T]) -> T:
    """Await `work`; a SIGTERM meanwhile cancels it (as Ctrl-C does), so that its `finally`
    blocks run on the loop and its clients close, before the servers are stopped."""
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    previous = signal.getsignal(signal.SIGTERM)
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        return await work
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- reporting


def header_lines(config: Config, curl: str) -> list[str]:
    import uvicorn
    import yt_dlp.version

    from medianest import __version__
    from medianest.integrations.ytdlp.client import find_ffmpeg

    ffmpeg = find_ffmpeg(None)
    paced = (
        f"{config.paced_mb_per_second:g} MB/s ({config.size_mb / config.paced_mb_per_second:g} s"
        " per download)"
        if config.paced_mb_per_second
        else "skipped"
    )
    return [
        "MediaNest download benchmark",
        f"  file           : {FILE_NAME}, {config.size_mb} MB of random bytes, served over "
        "loopback by bench/file_server.py (sendfile, own process)",
        f"  runs           : {config.runs} x (curl, MediaNest, MediaNest {SMALL_BYTES // MB} MB, "
        f"MediaNest paced), after a {SMALL_BYTES // MB} MB MediaNest warm-up",
        f"  paced          : the file served at {paced}",
        f"  curl           : {curl_version(curl)}",
        f"  medianest      : {__version__}, MEDIANEST_ENV=production, SQLite, no Redis "
        "(embedded job queue), uvicorn " + uvicorn.__version__,
        f"  yt-dlp         : {yt_dlp.version.__version__}, ffmpeg "
        + (str(ffmpeg) if ffmpeg else "not found"),
        f"  python         : {platform.python_version()} ({platform.python_implementation()})",
        f"  cpu count      : {os.cpu_count()}, load average at start {load_average()}",
    ]


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def run_lines(results: Results) -> list[str]:
    """One row per download, in the order they ran."""
    rows = [
        [
            *["run", "curl s", "curl MB/s", "queued s", "job s", "e2e s", "job MB/s"],
            *["e2e MB/s", "GETs", "events", "ev/s", "max/1s", "last %", "srv CPU s", "other"],
        ]
    ]
    runs: list[tuple[str, CurlRun | None, JobRun]] = []
    if results.warmup is not None:
        runs.append((f"warm-up ({SMALL_BYTES // MB} MB)", None, results.warmup))
    for index, pair in enumerate(zip(results.curl, results.jobs, strict=True)):
        runs.append((str(index + 1), *pair))
        runs.append((f"{index + 1} small ({SMALL_BYTES // MB} MB)", None, results.small[index]))
        if index < len(results.paced):
            runs.append((f"{index + 1} paced", None, results.paced[index]))
    for name, curl, job in runs:
        rows.append(
            [
                name,
                f"{curl.seconds:.3f}" if curl else "-",
                f"{curl.mb_per_second:.0f}" if curl else "-",
                f"{job.queued_s:.2f}",
                f"{job.job_s:.2f}",
                f"{job.wall_s:.2f}",
                f"{job.job_mb_per_second:.1f}",
                f"{job.wall_mb_per_second:.1f}",
                f"{job.file_gets}",
                f"{len(job.progress_times)}",
                f"{job.events_per_second:.2f}",
                f"{job.max_in_window}",
                "-" if job.last_progress is None else f"{job.last_progress:g}",
                f"{job.cpu.server_s:.2f}",
                f"{job.cpu.percent(job.cpu.other_s):.0f}%",
            ]
        )
    return common.format_rows(rows)


Figure = tuple[str, list[float], str]
"""A summary row: its name, one value per run, and how to format a value."""


def server_share(run: JobRun) -> float:
    return run.cpu.percent(run.cpu.server_s)


def other_share(run: JobRun | CurlRun) -> float:
    return run.cpu.percent(run.cpu.other_s)


def files_share(run: JobRun | CurlRun) -> float:
    return run.cpu.percent(run.cpu.files_s)


def summary_lines(results: Results) -> list[str]:
    """Median, min and max of each figure over the runs."""
    jobs, curls, small, paced = results.jobs, results.curl, results.small, results.paced
    figures: list[Figure] = [
        ("curl MB/s", [c.mb_per_second for c in curls], "{:.0f}"),
        ("MediaNest job MB/s", [j.job_mb_per_second for j in jobs], "{:.0f}"),
        ("MediaNest end-to-end MB/s", [j.wall_mb_per_second for j in jobs], "{:.0f}"),
        ("MediaNest job MB/s / curl MB/s", ratios(jobs, curls), "{:.3f}"),
        ("small file's job s (a job's fixed cost)", [j.job_s for j in small], "{:.3f}"),
        ("progress events/s", [j.events_per_second for j in jobs], "{:.2f}"),
        ("max progress events in 1 s", [j.max_in_window for j in jobs], "{:.0f}"),
        ("server CPU s per download", [j.cpu.server_s for j in jobs], "{:.2f}"),
        ("server CPU % of a core (POST..completed)", [server_share(j) for j in jobs], "{:.0f}"),
        ("file server CPU % of a core (curl runs)", [files_share(c) for c in curls], "{:.0f}"),
        ("other CPU % (curl runs)", [other_share(c) for c in curls], "{:.0f}"),
        ("other CPU % (MediaNest runs)", [other_share(j) for j in jobs], "{:.0f}"),
    ]  # fmt: skip
    if paced:
        figures += [
            ("paced: job s", [j.job_s for j in paced], "{:.2f}"),
            ("paced: progress events/s", [j.events_per_second for j in paced], "{:.2f}"),
            ("paced: max progress events in 1 s", [j.max_in_window for j in paced], "{:.0f}"),
            ("paced: server CPU s per download", [j.cpu.server_s for j in paced], "{:.2f}"),
            ("paced: server CPU % of a core", [server_share(j) for j in paced], "{:.1f}"),
            ("paced: other CPU %", [other_share(j) for j in paced], "{:.0f}"),
        ]  # fmt: skip
    rows = [["figure", "median", "min", "max"]]
    for name, values, pattern in figures:
        rows.append([name, *(pattern.format(f(values)) for f in (statistics.median, min, max))])
    lines = [*common.format_rows(rows), ""]
    for label, runs in (("full speed", jobs), ("paced", paced)):
        if runs:
            finals = ", ".join(
                "none" if j.last_progress is None else f"{j.last_progress:g}" for j in runs
            )
            stored = ", ".join(f"{j.stored_progress:g}" for j in runs)
            lines.append(
                f"{label}: last download:progress value per run {finals} (100 in every run: "
                f"{all(j.last_progress == 100 for j in runs)}); progress of the finished "
                f"download (GET) {stored}"
            )
    return lines


def ratios(jobs: Sequence[JobRun], curls: Sequence[CurlRun]) -> list[float]:
    return [
        job.job_mb_per_second / curl.mb_per_second for job, curl in zip(jobs, curls, strict=True)
    ]


def footnotes() -> list[str]:
    return [
        "MB = 10^6 bytes. queued = the download's createdAt..startedAt; job = its startedAt..",
        "finishedAt (the worker's claim to the completed row: yt-dlp's extraction and download,",
        "moving the file into the library); e2e = sending the POST to receiving",
        "download:completed on socket.io. GETs = requests of the file the file server answered",
        "during the job.",
        "events = download:progress events received; ev/s = events / job s; max/1s = most",
        "events in any 1 s window; last % = the last event's progress. srv CPU = the MediaNest",
        "process (yt-dlp runs in one of its threads) from the POST to download:completed;",
        "other = the rest of the machine over the same interval, 100% = one core (someone",
        "else's load: when high, the figures are noisy). paced = the same file served at",
        "--paced-mb-per-s, so the job lasts long enough to count its progress events.",
    ]


# ---------------------------------------------------------------- main


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, common.exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    curl = shutil.which("curl")
    if curl is None:
        say("downloads.py: curl is not on PATH (apt-get install -y curl)", sys.stderr)
        return 1
    for line in header_lines(config, curl):
        say(line)
    with _sigterm_exits():
        try:
            results = run_benchmark(config, curl)
        except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C inside asyncio.run too
            say("downloads.py: interrupted; servers stopped, files removed", sys.stderr)
            return 130
        except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as exc:
            say(f"downloads.py: {type(exc).__name__}: {exc}", sys.stderr)
            return 1
    load = load_average()
    say("")
    for line in run_lines(results):
        say(line)
    say("")
    for line in summary_lines(results):
        say(line)
    say(f"load average at the end: {load}")
    say("")
    for line in footnotes():
        say(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
