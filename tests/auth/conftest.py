"""A server per auth test module, with its admin bootstrapped through the API."""

from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.accounts import Account, bootstrap_admin
from tests.fixtures.server import LiveServer


@pytest.fixture(scope="module")
def admin(live_server: LiveServer) -> Iterator[Account]:
    with live_server.client() as http:
        yield bootstrap_admin(http)


@pytest.fixture
def anonymous(live_server: LiveServer) -> Iterator[httpx.Client]:
    """A client without cookies from earlier tests."""
    with live_server.client() as http:
        yield http
