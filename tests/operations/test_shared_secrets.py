"""Every process of one installation holds the same secrets, or refuses to start: the first
server records their fingerprints in the database, later servers and workers compare theirs,
and none generates new ones for a database already in use (issue 14, the newcomer's trap)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from medianest.settings import GENERATED_VALUES
from tests.conftest import ServerEnv
from tests.fixtures.accounts import ADMIN_PASSWORD, Account, bootstrap_admin
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, free_port, start_server
from tests.operations.conftest import medianest, succeeded

# Each test runs several `medianest` processes, each importing the whole app first.
pytestmark = pytest.mark.timeout(300)


@dataclass
class Installation:
    env: dict[str, str]
    server: LiveServer
    admin: Account

    def secrets(self) -> dict[str, str]:
        """What the first server runs with: JWT_SECRET from its environment, the rest
        generated into its data dir."""
        stored = json.loads((Path(self.env["MEDIANEST_DATA_DIR"]) / "secrets.json").read_text())
        return {**stored, "JWT_SECRET": self.env["JWT_SECRET"]}


@pytest.fixture(scope="module")
def installation(
    server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Installation]:
    """A first server with an admin, as the newcomer had before adding a replica."""
    env = server_env()
    server = start_server(env, workdir=tmp_path_factory.mktemp("first"))
    with server.client() as http:
        admin = bootstrap_admin(http)
    yield Installation(env, server, admin)
    server.stop()


def replica_env(installation: Installation, data_dir: Path, **secrets: str) -> dict[str, str]:
    """Another process on the same database, with a data dir of its own."""
    return {**installation.env, "MEDIANEST_DATA_DIR": str(data_dir), **secrets}


def refused(result_stderr: str, *names: str) -> None:
    for name in names:
        assert name in result_stderr, result_stderr


def test_a_replica_with_the_installations_secrets_starts_and_shares_sign_ins(
    installation: Installation, tmp_path: Path
) -> None:
    env = replica_env(installation, tmp_path / "replica", **installation.secrets())
    replica = start_server(env, workdir=tmp_path)
    try:
        with replica.client() as http:
            me = assert_ok(http.get("/api/v1/auth/me", headers=installation.admin.bearer))
    finally:
        replica.stop()
    assert me["id"] == installation.admin.id
    assert "[ok  ] secrets: JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID match" in (
        medianest("doctor", env=env).stdout
    )


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_process_without_the_secrets_refuses_and_generates_nothing(
    installation: Installation, tmp_path: Path, command: str
) -> None:
    data_dir = tmp_path / "newcomer"
    args = ("serve", "--port", str(free_port())) if command == "serve" else ("worker",)
    result = medianest(*args, env=replica_env(installation, data_dir))
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "ENCRYPTION_KEY and PLEX_CLIENT_ID are not set here, though this database is already in use"
    ) in result.stderr
    assert "secrets.json" in result.stderr
    assert not (data_dir / "secrets.json").exists()


def test_a_process_with_other_secrets_refuses_naming_them(
    installation: Installation, tmp_path: Path
) -> None:
    other_key = GENERATED_VALUES["ENCRYPTION_KEY"]()
    secrets = installation.secrets() | {"ENCRYPTION_KEY": other_key}
    env = replica_env(installation, tmp_path / "other", **secrets)

    serve = medianest("serve", "--port", str(free_port()), env=env)
    assert serve.returncode == 1
    refused(serve.stderr, "ENCRYPTION_KEY is not the one this database was used with")
    assert "JWT_SECRET" not in serve.stderr, "only the one that differs is named"
    assert "medianest accept-secrets" in serve.stderr

    doctor = medianest("doctor", env=env)
    assert doctor.returncode == 1
    assert "[FAIL] secrets: ENCRYPTION_KEY is not the one this database was used with" in (
        doctor.stdout
    )
    for output in (serve.stdout + serve.stderr, doctor.stdout + doctor.stderr):
        assert other_key not in output
        assert installation.secrets()["ENCRYPTION_KEY"] not in output


def test_accounts_without_recorded_secrets_still_forbid_generating_them(
    server_env: ServerEnv, tmp_path: Path
) -> None:
    """A database used before fingerprints were recorded: its accounts tell it is in use."""
    env = server_env()
    succeeded(
        "create-admin",
        "--email",
        "ada@example.com",
        "--name",
        "Ada",
        "--password",
        ADMIN_PASSWORD,
        env=env,
    )
    newcomer = {**env, "MEDIANEST_DATA_DIR": str(tmp_path / "newcomer"), "JWT_SECRET": ""}
    result = medianest("serve", "--port", str(free_port()), env=newcomer)
    assert result.returncode == 1
    refused(result.stderr, "JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID are not set here")
    assert not (tmp_path / "newcomer" / "secrets.json").exists()


def generated() -> dict[str, str]:
    return {name: make() for name, make in GENERATED_VALUES.items()}


def test_accepting_new_secrets_makes_them_the_installations(server_env: ServerEnv) -> None:
    old = server_env(**generated())
    succeeded("accept-secrets", env=old)

    new = {**old, **generated()}
    assert "[FAIL] secrets: JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID are not the ones" in (
        medianest("doctor", env=new).stdout
    )
    assert "recorded JWT_SECRET, ENCRYPTION_KEY and PLEX_CLIENT_ID" in succeeded(
        "accept-secrets", env=new
    )
    assert "[ok  ] secrets" in medianest("doctor", env=new).stdout
