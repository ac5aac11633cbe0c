"""The `medianest` command line, run as a user would run it."""

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medianest import __version__
from medianest.integrations.ytdlp.runtime import challenge_solver, ytdlp_version
from tests.conftest import TEST_JWT_SECRET, ServerEnv
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer
from tests.fixtures.backends import Backends
from tests.fixtures.server import jobs_taken, start_server

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
            "ytdlp",
            "backup",
            "errors",
            "worker",
            "secrets",
        ]
        assert "[ok  ] plex: not configured" in result.stdout
        [ytdlp] = [line for line in result.stdout.splitlines() if line.startswith("[ok  ] ytdlp:")]
        solver = challenge_solver()
        assert ytdlp == (
            f"[ok  ] ytdlp: yt-dlp {ytdlp_version()}; JavaScript challenges solved by deno "
            f"{solver.deno_version} ({solver.deno}) with yt-dlp-ejs {solver.ejs_version}"
        )

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
        url = server.base_url
        assert welcome_lines(server.logs()) == [
            f"medianest: MediaNest {__version__} is listening on {url}; no admin yet: open it "
            "in a browser to create one, or run `medianest create-admin`; API docs at "
            f"{url}/docs, guides in docs/ of MediaNest's source (start with getting-started.md)"
        ]
        assert (tmp_path / "fresh" / "medianest.db").exists()
        assert stat.S_IMODE((tmp_path / "fresh" / "secrets.json").stat().st_mode) == 0o600
        assert TEST_JWT_SECRET not in server.logs()
        data_dir = tmp_path / "fresh"
        assert mode_of(data_dir) == 0o700
        database_files = sorted(data_dir.glob("medianest.db*"))
        assert database_files, "the database, with its WAL files while it was open"
        assert {path.name: mode_of(path) for path in database_files} == {
            path.name: 0o600 for path in database_files
        }

    def test_the_welcome_line_says_an_admin_exists_and_uses_public_url(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        env = server_env(PUBLIC_URL="https://media.example.com", BASE_PATH="/nest")
        created = run(
            "create-admin",
            "--email",
            "root@example.com",
            "--name",
            "Rooty",
            "--password",
            "Velvet-Harbour-Lantern-2026!",
            env=env,
        )
        assert created.returncode == 0, created.stderr
        server = start_server(env, workdir=tmp_path, base_path="/nest")
        server.stop()
        [line] = welcome_lines(server.logs())
        assert line.startswith(
            "medianest: MediaNest "
            f"{__version__} is listening on https://media.example.com/nest; an admin exists: "
            "sign in there; API docs at https://media.example.com/nest/docs"
        )

    def test_a_port_in_use_stops_the_start_before_anything_changes(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        database = tmp_path / "never-created.db"
        env = server_env(DATABASE_URL=f"sqlite:///{database}")
        with socket.create_server(("127.0.0.1", 0)) as taken:
            port = taken.getsockname()[1]
            result = run("serve", "--port", str(port), env=env)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"medianest: cannot listen on 127.0.0.1:{port}: the port is already in use "
            "(another program, or MediaNest already running); stop it or choose another port "
            "with --port or PORT"
        ]
        assert not database.exists(), "nothing was migrated"
        assert "jobs.consumer_started" not in result.stdout + result.stderr


def welcome_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if " is listening on " in line]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestFilePermissions:
    def test_an_open_data_dir_and_database_of_an_older_install_are_made_private(
        self, tmp_path: Path
    ) -> None:
        data_dir = tmp_path / "older"
        data_dir.mkdir(mode=0o755)
        data_dir.chmod(0o755)
        env = {"MEDIANEST_DATA_DIR": str(data_dir), "DATABASE_URL": "", "REDIS_URL": ""}
        assert run("migrate", env=env).returncode == 0
        database = data_dir / "medianest.db"
        database.chmod(0o644)
        data_dir.chmod(0o755)

        result = run("migrate", env=env)
        assert result.returncode == 0, result.stderr
        assert mode_of(data_dir) == 0o700
        assert mode_of(database) == 0o600
        assert (
            f"medianest: made the data dir {data_dir} private (mode 0700, was 0755)"
            in result.stderr
        )
        again = run("migrate", env=env)
        assert "private" not in again.stderr, "said once, when it changed something"


def prompted(answers: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`medianest create-admin` answering its prompts from standard input."""
    return subprocess.run(
        [sys.executable, "-m", "medianest", "create-admin"],
        env={**os.environ, **env},
        input=answers,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
        result = prompted(
            f"prompted@example.com\nPat Prompt\n{password}\n{password}\n", server_env()
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "created admin prompted@example.com" in result.stdout
        assert password not in result.stdout

    def test_a_weak_password_at_the_prompt_is_asked_again(self, server_env: ServerEnv) -> None:
        strong = "Velvet-Harbour-Lantern-2026!"
        personal = "PatAgain-2026!"  # contains the name
        answers = [
            "again@example.com",
            "Pat Again",
            *("short", "short"),
            *(personal, personal),
            *(strong, strong),
        ]
        answers_text = "\n".join(answers)
        result = prompted(answers_text + "\n", server_env())
        assert result.returncode == 0, result.stdout + result.stderr
        assert "created admin again@example.com" in result.stdout
        problems = [line for line in result.stderr.splitlines() if "that password" in line]
        assert len(problems) == 2, result.stderr
        assert "must be at least 8 characters long" in problems[0]
        assert problems[0].endswith("Try another.")
        assert "must not contain your name, username or email" in problems[1]


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
