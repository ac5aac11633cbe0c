"""Redis going away while the server runs: requests degrade quickly, never hang."""

import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import StartServer
from tests.fixtures.envelope import assert_ok
from tests.fixtures.redis_server import private_redis_server


@pytest.fixture
def own_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of this test's own, so that it can be killed without harming anyone."""
    with private_redis_server() as started:
        yield started


def test_api_keeps_answering_when_redis_dies(
    make_server: StartServer, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, redis_process = own_redis
    server = make_server(REDIS_URL=url, REDIS_TIMEOUT_SECONDS="1")
    # The client's timeout is the "never hangs" bound: a hang fails the test with ReadTimeout.
    with server.client(timeout=5) as http:
        assert assert_ok(http.get("/api/v1/health"))["services"]["redis"]["status"] == "up"
        redis_process.kill()
        redis_process.wait()
        data = assert_ok(http.get("/api/v1/health"))
        assert data["status"] == "degraded"
        assert data["services"]["redis"]["status"] == "down"
        assert http.get("/health").status_code == 200
    assert server.log_line("ratelimit.storage_unavailable")
