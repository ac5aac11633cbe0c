"""A service that cannot be reached is reported as what happened: connection refused, a host
name that does not resolve, TLS spoken to a plain HTTP server, or silence. The connection
tests of the settings, the searches and `medianest doctor` all say it the same way."""

import os
import re
import subprocess
import sys

from tests.conftest import ServerEnv, StartAppServer
from tests.fakes.overseerr import OVERSEERR_API_KEY, FakeOverseerr
from tests.fakes.plex import ADMIN_TOKEN
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import free_port

SETTINGS = "/api/v1/admin/settings"


def closed_port_url(scheme: str = "http") -> tuple[str, int]:
    port = free_port()
    return f"{scheme}://127.0.0.1:{port}", port


class TestConnectionTests:
    def test_a_refused_connection_is_named_for_each_service(
        self, make_app_server: StartAppServer
    ) -> None:
        server = make_app_server()
        with server.client() as http:
            admin = bootstrap_admin(http).bearer
            plex_url, _ = closed_port_url()
            overseerr_url, _ = closed_port_url()
            _, mail_port = closed_port_url()
            tries = {
                "plex": {"url": plex_url, "token": ADMIN_TOKEN},
                "overseerr": {"url": overseerr_url, "apiKey": OVERSEERR_API_KEY},
                "mail": {"host": "127.0.0.1", "port": mail_port},
            }
            results = {
                service: assert_ok(
                    http.post(f"{SETTINGS}/{service}/test", json=body, headers=admin)
                )
                for service, body in tries.items()
            }
        assert {service: result["ok"] for service, result in results.items()} == dict.fromkeys(
            tries, False
        )
        assert results["plex"]["message"] == (
            f"Could not reach Plex: connection refused at {plex_url}."
        )
        assert results["overseerr"]["message"] == (
            f"Could not reach Overseerr: connection refused at {overseerr_url}."
        )
        assert results["mail"]["message"] == (
            f"Could not reach the mail server: connection refused at smtp://127.0.0.1:{mail_port}."
        )

    def test_tls_spoken_to_a_plain_http_server_says_so(
        self, make_app_server: StartAppServer, overseerr_server: FakeOverseerr
    ) -> None:
        https_url = overseerr_server.url.replace("http://", "https://")
        server = make_app_server()
        with server.client() as http:
            admin = bootstrap_admin(http).bearer
            body = {"url": https_url, "apiKey": OVERSEERR_API_KEY}
            result = assert_ok(http.post(f"{SETTINGS}/overseerr/test", json=body, headers=admin))
        assert result["ok"] is False
        assert result["message"] == (
            f"Could not reach Overseerr: TLS error with {https_url}: wrong version number "
            "(it seems to speak plain HTTP: try http://)."
        )


class TestSearches:
    def test_searches_name_the_refused_connection(self, make_app_server: StartAppServer) -> None:
        plex_url, _ = closed_port_url()
        overseerr_url, _ = closed_port_url()
        server = make_app_server(
            PLEX_URL=plex_url,
            PLEX_TOKEN=ADMIN_TOKEN,
            OVERSEERR_URL=overseerr_url,
            OVERSEERR_API_KEY=OVERSEERR_API_KEY,
        )
        with server.client() as http:
            admin = bootstrap_admin(http).bearer
            requests = http.get("/api/v1/media/search", params={"query": "dune"}, headers=admin)
            plex = http.get("/api/v1/plex/search", params={"query": "dune"}, headers=admin)
        body = assert_error(requests, status=503, code="OVERSEERR_UNREACHABLE")
        assert body["error"]["message"] == (
            f"Could not reach Overseerr: connection refused at {overseerr_url}."
        )
        body = assert_error(plex, status=503, code="PLEX_UNREACHABLE")
        assert (
            body["error"]["message"] == f"Could not reach Plex: connection refused at {plex_url}."
        )


def doctor(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "medianest", "doctor"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^\[(?:ok  |FAIL)\] (\w+): (.*)$", line)
        assert match, line
        lines[match[1]] = match[2]
    return lines


class TestDoctor:
    def test_doctor_names_refused_connections_and_unknown_host_names(
        self, server_env: ServerEnv
    ) -> None:
        plex_url, _ = closed_port_url()
        env = server_env(
            PLEX_URL=plex_url,
            PLEX_TOKEN=ADMIN_TOKEN,
            OVERSEERR_URL="http://overseerr.invalid:5055",
            OVERSEERR_API_KEY=OVERSEERR_API_KEY,
        )
        lines = doctor(env)
        assert lines["plex"] == f"down: Could not reach Plex: connection refused at {plex_url}."
        assert lines["overseerr"] == (
            "down: Could not reach Overseerr: cannot resolve the host name overseerr.invalid "
            "(DNS) for http://overseerr.invalid:5055."
        )
