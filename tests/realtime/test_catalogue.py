"""The event catalogue, the emitters' routing rules, origins and the progress throttle."""

from pathlib import Path

import pytest

from medianest.realtime.config import RealtimeConfig, origin_allowed
from medianest.realtime.emitter import NullEmitter
from medianest.realtime.events import (
    CATALOGUE,
    EVENTS_BY_NAME,
    RealtimeEvent,
    RequestUpdatedEvent,
    ServiceStatusEvent,
)
from medianest.realtime.namespaces import Namespace
from medianest.realtime.throttle import ProgressThrottle
from medianest.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TestCatalogue:
    @pytest.mark.parametrize("event", CATALOGUE, ids=lambda event: event.name)
    def test_each_example_is_a_valid_camel_case_payload(self, event: type[RealtimeEvent]) -> None:
        payload = event.model_validate(event.example).payload()
        assert set(payload) == set(event.example)
        assert all("_" not in key for key in payload)

    def test_names_are_unique_and_every_event_goes_somewhere(self) -> None:
        assert len(EVENTS_BY_NAME) == len(CATALOGUE)
        for event in CATALOGUE:
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
