"""Stopping background tasks."""

import asyncio
import contextlib
from typing import Any

RECANCEL_SECONDS = 0.5


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait for it to end, cancelling again while it runs on.

    Asking once is not always enough: redis-py loses a cancellation that arrives while a
    pub/sub connection is being set up (the subscriber then blocks in `listen()` for good),
    so a server shut down just after it started would hang."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_SECONDS)
    with contextlib.suppress(asyncio.CancelledError):
        await task
