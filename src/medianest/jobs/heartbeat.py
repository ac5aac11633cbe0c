"""The queue's heartbeat: every process that consumes jobs says so in the cache, with a TTL.

With Redis the cache is shared, so any process can tell whether some worker, anywhere, is
alive; in the embedded shape the server is its own worker and keeps the beat in memory.
"""

from dataclasses import dataclass
from datetime import datetime

from medianest.cache.cache import Cache
from medianest.kit.clock import utc_now

HEARTBEAT_KEY = "queue:heartbeat"


@dataclass(frozen=True, slots=True)
class Heartbeat:
    worker: str
    at: datetime


async def beat(cache: Cache, worker: str, *, ttl_seconds: float) -> None:
    """One beat; it is forgotten after `ttl_seconds` unless another follows."""
    await cache.set(HEARTBEAT_KEY, {"worker": worker, "at": utc_now().isoformat()}, ttl_seconds)


async def last_beat(cache: Cache) -> Heartbeat | None:
    """The latest beat still fresh, from whichever worker sent it; None when none is."""
    value = await cache.get(HEARTBEAT_KEY)
    if not isinstance(value, dict):
        return None
    return Heartbeat(worker=str(value["worker"]), at=datetime.fromisoformat(value["at"]))
