"""`medianest serve` under cProfile, for `bench/hotpath.py --profile`.

    python -m bench.profiled_serve PREFIX serve --host ... --port ...

Each SIGUSR1 writes the profile gathered since the previous one to `PREFIX.N` (N = 1, 2, ...)
and starts afresh, so the caller gets one profile per loaded target; the rest is written
to `PREFIX.last` when the server stops.
"""

import cProfile
import signal
import sys
from types import FrameType

from medianest.cli import app as cli


def main() -> None:
    prefix, arguments = sys.argv[1], sys.argv[2:]
    profiler = cProfile.Profile()
    dumped = 0

    def dump(_signum: int, _frame: FrameType | None) -> None:
        nonlocal dumped
        profiler.disable()
        dumped += 1
        profiler.dump_stats(f"{prefix}.{dumped}")
        profiler.clear()
        profiler.enable()

    signal.signal(signal.SIGUSR1, dump)
    profiler.enable()
    try:
        cli(args=arguments, prog_name="medianest")
    except SystemExit:
        pass
    finally:
        profiler.disable()
        profiler.dump_stats(f"{prefix}.last")


if __name__ == "__main__":
    main()
