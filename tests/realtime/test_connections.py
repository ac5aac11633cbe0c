"""Who may connect to which socket.io namespace of a running MediaNest, and from where."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ServerEnv, StartServer
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server
from tests.fixtures.sockets import SocketListener, Transport, listening

APP_ORIGIN = "https://app.example.test"
PUBLIC_URL = "https://medianest.example.test"
EVIL_ORIGIN = "https://evil.example.test"
SIGNED_IN_NAMESPACES = ["/authenticated", "/media", "/system", "/admin"]
HANDSHAKE = {"EIO": "4", "transport": "polling"}


@pytest.fixture(scope="module")
def server(server_env: ServerEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """CORS_ORIGINS opens the REST API to any origin (`*`) and names one web app."""
    env = server_env(CORS_ORIGINS=f"*, {APP_ORIGIN}", PUBLIC_URL=PUBLIC_URL)
    live = start_server(env, workdir=tmp_path_factory.mktemp("realtime"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Account:
    with server.client() as http:
        return bootstrap_admin(http)


@pytest.fixture(scope="module")
def user(server: LiveServer, admin: Account) -> Account:
    with server.client() as http:
        return create_user(http, admin)


class TestRefused:
    @pytest.mark.parametrize("namespace", SIGNED_IN_NAMESPACES)
    async def test_without_credentials_is_unauthorized(
        self, server: LiveServer, namespace: str
    ) -> None:
        refusal = await SocketListener(server, namespace).refused()
        assert refusal.code == "UNAUTHORIZED"
        assert "Sign in first" in refusal.message

    async def test_a_bad_token_is_jwt_invalid(self, server: LiveServer, user: Account) -> None:
        refusal = await SocketListener(server, "/authenticated").refused(token=user.token + "x")
        assert refusal.code == "JWT_INVALID"

    async def test_a_bad_cookie_is_jwt_invalid(self, server: LiveServer) -> None:
        refusal = await SocketListener(server, "/media").refused(cookie="not-a-token")
        assert refusal.code == "JWT_INVALID"

    async def test_the_token_of_an_ended_session_is_refused(
        self, server: LiveServer, admin: Account
    ) -> None:
        with server.client() as http:
            ended = create_user(http, admin)
            logout = http.post("/api/v1/auth/logout", headers=ended.bearer)
            assert logout.status_code in {200, 204}, logout.text
        refusal = await SocketListener(server, "/authenticated").refused(token=ended.token)
        assert refusal.code == "JWT_INVALID"

    async def test_admin_namespace_is_forbidden_to_a_user(
        self, server: LiveServer, user: Account
    ) -> None:
        refusal = await SocketListener(server, "/admin").refused(token=user.token)
        assert refusal.code == "FORBIDDEN"
        assert "admins only" in refusal.message

    async def test_an_origin_not_allowed_is_refused_despite_the_api_wildcard(
        self, server: LiveServer, user: Account
    ) -> None:
        # The long-polling handshake, as a page's XHR sends it...
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            handshake = await http.get(
                "/socket.io/", params=HANDSHAKE, headers={"Origin": EVIL_ORIGIN}
            )
        assert handshake.status_code == 400
        assert "not an accepted origin" in handshake.text
        # ...and a WebSocket, which browsers open across origins without asking (CORS does
        # not apply), so only this check stops another site riding on the session cookie.
        refusal = await SocketListener(server, "/authenticated").refused(
            token=user.token, origin=EVIL_ORIGIN, transports=["websocket"]
        )
        assert refusal.code is None  # the handshake itself was refused, before any namespace


class TestAccepted:
    async def test_anyone_may_join_the_public_namespace(self, server: LiveServer) -> None:
        async with listening(server, "/") as public:
            assert public.client.connected

    @pytest.mark.parametrize("namespace", ["/authenticated", "/media", "/system"])
    async def test_a_user_connects_by_token(
        self, server: LiveServer, user: Account, namespace: str
    ) -> None:
        async with listening(server, namespace, token=user.token) as socket:
            assert socket.client.connected

    async def test_a_browser_connects_with_its_session_cookie(
        self, server: LiveServer, user: Account
    ) -> None:
        with server.client() as http:
            response = http.post(
                "/api/v1/auth/login", json={"email": user.email, "password": user.password}
            )
            assert_ok(response)
            cookie = response.cookies["medianest_access"]
        async with listening(server, "/authenticated", cookie=cookie) as socket:
            assert socket.client.connected

    async def test_an_admin_joins_the_admin_namespace(
        self, server: LiveServer, admin: Account
    ) -> None:
        async with listening(server, "/admin", token=admin.token) as socket:
            assert socket.client.connected

    @pytest.mark.parametrize("origin", [APP_ORIGIN, PUBLIC_URL])
    @pytest.mark.parametrize("transports", [None, ["websocket"]], ids=["polling", "websocket"])
    async def test_the_public_url_and_cors_origins_may_connect(
        self,
        server: LiveServer,
        user: Account,
        origin: str,
        transports: list[Transport] | None,
    ) -> None:
        """By default the client starts with long-polling (which carries the origin) and
        upgrades to a WebSocket."""
        async with listening(
            server, "/media", token=user.token, origin=origin, transports=transports
        ) as socket:
            assert socket.client.connected

    @pytest.mark.parametrize("transports", [None, ["websocket"]], ids=["polling", "websocket"])
    async def test_a_page_of_the_server_itself_may_connect(
        self, server: LiveServer, user: Account, transports: list[Transport] | None
    ) -> None:
        """Opened by another address than PUBLIC_URL (here 127.0.0.1), the app still gets
        its live updates: the origin is the host the browser asked."""
        async with listening(
            server, "/media", token=user.token, origin=server.base_url, transports=transports
        ) as socket:
            assert socket.client.connected


async def test_socketio_lives_under_the_base_path(make_server: StartServer) -> None:
    # Off the event loop: starting a server creates its database with asyncio.run().
    server = await asyncio.to_thread(make_server, BASE_PATH="/medianest", base_path="/medianest")
    with server.client() as http:
        admin = bootstrap_admin(http)
    async with listening(server, "/admin", token=admin.token) as socket:
        assert socket.client.connected
    root = server.base_url.removesuffix("/medianest")
    async with httpx.AsyncClient() as http:
        outside = await http.get(f"{root}/socket.io/", params=HANDSHAKE)
    assert outside.status_code == 404
