"""MediaNest's scaled-out shape on one machine, on loopback: two `medianest serve` replicas
started at the same moment on one empty PostgreSQL database, a `medianest worker`, Redis
between them, and nginx in front with the shipped site config. Every MediaNest process runs
through the image's entrypoint (`deploy/docker-entrypoint.sh`), as in `compose.prod.yaml`.

`tests/deploy/test_topology.py` checks it. To look around in it yourself (the test suite's
PostgreSQL and Redis; the database is dropped at the end):

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
    TEST_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python -m tests.deploy.topology
"""

import os
import signal
import ssl
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import httpx

from medianest.http.correlation import HEADER as CORRELATION_HEADER
from medianest.settings import GENERATED_VALUES
from tests.fixtures.backends import backends_for
from tests.fixtures.environments import installation_prefix
from tests.fixtures.nginx import Certificate, start_nginx
from tests.fixtures.server import LiveServer, launch_server, start_worker, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"
THROUGH_ENTRYPOINT = (str(ENTRYPOINT),)
WAIT_SECONDS = "10"
"""MEDIANEST_WAIT_SECONDS: the entrypoint checks that PostgreSQL and Redis answer first."""
STARTUP_SECONDS = 120
"""For each replica: one migrates the empty database while the other waits for the lock."""


@dataclass(frozen=True)
class Topology:
    replicas: tuple[LiveServer, LiveServer]
    worker: LiveServer
    proxy: LiveServer
    """nginx; its `base_url` is the HTTPS address users would reach."""
    certificate: Certificate

    def client(self, source: str = "127.0.0.1", *, timeout: float = 20) -> httpx.Client:
        """A client of nginx from a loopback address of its own (ip_hash picks by address)."""
        transport = httpx.HTTPTransport(verify=self._trust(), local_address=source)
        return httpx.Client(base_url=self.proxy.base_url, timeout=timeout, transport=transport)

    def socket_session(self, source: str) -> aiohttp.ClientSession:
        """An aiohttp session for a socket.io client of nginx from `source`."""
        connector = aiohttp.TCPConnector(ssl=self._trust(), local_addr=(source, 0))
        return aiohttp.ClientSession(connector=connector)

    def replica_that_served(self, response: httpx.Response, *, timeout: float = 5) -> LiveServer:
        """The replica whose access log holds the response's correlation id."""
        correlation_id = response.headers[CORRELATION_HEADER]
        deadline = time.monotonic() + timeout
        while True:
            served = [replica for replica in self.replicas if correlation_id in replica.logs()]
            if served or time.monotonic() > deadline:
                assert len(served) == 1, f"{correlation_id} was served by {len(served)} replicas"
                return served[0]
            time.sleep(0.05)

    def _trust(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.certificate.cert)


def shared_secrets() -> dict[str, str]:
    """JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID, made once for every process."""
    return {name: generate() for name, generate in GENERATED_VALUES.items()}


@contextmanager
def running_topology(
    environment: Callable[[], dict[str, str]], *, workdir: Path
) -> Iterator[Topology]:
    """Start the shape; `environment()` is one process's environment: its own data dir, and
    the database, Redis and secrets every process shares. Everything is stopped after."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

    def process_env() -> dict[str, str]:
        return {**environment(), "PATH": path, "MEDIANEST_WAIT_SECONDS": WAIT_SECONDS}

    with ExitStack() as stack:
        # Both at once on the empty database: they race for the migration lock.
        launched = [
            launch_server(process_env(), workdir=workdir, command=THROUGH_ENTRYPOINT)
            for _ in range(2)
        ]
        for replica in launched:
            stack.callback(replica.stop)
        first, second = (wait_until_serving(r, timeout=STARTUP_SECONDS) for r in launched)
        worker = start_worker(process_env(), workdir=workdir, command=THROUGH_ENTRYPOINT)
        stack.callback(worker.stop)
        nginx_prefix = workdir / "nginx"
        nginx_prefix.mkdir()
        proxy, certificate = start_nginx(nginx_prefix, (_port(first), _port(second)))
        stack.callback(proxy.stop)
        yield Topology((first, second), worker, proxy, certificate)


def _port(server: LiveServer) -> int:
    port = urlsplit(server.base_url).port
    assert port is not None
    return port


def main() -> None:
    """Run the shape until Ctrl-C, on a fresh database of TEST_DATABASE_URL's server."""
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        workdir = Path(folder)
        backends = stack.enter_context(contextmanager(backends_for)(workdir))
        if not (backends.postgres_admin_url and backends.redis_url):
            sys.exit("set TEST_DATABASE_URL and TEST_REDIS_URL (see this module's docstring)")
        shared = {
            **shared_secrets(),
            "MEDIANEST_ENV": "development",
            "DATABASE_URL": backends.new_database(migrated=False),
            "REDIS_URL": backends.redis_url,
            "REDIS_KEY_PREFIX": installation_prefix(backends),
            "TRUSTED_PROXIES": "127.0.0.1",
        }

        def environment() -> dict[str, str]:
            return {**shared, "MEDIANEST_DATA_DIR": tempfile.mkdtemp(dir=workdir)}

        topology = stack.enter_context(running_topology(environment, workdir=workdir))
        sys.stdout.write(
            f"MediaNest through nginx: {topology.proxy.base_url} (certificate "
            f"{topology.certificate.cert}); replicas {[r.base_url for r in topology.replicas]}; "
            f"logs in {workdir}. Ctrl-C stops it.\n"
        )
        sys.stdout.flush()
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
