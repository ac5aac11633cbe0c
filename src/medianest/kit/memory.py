"""Fewer malloc arenas for a long-running server process.

glibc gives each thread that allocates its own arena (up to eight per core): the server's
threads (aiosqlite's one per connection, the argon2 and job pools) each keep freed memory
in theirs, and the process grows with the number of threads rather than with what it holds.
Two arenas are plenty under the GIL (5 MiB less after the 5-minute soak, bench/README.md).
"""

import ctypes
import ctypes.util
import os

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def limit_malloc_arenas() -> None:
    """Cap this process's arenas (and, through the environment, its children's, such as
    uvicorn's worker processes) unless MALLOC_ARENA_MAX was set: glibc honoured it already.
    A no-op on a C library without mallopt (musl, macOS)."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    os.environ["MALLOC_ARENA_MAX"] = str(ARENAS)
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, ARENAS)
