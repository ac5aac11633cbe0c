"""The fake Overseerr of the tests, in a process of its own, for `bench/upstream.py`.

`tests.fakes.overseerr.FakeOverseerr` (a Starlette app on a uvicorn thread) answering every
request after `--delay` seconds (the fake's `slow` mode), so that its answer time is fixed
and known. It prints one line, `BENCH_OVERSEERR {"url": ..., "apiKey": ...}`, then serves
until SIGTERM or SIGINT. Run from the repository root (it imports `tests.fakes.overseerr`):

    python -m bench.overseerr_fake [--delay 0]
"""

import argparse
import json
import signal

from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr

LINE_PREFIX = "BENCH_OVERSEERR "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--delay", type=float, default=0.0, help="Seconds every answer waits.")
    args = parser.parse_args()
    # Blocked before the server thread starts, which inherits the mask (see plex_fake.py).
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    server = FakeOverseerr()
    server.start()
    try:
        with server.slow(args.delay):
            line = {"url": server.url, "apiKey": OVERSEERR_API_KEY}
            print(LINE_PREFIX + json.dumps(line), flush=True)
            signal.sigwait(stop_signals)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
