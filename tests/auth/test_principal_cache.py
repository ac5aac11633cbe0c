"""Signed-in reads are answered from each server process's principal cache, yet a change made
through one process takes effect on the very next request to another (Redis carries the
invalidation, `auth.principal_cache`). Same-process changes are the rest of tests/auth."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fixtures.accounts import Account, bootstrap_admin, create_user, sign_in
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server

ME = "/api/v1/auth/me"


@pytest.fixture
def two_servers(
    server_env: ServerEnv, backends: Backends, tmp_path: Path
) -> Iterator[tuple[LiveServer, LiveServer]]:
    env = server_env(DATABASE_URL=backends.new_database())
    started: list[LiveServer] = []
    try:
        started.append(start_server(env, workdir=tmp_path))
        started.append(start_server(env, workdir=tmp_path))
        yield started[0], started[1]
    finally:
        for server in reversed(started):
            server.stop()


def me(http: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    """Asked twice, so the second answer comes from the cache when the process keeps one."""
    assert_ok(http.get(ME, headers=headers))
    data: dict[str, Any] = assert_ok(http.get(ME, headers=headers))
    return data


def refused(http: httpx.Client, headers: dict[str, str]) -> bool:
    return http.get(ME, headers=headers).status_code == 401


def api_key(http: httpx.Client, account: Account) -> tuple[str, dict[str, str]]:
    created = assert_ok(
        http.post(
            "/api/v1/auth/api-keys",
            json={"name": "cache test", "scopes": ["read"]},
            headers=account.bearer,
        ),
        status=201,
    )
    return str(created["id"]), {"X-Api-Key": str(created["key"])}


@pytest.mark.redis
def test_changes_through_one_process_apply_at_once_in_the_other(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    with a.client() as via_a, b.client() as via_b:
        admin = bootstrap_admin(via_a)
        friend = create_user(via_a, admin)
        key_id, key = api_key(via_a, friend)
        assert me(via_b, friend.bearer)["role"] == "user"
        assert me(via_b, key)["role"] == "user"

        role = via_a.patch(
            f"/api/v1/admin/users/{friend.id}/role", json={"role": "admin"}, headers=admin.bearer
        )
        assert_ok(role)
        assert assert_ok(via_b.get(ME, headers=friend.bearer))["role"] == "admin"
        assert assert_ok(via_b.get(ME, headers=key))["role"] == "admin"

        assert_ok(via_a.delete(f"/api/v1/auth/api-keys/{key_id}", headers=friend.bearer))
        assert refused(via_b, key), "a revoked key"

        assert_ok(
            via_a.post(f"/api/v1/admin/users/{friend.id}/revoke-sessions", headers=admin.bearer)
        )
        assert refused(via_b, friend.bearer), "a session ended by an admin"

        again = sign_in(via_a, friend.email, friend.password)
        assert me(via_b, again.bearer)["id"] == friend.id
        assert_ok(via_a.post("/api/v1/auth/logout", headers=again.bearer))
        assert refused(via_b, again.bearer), "a signed-out session"

        last = sign_in(via_a, friend.email, friend.password)
        assert me(via_b, last.bearer)["id"] == friend.id
        deleted = via_a.delete(f"/api/v1/admin/users/{friend.id}", headers=admin.bearer)
        assert deleted.status_code in {200, 204}
        assert refused(via_b, last.bearer), "a deleted user"


def test_a_renamed_user_reads_the_new_name_at_once(live_server: LiveServer) -> None:
    with live_server.client() as http:
        admin = bootstrap_admin(http, email="cache-admin@example.com")
        assert me(http, admin.bearer)["name"] == "Ada Admin"
        assert_ok(http.patch(ME, json={"name": "Ada Renamed"}, headers=admin.bearer))
        assert assert_ok(http.get(ME, headers=admin.bearer))["name"] == "Ada Renamed"
