"""A static file server for `bench/downloads.py`: one folder over HTTP, bodies by sendfile.

`http.server`'s threaded server and request handler (a thread per connection, HEAD, the
Content-Type from the file's extension, so `big.mp4` is `video/mp4`), except that a file's
body goes out with `socket.sendfile` (the kernel copies it from the page cache to the socket,
no Python loop of 64 KiB reads and writes). So the server costs little CPU and is not what
limits a download over loopback, for curl or for MediaNest. It runs in a process of its own,
so it never shares a GIL with MediaNest or with the benchmark script.

`?bytes_per_second=N` on a file's URL paces its body: N/20 bytes every 50 ms, so that a
download lasts long enough to watch its progress events. With `&log_sends=1` too, it prints
`BENCH_SENT {"path", "offset", "at"}` before each share (`at`: wall-clock seconds, `offset`: the
share's first byte), so `bench/realtime.py` can tell when a byte left for the downloader.

It prints one line, `BENCH_FILES {"url": ...}` (its URL, ending in `/`), once it listens,
then serves until SIGTERM or SIGINT. Run from the repository root:

    python -m bench.file_server --directory DIR [--port 0]
"""

import argparse
import functools
import http.server
import json
import shutil
import signal
import threading
import time
import urllib.parse
from typing import Any

HOST = "127.0.0.1"
LINE_PREFIX = "BENCH_FILES "
SENT_PREFIX = "BENCH_SENT "
PACE_SECONDS = 0.05
"""How often a paced body sends its next share."""


class SendfileHandler(http.server.SimpleHTTPRequestHandler):
    """`SimpleHTTPRequestHandler` whose file bodies go out through `socket.sendfile`."""

    def copyfile(self, source: Any, outputfile: Any) -> None:
        try:
            source.fileno()
        except (AttributeError, OSError):  # not a real file: a directory listing
            shutil.copyfileobj(source, outputfile)
            return
        self.wfile.flush()  # the head first, should it still be buffered
        try:
            self._send(source, self._bytes_per_second())
        except (BrokenPipeError, ConnectionResetError):
            # yt-dlp's generic extractor reads the head of a first GET, then hangs up.
            self.log_message("the client closed the connection before the end of the body")

    def _send(self, source: Any, rate: float | None) -> None:
        if rate is None:
            self.connection.sendfile(source)
            return
        share = max(1, int(rate * PACE_SECONDS))
        started, sent = time.monotonic(), 0
        log_sends = self._query_value("log_sends") == "1"
        while True:
            if log_sends:
                self._log_send(sent)
            count = self.connection.sendfile(source, offset=sent, count=share)
            if not count:
                return
            sent += count
            time.sleep(max(0.0, started + sent / rate - time.monotonic()))

    def _log_send(self, offset: int) -> None:
        path = urllib.parse.urlsplit(self.path).path
        line = json.dumps({"path": path, "offset": offset, "at": time.time()})
        print(SENT_PREFIX + line, flush=True)

    def _query_value(self, name: str) -> str | None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        values = query.get(name)
        return values[0] if values else None

    def _bytes_per_second(self) -> float | None:
        value = self._query_value("bytes_per_second")
        return float(value) if value is not None and float(value) > 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--directory", required=True, help="The folder to serve.")
    parser.add_argument("--port", type=int, default=0, help="0: a free port.")
    args = parser.parse_args()
    # Blocked before the serving thread starts, which inherits the mask: SIGTERM and SIGINT
    # then wait for sigwait() below, in this thread.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    handler = functools.partial(SendfileHandler, directory=args.directory)
    with http.server.ThreadingHTTPServer((HOST, args.port), handler) as server:
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        url = f"http://{HOST}:{server.server_address[1]}/"
        print(LINE_PREFIX + json.dumps({"url": url}), flush=True)
        signal.sigwait(stop_signals)
        server.shutdown()


if __name__ == "__main__":
    main()
