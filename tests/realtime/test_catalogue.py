"""Domain events and their catalogue, the emitters' routing, origins and the progress throttle."""

import importlib
from pathlib import Path

import pytest

import medianest
from medianest.media_requests.events import RequestUpdatedEvent
from medianest.monitoring.events import ServiceStatusEvent
from medianest.realtime.config import RealtimeConfig, origin_allowed
from medianest.realtime.emitter import NullEmitter
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import Namespace
from medianest.realtime.throttle import ProgressThrottle
from medianest.routes import REALTIME_EVENTS
from medianest.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _declared_events() -> set[type[RealtimeEvent]]:
    """Every event class of the domains' `events` modules."""
    source = Path(medianest.__file__).resolve().parent
    for path in sorted(source.glob("*/events.py")):
        importlib.import_module(f"medianest.{path.parent.name}.events")
    found: set[type[RealtimeEvent]] = set()
    pending = list(RealtimeEvent.__subclasses__())
    while pending:
        event = pending.pop()
        found.add(event)
        pending += event.__subclasses__()
    return found


class TestCatalogue:
    @pytest.mark.parametrize("event", REALTIME_EVENTS, ids=lambda event: event.name)
    def test_each_example_is_a_valid_camel_case_payload(self, event: type[RealtimeEvent]) -> None:
        payload = event.model_validate(event.example).payload()
        assert set(payload) == set(event.example)
        assert all("_" not in key for key in payload)

    def test_every_event_is_declared_by_its_domain_and_listed_once(self) -> None:
        declared = _declared_events()
        assert set(REALTIME_EVENTS) == declared, "list each domain's events in routes.py"
        assert len(REALTIME_EVENTS) == len(declared)
        for event in declared:
            domain = event.__module__.removeprefix("medianest.").removesuffix(".events")
            assert event.__module__ == f"medianest.{domain}.events", event.name
            assert domain != "realtime", f"{event.name}: the realtime package holds no events"

    def test_names_are_unique_and_every_event_goes_somewhere(self) -> None:
        assert len({event.name for event in REALTIME_EVENTS}) == len(REALTIME_EVENTS)
        for event in REALTIME_EVENTS:
            assert event.user_namespaces or event.broadcast_namespaces, event.name
            assert Namespace.PUBLIC not in event.user_namespaces + event.broadcast_namespaces


class TestRouting:
    async def test_an_event_for_one_user_is_never_broadcast(self) -> None:
        event = RequestUpdatedEvent(id="r", status="approved", media_title="T", updated_by="a")
        with pytest.raises(ValueError, match="never broadcast"):
            await NullEmitter().broadcast(event)

    async def test_a_broadcast_only_event_is_not_sent_to_one_user(self) -> None:
        event = ServiceStatusEvent(service="plex", status="down")
        with pytest.raises(ValueError, match="not an event for one user"):
            await NullEmitter().emit_to_user("someone", event)


class TestOrigins:
    def test_public_url_and_cors_origins_but_never_a_wildcard(self, tmp_path: Path) -> None:
        settings = Settings(
            data_dir=tmp_path,
            public_url="https://MediaNest.example.test:443/medianest",
            cors_origins="*, http://app.example.test:8080/, http://app.example.test:8080",
            redis_key_prefix="mn:",
        )
        config = RealtimeConfig.from_settings(settings)
        assert config.allowed_origins == (
            "https://medianest.example.test",
            "http://app.example.test:8080",
        )
        assert config.channel == "mn:socketio"

    @pytest.mark.parametrize(
        ("origin", "host", "allowed"),
        [
            ("https://medianest.example.test", "", True),
            ("http://localhost:8000", "localhost:8000", True),
            ("https://192.168.1.10:8000", "192.168.1.10:8000", True),
            ("http://localhost:8001", "localhost:8000", False),
            ("https://evil.example.test", "localhost:8000", False),
            ("https://evil.example.test", "", False),
        ],
    )
    def test_configured_origins_and_the_servers_own_host_may_connect(
        self, origin: str, host: str, *, allowed: bool
    ) -> None:
        environ = {"HTTP_HOST": host} if host else {}
        assert origin_allowed(("https://medianest.example.test",), origin, environ) is allowed


class TestProgressThrottle:
    def test_at_most_n_per_second_per_key(self) -> None:
        clock = Clock()
        throttle = ProgressThrottle(4, clock=clock)
        assert throttle.allow("a")
        assert not throttle.allow("a")
        assert throttle.allow("b"), "keys are independent"
        clock.now += 0.2
        assert not throttle.allow("a")
        clock.now += 0.05
        assert throttle.allow("a")

    def test_the_final_state_always_passes(self) -> None:
        clock = Clock()
        throttle = ProgressThrottle(1, clock=clock)
        assert throttle.allow("a")
        assert throttle.allow("a", final=True)
        assert throttle.allow("a"), "a finished key starts afresh"

    def test_the_rate_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            ProgressThrottle(0)
