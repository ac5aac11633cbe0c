"""The fake Plex Media Server of the tests, in a process of its own, for `bench/load.py`.

`tests.fakes.plex.FakePlexServer` is a Starlette app that uvicorn serves on a thread. Here it
runs in its own process, so its CPU is counted apart from MediaNest's, the load generator's
and the benchmark script's, and a busy fake competes with them only for the cores, never for a
GIL. Its movie library (section 1) is padded with plain items up to `--movies`, so that a
page of 50 is full.

Nagle's algorithm: the fake turns it off itself (`FakeHttpServer.start` makes its listening
socket with IPPROTO_TCP and sets TCP_NODELAY), so answers on a kept-alive connection do not
wait ~40 ms for the client's delayed ACK; nothing to do here.

It prints one line, `BENCH_PLEX {"url": ..., "token": ...}` (its URL and the owner's token,
which MediaNest is configured with), then serves until SIGTERM or SIGINT.
Run from the repository root (it imports `tests.fakes.plex`):

    python -m bench.plex_fake [--movies 50] [--delay 0]
"""

import argparse
import json
import signal

from tests.fakes.plex import ADMIN_TOKEN, MOVIES, FakePlexServer

LINE_PREFIX = "BENCH_PLEX "
MOVIE_SECTION = "1"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--movies",
        type=int,
        default=50,
        help=f"Movies in library 1 (the fake has {len(MOVIES)}; more are added, never fewer).",
    )
    parser.add_argument(
        "--delay",
        type=float,
        default=0.0,
        help="Seconds every answer waits before it is made, as a distant or busy Plex would.",
    )
    return parser.parse_args()


def pad_movies(server: FakePlexServer, movies: int) -> None:
    """Add plain movies to library 1 until it holds `movies` of them."""
    present = sum(1 for item in server.items.values() if item.section_key == MOVIE_SECTION)
    for number in range(present + 1, movies + 1):
        title = f"Bench Movie {number:03d}"
        path = f"/data/media/movies/{title} (2020)/{title} (2020).mkv"
        server.add_item(MOVIE_SECTION, title, path, year=2020)


def main() -> None:
    args = _parse_args()
    # Blocked before the server thread starts, which inherits the mask: SIGTERM and SIGINT
    # then wait for sigwait() below, in this thread, instead of interrupting anything.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    server = FakePlexServer()
    pad_movies(server, args.movies)
    server.start()
    try:
        with server.slow(args.delay):  # 0: no delay, the fake's normal mode
            print(LINE_PREFIX + json.dumps({"url": server.url, "token": ADMIN_TOKEN}), flush=True)
            signal.sigwait(stop_signals)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
