"""The `medianest` command line, run as a user would run it."""

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TEST_JWT_SECRET, ServerEnv
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer
from tests.fixtures.backends import Backends
from tests.fixtures.server import jobs_taken

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medianest", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class TestConfiguration:
    def test_invalid_value_stops_with_one_line_naming_the_variable(
        self, server_env: ServerEnv
    ) -> None:
        result = run("migrate", env=server_env(PORT="eighty"))
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "medianest: configuration error: PORT: Input should be a valid integer, "
            "unable to parse string as an integer"
        ]

    def test_weak_secret_is_refused_in_production_without_echoing_it(
        self, server_env: ServerEnv
    ) -> None:
        result = run("migrate", env=server_env(MEDIANEST_ENV="production", JWT_SECRET="hunter2"))
        assert result.returncode == 2
        assert "JWT_SECRET" in result.stderr
        assert "hunter2" not in result.stderr + result.stdout

    @pytest.mark.parametrize("name", ["PLEX_TOKEN", "OVERSEERR_API_KEY"])
    def test_a_secret_a_header_cannot_carry_stops_the_start(
        self, server_env: ServerEnv, name: str
    ) -> None:
        result = run("migrate", env=server_env(**{name: "secret-value\u00a0x"}))
        assert result.returncode == 2
        assert f"{name}: must be printable ASCII" in result.stderr
        assert "secret-value" not in result.stderr + result.stdout

    def test_bad_database_url_names_the_variable(self, server_env: ServerEnv) -> None:
        result = run("migrate", env=server_env(DATABASE_URL="mysql://x/y"))
        assert result.returncode == 2
        assert "DATABASE_URL: must start with postgresql:// or sqlite://" in result.stderr

    def test_secret_can_come_from_a_file(self, server_env: ServerEnv, tmp_path: Path) -> None:
        secret_file = tmp_path / "jwt"
        secret_file.write_text("short\n")
        env = server_env(MEDIANEST_ENV="production", JWT_SECRET_FILE=str(secret_file))
        del env["JWT_SECRET"]
        result = run("migrate", env=env)
        assert result.returncode == 2, "the file's (weak) value must have been read"
        assert "JWT_SECRET" in result.stderr


class TestGenerateSecrets:
    def test_writes_a_private_file_once(self, tmp_path: Path) -> None:
        env = {"MEDIANEST_DATA_DIR": str(tmp_path / "data")}
        first = run("generate-secrets", env=env)
        assert first.returncode == 0, first.stderr
        path = tmp_path / "data" / "secrets.json"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        stored = json.loads(path.read_text())
        secret = stored["JWT_SECRET"]
        assert len(stored["PLEX_CLIENT_ID"]) == 36
        assert len(secret) >= 48
        assert secret not in first.stdout + first.stderr
        second = run("generate-secrets", env=env)
        assert "nothing changed" in second.stdout
        assert json.loads(path.read_text())["JWT_SECRET"] == secret

    def test_stdout_mode_prints_env_lines(self, tmp_path: Path) -> None:
        result = run("generate-secrets", "--stdout", env={"MEDIANEST_DATA_DIR": str(tmp_path)})
        values = dict(line.split("=", 1) for line in result.stdout.strip().splitlines())
        assert set(values) == {"JWT_SECRET", "ENCRYPTION_KEY", "PLEX_CLIENT_ID"}
        assert len(values["JWT_SECRET"]) >= 48
        assert not (tmp_path / "secrets.json").exists()


class TestMigrate:
    def test_migrate_brings_an_empty_database_to_head(self, server_env: ServerEnv) -> None:
        result = run("migrate", env=server_env())
        assert result.returncode == 0, result.stderr
        assert "database is at revision" in result.stdout


class TestDoctor:
    def test_healthy_installation_passes(self, server_env: ServerEnv, tmp_path: Path) -> None:
        env = server_env()
        assert run("migrate", env=env).returncode == 0
        assert run("backup", env=env).returncode == 0
        with jobs_taken(env, workdir=tmp_path):
            result = run("doctor", env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        names = [line.split("]")[1].split(":")[0].strip() for line in result.stdout.splitlines()]
        assert names == [
            "database",
            "schema",
            "redis",
            "plex",
            "overseerr",
            "data_dir",
            "disk",
            "backup",
            "errors",
            "worker",
            "secrets",
        ]
        assert "[ok  ] plex: not configured" in result.stdout

    @pytest.mark.redis
    def test_scaled_out_without_a_worker_fails(self, server_env: ServerEnv) -> None:
        env = server_env()
        assert run("migrate", env=env).returncode == 0
        result = run("doctor", env=env)
        assert result.returncode == 1
        assert "[FAIL] worker: 0 download(s) waiting and no worker has reported in" in (
            result.stdout
        )

    @pytest.mark.usefixtures("plex")
    def test_a_plex_server_that_is_down_or_refuses_the_token_fails(
        self, server_env: ServerEnv, plex_server: FakePlexServer
    ) -> None:
        env = server_env(PLEX_URL=plex_server.url, PLEX_TOKEN="not-the-token")
        assert run("migrate", env=env).returncode == 0
        refused = run("doctor", env=env)
        assert refused.returncode == 1
        assert "[FAIL] plex: down: The Plex server refused" in refused.stdout
        assert "not-the-token" not in refused.stdout + refused.stderr

        with plex_server.down():
            down = run("doctor", env={**env, "PLEX_TOKEN": ADMIN_TOKEN})
        assert down.returncode == 1
        assert "[FAIL] plex: down" in down.stdout

    def test_unmigrated_database_is_reported(
        self, server_env: ServerEnv, backends: Backends
    ) -> None:
        unmigrated = backends.new_database(migrated=False)
        result = run("doctor", env=server_env(database_url=unmigrated))
        assert result.returncode == 1
        assert "[FAIL] schema: at no migration, newest is" in result.stdout
        assert "run `medianest migrate`" in result.stdout

    def test_unreachable_database_and_low_disk_fail(self, server_env: ServerEnv) -> None:
        env = server_env(
            DATABASE_URL="postgresql://medianest:pw-never-printed@127.0.0.1:1/gone",
            MIN_FREE_DISK_BYTES=str(2**62),
            DATABASE_TIMEOUT_SECONDS="2",
        )
        result = run("doctor", env=env)
        assert result.returncode == 1
        assert "[FAIL] database: down" in result.stdout
        assert "[FAIL] disk" in result.stdout
        assert "pw-never-printed" not in result.stdout + result.stderr


class TestOpenapi:
    def test_writes_the_committed_schema(self, server_env: ServerEnv, tmp_path: Path) -> None:
        output = tmp_path / "openapi.json"
        result = run("openapi", "--output", str(output), env=server_env())
        assert result.returncode == 0, result.stderr
        assert output.read_text() == (ROOT / "openapi.json").read_text()


class TestServe:
    def test_first_start_generates_secrets_and_migrates(self, tmp_path: Path) -> None:
        from tests.fixtures.server import start_server

        env = {"MEDIANEST_DATA_DIR": str(tmp_path / "fresh"), "MEDIANEST_ENV": "production"}
        for name in ("JWT_SECRET", "DATABASE_URL", "REDIS_URL"):
            env[name] = ""
        server = start_server(env, workdir=tmp_path)
        try:
            with server.client() as http:
                assert http.get("/api/v1/health").json()["data"]["status"] == "healthy"
        finally:
            server.stop()
        assert (tmp_path / "fresh" / "medianest.db").exists()
        assert stat.S_IMODE((tmp_path / "fresh" / "secrets.json").stat().st_mode) == 0o600
        assert TEST_JWT_SECRET not in server.logs()


class TestCreateAdmin:
    def test_with_flags_then_refused_once_an_admin_exists(self, server_env: ServerEnv) -> None:
        env = server_env()
        args = ("create-admin", "--email", "root@example.com", "--name", "Rooty")
        created = run(*args, "--password", "Velvet-Harbour-Lantern-2026!", env=env)
        assert created.returncode == 0, created.stderr
        assert "created admin root@example.com" in created.stdout
        again = run(*args, "--password", "Another-Strong-Phrase-77!", env=env)
        assert again.returncode == 1
        assert "An admin already exists" in again.stderr

    def test_weak_password_is_refused_with_the_rules(self, server_env: ServerEnv) -> None:
        result = run(
            "create-admin",
            "--email",
            "root@example.com",
            "--password",
            "short",
            "--name",
            "R",
            env=server_env(),
        )
        assert result.returncode == 1
        assert "must be at least 8 characters long" in result.stderr

    def test_prompts_for_what_is_missing(self, server_env: ServerEnv) -> None:
        password = "Velvet-Harbour-Lantern-2026!"
        result = subprocess.run(
            [sys.executable, "-m", "medianest", "create-admin"],
            env={**os.environ, **server_env()},
            input=f"prompted@example.com\n{password}\n{password}\nPat Prompt\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "created admin prompted@example.com" in result.stdout
        assert password not in result.stdout


class TestWorkers:
    def test_several_worker_processes_share_one_database(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        from tests.fixtures.server import start_server

        server = start_server(server_env(), workdir=tmp_path, args=("--workers", "2"))
        try:
            deadline = time.monotonic() + 60
            while server.logs().count("app.started") < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert server.logs().count("app.started") == 2, server.logs()
            with server.client() as http:
                for _ in range(10):
                    assert http.get("/api/v1/health").json()["data"]["status"] == "healthy"
        finally:
            server.stop()
