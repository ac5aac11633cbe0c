"""Connections end when the credentials that opened them stop holding: sign-out, sessions
revoked by an admin, a demotion, a deleted account. Clients may reconnect, and are then
admitted or refused as any new connection is; with Redis, across processes."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.fixtures.accounts import Account, bootstrap_admin, create_user, sign_in
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, replicas, start_server
from tests.fixtures.sockets import SocketListener, listening


@pytest.fixture(scope="module")
def server(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(server_env(), workdir=tmp_path_factory.mktemp("disconnects"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Account:
    with server.client() as http:
        return bootstrap_admin(http)


@pytest.fixture
def user(server: LiveServer, admin: Account) -> Account:
    with server.client() as http:
        return create_user(http, admin)


async def post(server: LiveServer, path: str, caller: Account, body: object = None) -> object:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
        response = await http.post(f"/api/v1{path}", json=body, headers=caller.bearer)
    return assert_ok(response, status=201 if path == "/admin/notifications" else 200)


async def assert_still_connected(
    server: LiveServer, admin: Account, user: Account, inbox: SocketListener
) -> None:
    """The user's `/authenticated` connection still hears what is sent to them now."""
    body = {"title": "Still here?", "message": "Yes.", "userIds": [user.id]}
    await post(server, "/admin/notifications", admin, body)
    event, payload = await inbox.next_event()
    assert (event, payload["title"]) == ("system:notification", "Still here?")


class TestSignOut:
    async def test_ends_that_sessions_connections_and_no_other(
        self, server: LiveServer, admin: Account, user: Account
    ) -> None:
        with server.client() as http:
            phone = sign_in(http, user.email, user.password)
        async with (
            listening(server, "/authenticated", token=user.token) as laptop_inbox,
            listening(server, "/media", token=user.token) as laptop_media,
            listening(server, "/authenticated", token=phone.token) as phone_inbox,
        ):
            await post(server, "/auth/logout", user)

            await laptop_inbox.wait_dropped()
            await laptop_media.wait_dropped()
            await assert_still_connected(server, admin, phone, phone_inbox)
            assert not phone_inbox.dropped.is_set()

        refusal = await SocketListener(server, "/authenticated").refused(token=user.token)
        assert refusal.code == "JWT_INVALID"
        async with listening(server, "/authenticated", token=phone.token) as again:
            assert again.client.connected

    async def test_ending_one_session_from_another_ends_its_connections(
        self, server: LiveServer, user: Account
    ) -> None:
        with server.client() as http:
            phone = sign_in(http, user.email, user.password)
            session = assert_ok(http.get("/api/v1/auth/session", headers=phone.bearer))
        async with listening(server, "/system", token=phone.token) as phone_system:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
                response = await http.delete(
                    f"/api/v1/auth/sessions/{session['session']['id']}", headers=user.bearer
                )
            assert_ok(response)
            await phone_system.wait_dropped()
        refusal = await SocketListener(server, "/system").refused(token=phone.token)
        assert refusal.code == "JWT_INVALID"


class TestPasswordChange:
    async def test_the_other_sessions_connections_end_and_stay_closed(
        self, server: LiveServer, user: Account
    ) -> None:
        with server.client() as http:
            stolen = sign_in(http, user.email, user.password)
        async with listening(server, "/authenticated", token=stolen.token) as thiefs_inbox:
            body = {"currentPassword": user.password, "newPassword": "Brisk-Heron-Paints-77!"}
            await post(server, "/auth/change-password", user, body)
            await thiefs_inbox.wait_dropped()

        refusal = await SocketListener(server, "/authenticated").refused(token=stolen.token)
        assert refusal.code == "JWT_INVALID"
        async with listening(server, "/authenticated", token=user.token) as own:
            assert own.client.connected


class TestDemotion:
    async def test_the_admin_namespace_is_closed_to_a_demoted_admin(
        self, server: LiveServer, admin: Account
    ) -> None:
        with server.client() as http:
            deputy = create_user(http, admin, role="admin")
        async with listening(server, "/admin", token=deputy.token) as deputys_admin:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
                response = await http.patch(
                    f"/api/v1/admin/users/{deputy.id}/role",
                    json={"role": "user"},
                    headers=admin.bearer,
                )
            assert assert_ok(response)["role"] == "user"
            await deputys_admin.wait_dropped()

        refusal = await SocketListener(server, "/admin").refused(token=deputy.token)
        assert refusal.code == "FORBIDDEN"
        with server.client() as http:
            fresh = sign_in(http, deputy.email, deputy.password)
        async with listening(server, "/authenticated", token=fresh.token) as inbox:
            await assert_still_connected(server, admin, fresh, inbox)

    async def test_a_promotion_leaves_connections_alone(
        self, server: LiveServer, admin: Account, user: Account
    ) -> None:
        async with listening(server, "/authenticated", token=user.token) as inbox:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
                response = await http.patch(
                    f"/api/v1/admin/users/{user.id}/role",
                    json={"role": "admin"},
                    headers=admin.bearer,
                )
            assert_ok(response)
            await assert_still_connected(server, admin, user, inbox)
            assert not inbox.dropped.is_set()


class TestRevokedByAnAdmin:
    async def test_ends_every_connection_of_the_user_and_nobody_elses(
        self, server: LiveServer, admin: Account, user: Account
    ) -> None:
        with server.client() as http:
            other = create_user(http, admin)
            phone = sign_in(http, user.email, user.password)
        async with (
            listening(server, "/authenticated", token=user.token) as laptop,
            listening(server, "/media", token=phone.token) as phones_media,
            listening(server, "/authenticated", token=other.token) as others_inbox,
        ):
            ended = await post(server, f"/admin/users/{user.id}/revoke-sessions", admin)
            assert ended == {"sessionsEnded": 2}

            await laptop.wait_dropped()
            await phones_media.wait_dropped()
            await assert_still_connected(server, admin, other, others_inbox)
            assert not others_inbox.dropped.is_set()

        for token in (user.token, phone.token):
            refusal = await SocketListener(server, "/authenticated").refused(token=token)
            assert refusal.code == "JWT_INVALID"


class TestDeletedAccount:
    async def test_its_connections_end_and_stay_closed(
        self, server: LiveServer, admin: Account, user: Account
    ) -> None:
        async with listening(server, "/authenticated", token=user.token) as inbox:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
                response = await http.delete(f"/api/v1/admin/users/{user.id}", headers=admin.bearer)
            assert_ok(response)
            await inbox.wait_dropped()
        refusal = await SocketListener(server, "/authenticated").refused(token=user.token)
        assert refusal.code == "JWT_INVALID"


@pytest.mark.redis
class TestAcrossProcesses:
    """Two API processes on one database and one Redis, as behind a load balancer."""

    @pytest.fixture
    def servers(
        self, server_env: ServerEnv, backends: Backends, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[tuple[LiveServer, LiveServer]]:
        env = server_env(DATABASE_URL=backends.new_database())
        with replicas(env, workdir=tmp_path_factory.mktemp("disconnect-replicas")) as servers:
            yield servers

    async def test_revoking_on_one_process_ends_connections_on_the_other(
        self, servers: tuple[LiveServer, LiveServer]
    ) -> None:
        a, b = servers
        with a.client() as http:
            admin = bootstrap_admin(http)
            user = create_user(http, admin)
            other = create_user(http, admin)
        async with (
            listening(b, "/authenticated", token=user.token) as users_inbox,
            listening(b, "/authenticated", token=other.token) as others_inbox,
        ):
            await post(a, f"/admin/users/{user.id}/revoke-sessions", admin)

            await users_inbox.wait_dropped()
            await assert_still_connected(a, admin, other, others_inbox)
            assert not others_inbox.dropped.is_set()
        refusal = await SocketListener(b, "/authenticated").refused(token=user.token)
        assert refusal.code == "JWT_INVALID"
