"""The runbook's other commands: doctor's backup and error checks, the scheduled backup, the
backup before a migration, cleanup and cache clear."""

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from medianest.db import migrate
from tests.conftest import ServerEnv
from tests.fakes.plex import PLEX_FRIEND, FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import USER_PASSWORD, bootstrap_admin, create_user, sign_in
from tests.fixtures.backends import Backends, async_url
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.plex import sign_in_with_plex
from tests.fixtures.server import jobs_taken, start_server
from tests.operations.conftest import (
    backups_in,
    manifest_of,
    medianest,
    succeeded,
    verification_of,
)

WAIT_SECONDS = 90


def doctor_lines(env: dict[str, str]) -> tuple[int, dict[str, str]]:
    result = medianest("doctor", env=env)
    lines = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^\[(ok  |FAIL)\] (\w+): (.*)$", line)
        assert match, line
        lines[match[2]] = f"{match[1].strip()} {match[3]}"
    return result.returncode, lines


class TestDoctor:
    def test_no_backup_is_a_problem_until_a_verified_one_exists(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        env = server_env(BACKUP_MAX_AGE_HOURS="0.00001")  # 36 ms: the account is older at once
        succeeded("migrate", env=env)
        create_admin(env)
        with jobs_taken(env, workdir=tmp_path):
            code, lines = doctor_lines(env)
            assert code == 1
            assert lines["backup"].startswith("FAIL no backup yet in ")
            assert (
                "and the first account is 0.0 h old (more than BACKUP_MAX_AGE_HOURS=1e-05)"
                in (lines["backup"])
            )
            assert lines["errors"] == (
                "ok 0 unexpected server errors and 0 browser reports in the last 24 h"
            )
            others = {name: line for name, line in lines.items() if name != "backup"}
            assert all(line.startswith("ok ") for line in others.values()), others

            succeeded("backup", env=env)
            code, lines = doctor_lines({**env, "BACKUP_MAX_AGE_HOURS": "36"})
            assert code == 0, lines
            assert re.match(
                r"ok medianest-backup-\S+\.tar\.gz, 0\.\d h old, verified ", lines["backup"]
            )

    def test_a_new_installation_passes_before_its_first_backup(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        """Its first backup comes within the hour of the server's start; until the data is
        as old as a backup may be (BACKUP_MAX_AGE_HOURS), none is missing."""
        env = server_env()
        succeeded("migrate", env=env)
        with jobs_taken(env, workdir=tmp_path):
            code, lines = doctor_lines(env)
            assert code == 0, lines
            assert lines["backup"].startswith("ok no backup yet in ")
            assert lines["backup"].endswith(
                "and nothing to lose: no account exists yet (a running server takes the "
                "first backup within the hour)"
            )

            create_admin(env)
            code, lines = doctor_lines(env)
            assert code == 0, lines
            assert (
                "; the first account is 0.0 h old, within the 36 h a backup may be old"
                in (lines["backup"])
            )
        assert backups_in(env) == [], "doctor itself takes none"

    def test_a_backup_that_fails_verification_is_a_problem(self, server_env: ServerEnv) -> None:
        env = server_env()
        succeeded("migrate", env=env)
        succeeded("backup", env=env)
        [archive] = backups_in(env)
        archive.write_bytes(archive.read_bytes()[:200])

        verify = medianest("verify-backup", env=env)
        assert verify.returncode == 1
        assert "verification FAILED" in verify.stdout
        assert verification_of(archive)["ok"] is False

        code, lines = doctor_lines(env)
        assert code == 1
        assert "FAILED verification: " in lines["backup"]
        assert "not a readable MediaNest backup" in lines["backup"]


def create_admin(env: dict[str, str]) -> None:
    succeeded(
        "create-admin",
        "--email",
        "owner@example.com",
        "--name",
        "Owner",
        "--password",
        "Velvet-Harbour-Lantern-2026!",
        env=env,
    )


def verified_backups(env: dict[str, str]) -> list[dict[str, Any]]:
    sidecars = [a.with_name(a.name + ".verified.json") for a in backups_in(env)]
    return [json.loads(sidecar.read_text()) for sidecar in sidecars if sidecar.exists()]


def test_a_running_server_takes_verified_backups_on_schedule(
    server_env: ServerEnv, tmp_path: Path
) -> None:
    env = server_env(BACKUP_INTERVAL_HOURS="0.0005")  # due every 1.8 s
    server = start_server(env, workdir=tmp_path)
    try:
        with server.client() as http:
            bootstrap_admin(http)
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(
            v["ok"] and v["checks"]["rowCounts"]["users"] == 1 for v in verified_backups(env)
        ):
            assert time.monotonic() < deadline, f"no scheduled backup:\n{server.logs()}"
            time.sleep(0.2)
        assert "backup.scheduled" in server.log_line("backup.scheduled")
    finally:
        server.stop()
    _code, lines = doctor_lines(env)
    assert lines["backup"].startswith("ok "), lines


class TestBackupBeforeMigrating:
    def test_a_database_one_revision_behind_is_backed_up_first(self, server_env: ServerEnv) -> None:
        env = server_env()
        first = medianest("migrate", env=env)
        assert first.returncode == 0, first.stderr
        assert "backed up" not in first.stderr, "a new database has nothing to back up"
        assert backups_in(env) == []

        url = async_url(env["DATABASE_URL"])
        head = migrate.head_revision()
        assert head is not None
        previous = ScriptDirectory.from_config(migrate.alembic_config(url)).get_revision(head)
        migrate.downgrade(url, "-1")

        result = medianest("migrate", env=env)

        assert result.returncode == 0, result.stderr
        [archive] = backups_in(env)
        assert f"backed up the database (revision {previous.down_revision}) before " in (
            result.stderr
        )
        assert str(archive) in result.stderr
        assert manifest_of(archive)["schemaRevision"] == previous.down_revision
        assert verification_of(archive)["ok"] is True
        assert f"database is at revision {head}" in result.stdout

    def test_an_up_to_date_database_is_not_backed_up(self, server_env: ServerEnv) -> None:
        env = server_env()
        succeeded("migrate", env=env)
        succeeded("migrate", env=env)
        assert backups_in(env) == []

    def test_serve_migrates_a_database_one_revision_behind_before_serving(
        self, server_env: ServerEnv, tmp_path: Path
    ) -> None:
        """`serve` leaves Alembic out when the schema is at head: behind, it still migrates."""
        env = server_env()
        succeeded("migrate", env=env)
        migrate.downgrade(async_url(env["DATABASE_URL"]), "-1")
        _code, lines = doctor_lines(env)
        assert lines["schema"].startswith("FAIL at "), lines

        server = start_server(env, workdir=tmp_path)
        server.stop()

        assert len(backups_in(env)) == 1
        _code, lines = doctor_lines(env)
        assert lines["schema"] == f"ok at the newest migration ({migrate.head_revision()})"


def test_cleanup_removes_dead_sessions_and_orphaned_partial_downloads(
    server_env: ServerEnv, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    env = server_env(
        EMBEDDED_WORKER="false",
        YOUTUBE_ALLOWED_HOSTS="127.0.0.1:9",
        YOUTUBE_LIBRARY_DIR=str(library),
    )
    server = start_server(env, workdir=tmp_path)
    try:
        with server.client() as http:
            admin = bootstrap_admin(http)
            user = create_user(http, admin)
            other_device = sign_in(http, user.email, USER_PASSWORD)
            assert_ok(http.post("/api/v1/auth/logout", headers=other_device.bearer))
            queued = assert_ok(
                http.post(
                    "/api/v1/youtube/download",
                    json={"url": "http://127.0.0.1:9/watch?v=still-queued"},
                    headers=user.bearer,
                ),
                status=201,
            )
        incomplete = library / ".incomplete"
        orphan = incomplete / str(uuid.uuid4())
        orphan.mkdir(parents=True)
        (orphan / "video.mp4.part").write_bytes(b"\0" * 4096)
        in_use = incomplete / queued["id"]
        in_use.mkdir()
        (in_use / "video.mp4.part").write_bytes(b"\0" * 10)
        stranger = incomplete / "not-a-job"
        stranger.mkdir()

        output = succeeded("cleanup", env=env)

        assert "sessions: deleted 1 expired or signed out" in output
        assert "password reset links: deleted 0 expired or used" in output
        assert "error reports: deleted 0 older than 30 days" in output
        assert "service checks: deleted 0 older than 30 days" in output
        assert "partial downloads: removed 1 folders (4.0 KiB)" in output
        assert "backups: deleted 0 beyond the newest 7" in output
        assert not orphan.exists()
        assert in_use.is_dir(), "a queued job's folder is kept"
        assert stranger.is_dir(), "folders that are not a job's are not ours to delete"
        with server.client() as http:
            assert_ok(http.get("/api/v1/auth/me", headers=user.bearer))
            assert_error(
                http.get("/api/v1/auth/me", headers=other_device.bearer),
                status=401,
                code="JWT_INVALID",
            )
        again = succeeded("cleanup", env=env)
        assert "sessions: deleted 0 expired or signed out" in again
        assert "partial downloads: removed 0 folders" in again
    finally:
        server.stop()


@pytest.mark.usefixtures("plex")
def test_cache_clear_prints_how_many_entries_it_removed(
    server_env: ServerEnv,
    backends: Backends,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path: Path,
) -> None:
    env = server_env(**plex_env(plex_tv, plex_server))
    server = start_server(env, workdir=tmp_path)
    try:
        with server.client() as http:
            sign_in_with_plex(http, plex_tv, PLEX_FRIEND)  # remembers the used PIN in the cache
        output = succeeded("cache", "clear", env=env)
    finally:
        server.stop()
    match = re.match(r"^cleared (\d+) cache entries", output)
    assert match, output
    if backends.redis_url:
        assert int(match[1]) >= 1
        assert "from Redis" in output
    else:
        assert int(match[1]) == 0
        assert "each server process keeps its own cache in memory" in output
