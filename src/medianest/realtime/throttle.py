"""Keep progress events to a rate people can read and the network can carry."""

import time
from collections.abc import Callable

DEFAULT_PER_SECOND = 4.0


class ProgressThrottle:
    """At most `per_second` events per key (a download id); the final state always passes.

    yt-dlp reports progress many times a second; sending each would flood sockets and, with
    Redis, every API process. Skipped updates are dropped, not delayed: the next one that
    passes carries newer numbers anyway.
    """

    def __init__(
        self,
        per_second: float = DEFAULT_PER_SECOND,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._interval = 1.0 / per_second
        self._clock = clock
        self._last_sent: dict[str, float] = {}

    def allow(self, key: str, *, final: bool = False) -> bool:
        """Whether to send this update now. `final=True` (completed, failed, cancelled)
        always passes and forgets the key."""
        if final:
            self._last_sent.pop(key, None)
            return True
        now = self._clock()
        last = self._last_sent.get(key)
        if last is not None and now - last < self._interval:
            return False
        self._last_sent[key] = now
        return True
