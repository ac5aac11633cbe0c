"""Helpers of the service health tests: waiting for checks and for events."""

import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.accounts import Account
from tests.fixtures.envelope import assert_ok
from tests.fixtures.redis_server import private_redis_server
from tests.fixtures.sockets import SocketListener

CHECK_ENV = {"SERVICE_CHECK_SECONDS": "1"}
WAIT_SECONDS = 30.0
REDIS_PASSWORD = "monitoring-redis-password-4711"

Json = dict[str, Any]


def service_status(http: httpx.Client, account: Account, service: str, **params: int) -> Json:
    data: Json = assert_ok(
        http.get(f"/api/v1/dashboard/status/{service}", headers=account.bearer, params=params)
    )
    return data


def wait_for_status(http: httpx.Client, account: Account, service: str, status: str) -> Json:
    """The service's dashboard entry, once the periodic check has found it in `status`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        data = service_status(http, account, service)
        if data["status"] == status or time.monotonic() > deadline:
            assert data["status"] == status, data
            return data
        time.sleep(0.2)


async def next_matching(
    listener: SocketListener, name: str, matches: Callable[[Json], bool]
) -> Json:
    """The next `name` event whose payload matches, skipping any other event."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {name} event matched on {listener.namespace}"
        try:
            received, payload = await listener.next_event(timeout=remaining)
        except TimeoutError:
            continue
        if received == name and matches(payload):
            return payload


def for_service(service: str, status: str) -> Callable[[Json], bool]:
    def matches(payload: Json) -> bool:
        return bool(payload["service"] == service and payload["status"] == status)

    return matches


@pytest.fixture
def private_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of the test's own, to be stopped without harming anyone else; its URL holds
    a password."""
    with private_redis_server(password=REDIS_PASSWORD) as started:
        yield started
