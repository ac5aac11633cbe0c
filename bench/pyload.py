"""The fallback load generator of `bench/load.py`, for machines without `wrk`.

It runs in its own process: N keep-alive HTTP/1.1 connections (raw asyncio streams on
uvloop when available), each sending the same request one after another for a fixed time:
a GET by default, or any method with extra headers and a body. It prints one JSON object on
standard output: every request's latency in microseconds, the error count (non-2xx answers
and transport errors) and the elapsed wall time.

    python -m bench.pyload --port 8000 --path /health --connections 50 --duration 10
    python -m bench.pyload --port 8000 --path /api/v1/auth/login --method POST \
        --header 'Content-Type: application/json' --body '{"email": "..."}' --connections 4
"""

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

TRANSPORT_ERRORS = (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)
RECONNECT_PAUSE_SECONDS = 0.01


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 this generator can read."""


@dataclass
class Tally:
    """What every connection of one run adds to."""

    latencies_us: list[int] = field(default_factory=list)
    errors: int = 0


@dataclass(frozen=True)
class Target:
    """Where to send the requests, and the request bytes themselves."""

    host: str
    port: int
    request: bytes


def build_request(
    host: str,
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: Sequence[str] = (),
    body: str = "",
) -> bytes:
    """A minimal keep-alive request, the same bytes for every request.

    `headers` are "Name: value" lines, sent as given. A body (UTF-8) gets its
    Content-Length; so does any method other than GET and HEAD, with 0 when it has none.
    """
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: medianest-bench",
        "Accept: */*",
        *headers,
    ]
    payload = body.encode("utf-8")
    if payload or method not in {"GET", "HEAD"}:
        lines.append(f"Content-Length: {len(payload)}")
    return "\r\n".join([*lines, "", ""]).encode("latin-1") + payload


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status code and lower-cased headers of a response head."""
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ProtocolError(f"bad status line {status_line!r}")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def read_chunked_body(reader: asyncio.StreamReader) -> None:
    """Consume a chunked body, trailers included."""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return
        await reader.readexactly(size + 2)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one whole response; return its status and whether the connection stays open."""
    status, headers = parse_head(await reader.readuntil(b"\r\n\r\n"))
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        await read_chunked_body(reader)
    else:
        raise ProtocolError("response without a length")
    return status, headers.get("connection", "").lower() != "close"


async def send_requests(
    target: Target,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    deadline: float,
    tally: Tally,
) -> None:
    """Send requests one after another on one connection until the deadline or a close."""
    keep_alive = True
    while keep_alive and time.perf_counter() < deadline:
        started = time.perf_counter_ns()
        writer.write(target.request)
        status, keep_alive = await read_response(reader)
        tally.latencies_us.append((time.perf_counter_ns() - started) // 1000)
        if not 200 <= status < 300:
            tally.errors += 1


async def drive_connection(target: Target, deadline: float, total: Tally) -> None:
    """One simulated client: (re)connect and send requests until the deadline."""
    while time.perf_counter() < deadline:
        writer: asyncio.StreamWriter | None = None
        try:
            reader, writer = await asyncio.open_connection(target.host, target.port)
            await send_requests(target, reader, writer, deadline, total)
        except (*TRANSPORT_ERRORS, ProtocolError, ValueError):
            total.errors += 1
            await asyncio.sleep(RECONNECT_PAUSE_SECONDS)
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(*TRANSPORT_ERRORS):
                    await writer.wait_closed()


async def generate_load(target: Target, connections: int, duration: float) -> dict[str, Any]:
    """Run `connections` clients for `duration` seconds; the result is JSON-ready."""
    total = Tally()
    started = time.perf_counter()
    deadline = started + duration
    async with asyncio.TaskGroup() as group:
        for _ in range(connections):
            group.create_task(drive_connection(target, deadline, total))
    return {
        "latencies_us": total.latencies_us,
        "errors": total.errors,
        "elapsed_s": time.perf_counter() - started,
    }


def run_fast(coroutine: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run on uvloop when it is installed (it is, with uvicorn[standard]), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1", help="Server address.")
    parser.add_argument("--port", type=int, required=True, help="Server port.")
    parser.add_argument("--path", default="/", help="Path to request.")
    parser.add_argument("--method", default="GET", help="HTTP method.")
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="Extra request header (repeatable).",
    )
    parser.add_argument("--body", default="", help="Request body (sent as UTF-8).")
    parser.add_argument("--connections", type=int, default=50, help="Concurrent connections.")
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds to run.")
    return parser.parse_args()


def main() -> None:
    """Generate the load and print the JSON result."""
    args = _parse_args()
    request = build_request(
        args.host,
        args.port,
        args.path,
        method=args.method,
        headers=args.header,
        body=args.body,
    )
    target = Target(args.host, args.port, request)
    result = run_fast(generate_load(target, args.connections, args.duration))
    json.dump(result, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
