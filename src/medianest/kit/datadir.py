"""The data dir: private to the account MediaNest runs as (it holds the database, the
secrets and the backups), and shared by processes with care: servers and workers hold it
together, a restore holds it alone, so nothing replaces the database under a running process."""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from filelock import ReadWriteLock, Timeout

LOCK_FILE_NAME = ".medianest.lock"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dir(path: Path) -> int | None:
    """Create the folder readable by its owner only, or make it so. Returns the mode it had
    when it was open to others (and so was changed), else None."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o077:
        return None
    path.chmod(PRIVATE_DIR_MODE)
    return mode


def make_private_file(path: Path) -> None:
    """Create the file (empty) readable by its owner only, or make it so."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    path.chmod(PRIVATE_FILE_MODE)


class Use(StrEnum):
    """How a command uses the data dir."""

    SHARED = "shared"
    """`serve` and `worker`: any number at once."""
    EXCLUSIVE = "exclusive"
    """`restore`: no other MediaNest process may hold the data dir meanwhile."""


class DataDirBusyError(Exception):
    """Another MediaNest process holds the data dir in a way that excludes this one."""


@contextmanager
def held(data_dir: Path, use: Use) -> Iterator[None]:
    """Hold the data dir's lock for the block; raise DataDirBusyError at once when another
    process holds it the other way. The operating system drops the lock of a process that
    dies, so a crash never leaves it stuck."""
    data_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    lock = ReadWriteLock(data_dir / LOCK_FILE_NAME, blocking=False, is_singleton=False)
    try:
        if use is Use.EXCLUSIVE:
            lock.acquire_write()
        else:
            lock.acquire_read()
    except Timeout:
        lock.close()
        raise DataDirBusyError(_busy_message(data_dir, use)) from None
    try:
        yield
    finally:
        lock.release(force=True)
        lock.close()


def _busy_message(data_dir: Path, use: Use) -> str:
    if use is Use.EXCLUSIVE:
        return (
            f"a MediaNest server or worker is running on the data dir {data_dir}: stop every "
            "`medianest serve` and `medianest worker` that uses it first"
        )
    return f"a restore is running on the data dir {data_dir}: wait until it has finished"
