"""The image's entrypoint (`deploy/docker-entrypoint.sh`), run natively with /bin/sh: it hands
its arguments to `medianest` and, when asked, waits for the servers the process needs."""

import os
import subprocess
import sys
from pathlib import Path

from tests.deploy.topology import ENTRYPOINT
from tests.fixtures.server import free_port

VENV_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def _entrypoint(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", ENTRYPOINT, *args],
        env={**os.environ, "PATH": VENV_PATH, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_runs_medianest_with_the_containers_command() -> None:
    result = _entrypoint("generate-secrets", "--stdout")
    assert result.returncode == 0, result.stderr
    names = {line.split("=", 1)[0] for line in result.stdout.splitlines()}
    assert {"JWT_SECRET", "ENCRYPTION_KEY", "PLEX_CLIENT_ID"} <= names


def test_a_database_that_never_answers_is_named() -> None:
    port = free_port()
    result = _entrypoint(
        "generate-secrets",
        "--stdout",
        MEDIANEST_WAIT_SECONDS="1",
        DATABASE_URL=f"postgresql://medianest@127.0.0.1:{port}/medianest",
    )
    assert result.returncode != 0
    assert f"DATABASE_URL's server 127.0.0.1:{port} is not reachable" in result.stderr
    assert "JWT_SECRET" not in result.stdout  # medianest never ran


def test_a_sqlite_database_is_not_waited_for(tmp_path: Path) -> None:
    result = _entrypoint(
        "generate-secrets",
        "--stdout",
        MEDIANEST_WAIT_SECONDS="30",
        DATABASE_URL=f"sqlite:///{tmp_path / 'medianest.db'}",
    )
    assert result.returncode == 0, result.stderr
