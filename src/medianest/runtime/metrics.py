"""Prometheus instruments for HTTP traffic, one registry per app (no global state), and a
rolling window of recent requests for the performance endpoints."""

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
WINDOW_SECONDS = 24 * 3600
"""How far back the rolling window of requests reaches."""
SAMPLES_PER_ROUTE = 2048
"""Bound on the samples kept per route: a busy route's window covers its latest requests."""


@dataclass(frozen=True, slots=True)
class RequestSample:
    at: float
    """`time.monotonic()` when the request finished."""
    seconds: float
    status: int


RouteKey = tuple[str, str]
"""(method, route template)."""


class RecentRequests:
    """The latest requests of each route, bounded in age and in number, so latency
    percentiles and error rates can be computed over any window up to a day."""

    def __init__(
        self,
        *,
        max_age_seconds: float = WINDOW_SECONDS,
        max_per_route: int = SAMPLES_PER_ROUTE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age_seconds = max_age_seconds
        self._max_per_route = max_per_route
        self._clock = clock
        self._routes: dict[RouteKey, deque[RequestSample]] = {}

    def now(self) -> float:
        return self._clock()

    def add(self, method: str, route: str, status: int, seconds: float) -> None:
        now = self._clock()
        samples = self._routes.get((method, route))
        if samples is None:
            samples = self._routes[(method, route)] = deque(maxlen=self._max_per_route)
        samples.append(RequestSample(at=now, seconds=seconds, status=status))
        oldest_kept = now - self.max_age_seconds
        while samples[0].at < oldest_kept:
            samples.popleft()

    def since(self, seconds: float) -> dict[RouteKey, list[RequestSample]]:
        """Each route's samples of the last `seconds`, oldest first (routes without any
        are left out)."""
        cutoff = self._clock() - seconds
        window: dict[RouteKey, list[RequestSample]] = {}
        for key, samples in list(self._routes.items()):
            recent = [sample for sample in list(samples) if sample.at >= cutoff]
            if recent:
                window[key] = recent
        return window


class HttpMetrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "medianest_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "medianest_http_request_duration_seconds",
            "Time from request start to the end of the response body, by route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.recent = RecentRequests()
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, *, method: str, route: str, status: int, seconds: float) -> None:
        count, latency = self._series(method, route, status)
        count.inc()
        latency.observe(seconds)
        self.recent.add(method, route, status, seconds)

    def _series(self, method: str, route: str, status: int) -> tuple[Counter, Histogram]:
        """The labelled children of one kind of request, looked up once: `labels()` builds
        and locks on every call. As many as the metrics have series (route templates)."""
        key = (method, route, status)
        series = self._children.get(key)
        if series is None:
            series = self._children[key] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
        return series

    def render(self) -> bytes:
        return generate_latest(self.registry)
