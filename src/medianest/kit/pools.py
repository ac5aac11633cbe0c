"""One client per configured service, replaced when its settings change (no restart)."""

from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar


class Closeable(Protocol):
    async def aclose(self) -> None: ...


C = TypeVar("C", bound=Hashable)
T = TypeVar("T", bound=Closeable)


class ClientPool(Generic[C, T]):
    """Holds the client built for the latest configuration. Clients of older configurations
    may still be serving requests, so they are closed at shutdown, not when replaced."""

    def __init__(self, build: Callable[[C], T]) -> None:
        self._build = build
        self._current: tuple[C, T] | None = None
        self._retired: list[T] = []

    def client(self, config: C) -> T:
        if self._current is None or self._current[0] != config:
            if self._current is not None:
                self._retired.append(self._current[1])
            self._current = (config, self._build(config))
        return self._current[1]

    async def aclose(self) -> None:
        clients = [*self._retired, *([self._current[1]] if self._current else [])]
        self._current = None
        self._retired = []
        for client in clients:
            await client.aclose()
