"""`medianest backup` of a running server, then `medianest restore` into a wiped
installation: the same people, requests, downloads and audit trail come back."""

import re
import shutil
import stat
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from medianest.kit import datadir
from tests.conftest import ServerEnv
from tests.fakes.overseerr import NEW_MOVIE, FakeOverseerr, overseerr_env
from tests.fakes.plex import PLEX_FRIEND, FakePlexServer, FakePlexTv, plex_env
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin, create_user, sign_in
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_ok
from tests.fixtures.plex import sign_in_with_plex
from tests.fixtures.server import LiveServer, free_port, start_server, start_worker
from tests.operations.conftest import (
    backups_in,
    manifest_of,
    medianest,
    succeeded,
    verification_of,
)

ARCHIVE_NAME = re.compile(r"^medianest-backup-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$")


@dataclass(frozen=True)
class Installation:
    server: LiveServer
    env: dict[str, str]
    admin: Account


def what_the_admin_sees(http: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    def items(path: str) -> list[dict[str, Any]]:
        page: list[dict[str, Any]] = assert_ok(http.get(path, headers=headers))["items"]
        return page

    return {
        "users": sorted((u["id"], u["email"], u["role"]) for u in items("/api/v1/admin/users")),
        "requests": sorted(
            (r["id"], r["status"], r["tmdbId"]) for r in items("/api/v1/admin/requests")
        ),
        "downloads": sorted(
            (d["id"], d["url"], d["status"]) for d in items("/api/v1/youtube/downloads")
        ),
        "audit": sorted((a["id"], a["action"]) for a in items("/api/v1/admin/audit-logs")),
    }


def seen_by(server: LiveServer, admin: Account) -> dict[str, Any]:
    with server.client() as http:
        return what_the_admin_sees(http, admin.bearer)


@pytest.fixture(scope="module")
def installation(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Installation]:
    """A server holding a bit of everything: local users, a Plex friend with a request in
    Overseerr, a queued download (no worker runs it) and the audit entries they made."""
    overseerr_server.reset()
    env = server_env(
        EMBEDDED_WORKER="false",
        YOUTUBE_ALLOWED_HOSTS="127.0.0.1:9",
        OVERSEERR_SYNC_MINUTES="600",
        **overseerr_env(overseerr_server),
        **plex_env(plex_tv, plex_server),
    )
    server = start_server(env, workdir=tmp_path_factory.mktemp("backed-up"))
    with server.client() as http:
        admin = bootstrap_admin(http)
        user = create_user(http, admin)
        friend = sign_in_with_plex(http, plex_tv, PLEX_FRIEND)
        friend_bearer = {"Authorization": f"Bearer {friend['token']}"}
        movie = {"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id}
        assert_ok(http.post("/api/v1/media/request", json=movie, headers=friend_bearer), status=201)
        download = {"url": "http://127.0.0.1:9/watch?v=kept-in-the-backup"}
        assert_ok(
            http.post("/api/v1/youtube/download", json=download, headers=user.bearer), status=201
        )
    plex_tv.reset()
    yield Installation(server, env, admin)
    server.stop()
    overseerr_server.reset()


def wiped(env: dict[str, str], server_env: ServerEnv) -> dict[str, str]:
    fresh = server_env()
    return {
        **env,
        "DATABASE_URL": fresh["DATABASE_URL"],
        "MEDIANEST_DATA_DIR": fresh["MEDIANEST_DATA_DIR"],
        "REDIS_KEY_PREFIX": fresh.get("REDIS_KEY_PREFIX", ""),
    }


def test_backup_then_restore_into_a_wiped_installation_gives_everything_back(
    installation: Installation, server_env: ServerEnv, tmp_path: Path
) -> None:
    before = seen_by(installation.server, installation.admin)
    assert [len(before[part]) >= 1 for part in ("requests", "downloads")] == [True, True]
    assert len(before["users"]) == 3

    output = succeeded("backup", env=installation.env)
    [archive] = backups_in(installation.env)
    assert ARCHIVE_NAME.match(archive.name)
    assert str(archive) in output
    assert "verified by a test restore (3 users, 1 media_requests, 1 youtube_downloads" in output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert {member.name: member.mode for member in tar.getmembers()} == {
            member.name: 0o600 for member in tar.getmembers()
        }, "whoever unpacks it gets private files"
    manifest = manifest_of(archive)
    assert manifest["format"] == "medianest-backup"
    assert manifest["schemaRevision"]
    assert set(manifest["files"]) >= {"secrets.json"}
    assert verification_of(archive)["ok"] is True

    target = wiped(installation.env, server_env)
    restored = succeeded("restore", str(archive), env=target)
    assert "[ok  ] integrity: ok" in restored
    assert "[ok  ] users: 3 rows" in restored
    assert f"[ok  ] schema: at revision {manifest['schemaRevision']}" in restored
    assert (Path(target["MEDIANEST_DATA_DIR"]) / "secrets.json").read_bytes() == (
        Path(installation.env["MEDIANEST_DATA_DIR"]) / "secrets.json"
    ).read_bytes(), "the key the Plex tokens are encrypted with comes back too"

    server = start_server(target, workdir=tmp_path)
    try:
        with server.client() as http:
            admin = sign_in(http, installation.admin.email, ADMIN_PASSWORD)
        after = seen_by(server, admin)
    finally:
        server.stop()
    assert {part: after[part] for part in ("users", "requests", "downloads")} == {
        part: before[part] for part in ("users", "requests", "downloads")
    }
    new_entries = set(after["audit"]) - set(before["audit"])
    assert set(before["audit"]) <= set(after["audit"])
    assert [action for _id, action in new_entries] == ["auth.sign_in"], "just the sign-in above"


@pytest.fixture(scope="module")
def archive(installation: Installation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the installation, outside its backup folder."""
    folder = tmp_path_factory.mktemp("archive")
    succeeded("backup", "--no-verify", "--output", str(folder), env=installation.env)
    [path] = folder.glob("medianest-backup-*.tar.gz")
    return path


def test_restore_refuses_a_target_that_holds_data_unless_forced(
    installation: Installation, archive: Path, server_env: ServerEnv
) -> None:
    target = wiped(installation.env, server_env)
    succeeded("restore", str(archive), env=target)

    refused = medianest("restore", str(archive), env=target)
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr
    assert "--force" in refused.stderr

    forced = succeeded("restore", "--force", str(archive), env=target)
    assert "[ok  ] users: 3 rows" in forced
    if target["DATABASE_URL"].startswith("sqlite"):
        database = Path(target["DATABASE_URL"].removeprefix("sqlite:///"))
        aside = database.with_name(database.name + ".before-restore")
        assert aside.is_file()
        assert f"as {aside}" in forced
        assert stat.S_IMODE(database.stat().st_mode) == 0o600, "the restored file is private"


def damaged_copies(archive: Path, folder: Path) -> list[Path]:
    data = archive.read_bytes()
    middle = len(data) // 2
    truncated = folder / "truncated.tar.gz"
    truncated.write_bytes(data[:middle])
    flipped = folder / "flipped.tar.gz"
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    (folder / "other").mkdir()
    (folder / "other" / "notes.txt").write_text("not a backup")
    foreign = Path(shutil.make_archive(str(folder / "foreign"), "gztar", folder / "other"))
    return [truncated, flipped, foreign]


def test_a_corrupt_or_foreign_archive_is_refused_and_changes_nothing(
    installation: Installation, archive: Path, server_env: ServerEnv, tmp_path: Path
) -> None:
    target = wiped(installation.env, server_env)
    for bad in damaged_copies(archive, tmp_path):
        result = medianest("restore", str(bad), env=target)
        assert result.returncode == 1, bad.name
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"medianest: cannot restore: {bad}"), line
        assert any(
            reason in line
            for reason in ("not a MediaNest backup", "not a readable MediaNest backup", "damaged")
        ), line
        assert not (Path(target["MEDIANEST_DATA_DIR"]) / "secrets.json").exists()
    # Still empty: the good archive restores without --force.
    assert "[ok  ] users: 3 rows" in succeeded("restore", str(archive), env=target)


def test_a_backup_taken_while_the_server_is_busy_is_consistent(
    installation: Installation,
) -> None:
    stop = threading.Event()
    created: list[int] = []

    def keep_writing() -> None:
        with installation.server.client() as http:
            while not stop.is_set():
                create_user(http, installation.admin)
                created.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        output = succeeded("backup", env=installation.env)
    finally:
        stop.set()
        writer.join()
    assert created, "the server kept serving writes during the backup"
    assert "verified by a test restore" in output
    newest = backups_in(installation.env)[-1]
    assert verification_of(newest)["ok"] is True
    assert verification_of(newest)["checks"]["integrity"] == "ok"


def test_a_database_that_was_never_migrated_is_not_backed_up(
    server_env: ServerEnv, backends: Backends
) -> None:
    env = server_env(database_url=backends.new_database(migrated=False))
    result = medianest("backup", env=env)
    assert result.returncode == 1
    assert "backup failed: the database has no MediaNest schema" in result.stderr
    assert backups_in(env) == []


def test_retention_keeps_the_newest(installation: Installation, tmp_path: Path) -> None:
    env = {**installation.env, "BACKUP_RETENTION": "2", "BACKUP_DIR": str(tmp_path)}
    succeeded("backup", "--no-verify", env=env)
    succeeded("backup", "--no-verify", env=env)
    first, second = backups_in(env)
    third = succeeded("backup", "--no-verify", env=env)
    assert f"deleted old backup {first.name}" in third
    remaining = backups_in(env)
    assert len(remaining) == 2
    assert first not in remaining
    assert second in remaining


class TestRestoreWhileRunning:
    """A restore under a running process would replace the file it writes to: the process's
    later writes would land in the replaced file and be lost."""

    def test_restore_is_refused_while_a_server_uses_the_data_dir(
        self, installation: Installation, archive: Path
    ) -> None:
        before = seen_by(installation.server, installation.admin)
        refused = medianest("restore", "--force", str(archive), env=installation.env)
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        data_dir = installation.env["MEDIANEST_DATA_DIR"]
        assert line == (
            f"medianest: cannot restore: a MediaNest server or worker is running on the data "
            f"dir {data_dir}: stop every `medianest serve` and `medianest worker` that uses it "
            "first"
        )
        assert not list(Path(data_dir).glob("*.before-restore")), "nothing was set aside"
        assert seen_by(installation.server, installation.admin) == before

    def test_restore_is_refused_while_a_worker_uses_the_data_dir(
        self, server_env: ServerEnv, archive: Path, tmp_path: Path
    ) -> None:
        env = server_env()
        succeeded("migrate", env=env)
        worker = start_worker(env, workdir=tmp_path)
        try:
            refused = medianest("restore", "--force", str(archive), env=env)
        finally:
            worker.stop()
        assert refused.returncode == 1
        assert "a MediaNest server or worker is running on the data dir" in refused.stderr

        restored = succeeded("restore", "--force", str(archive), env=env)
        assert "[ok  ] users: 3 rows" in restored, "once the worker stopped, the data dir is free"

    def test_a_server_does_not_start_while_a_restore_holds_the_data_dir(
        self, server_env: ServerEnv
    ) -> None:
        env = server_env()
        data_dir = Path(env["MEDIANEST_DATA_DIR"])
        with datadir.held(data_dir, datadir.Use.EXCLUSIVE):
            result = medianest("serve", "--port", str(free_port()), env=env)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1] == (
            f"medianest: a restore is running on the data dir {data_dir}: wait until it has "
            "finished"
        )
