"""Events reach the people they are for, and nobody else: a live MediaNest, the fake
Overseerr and its webhook, socket.io clients; with Redis, across processes and from a worker."""

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medianest.downloads.events import DownloadProgressEvent
from medianest.runtime.build import build_state, close_state
from tests.conftest import ServerEnv, SettingsFactory
from tests.fakes.overseerr import NEW_MOVIE, FakeOverseerr, MediaStatus, overseerr_env
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.backends import Backends
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, replicas, start_server
from tests.fixtures.sockets import SocketListener, listening

WEBHOOK_SECRET = "Bearer realtime-webhook-secret-0815"


def request_film(server: LiveServer, requester: Account) -> dict[str, Any]:
    """The requester (a local user without an Overseerr account) asks for the new film; the
    request waits in MediaNest for an admin."""
    with server.client() as http:
        response = http.post(
            "/api/v1/media/request",
            json={"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id},
            headers=requester.bearer,
        )
    data: dict[str, Any] = assert_ok(response, status=201)
    return data


async def approve(server: LiveServer, admin: Account, request_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
        response = await http.post(
            f"/api/v1/admin/requests/{request_id}/approve", headers=admin.bearer
        )
    data: dict[str, Any] = assert_ok(response)
    return data


def requests_env(server_env: ServerEnv, overseerr: FakeOverseerr, **extra: str) -> dict[str, str]:
    return server_env(
        OVERSEERR_WEBHOOK_SECRET=WEBHOOK_SECRET,
        OVERSEERR_SYNC_MINUTES="600",
        **overseerr_env(overseerr),
        **extra,
    )


@pytest.fixture(scope="module")
def server(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    live = start_server(
        requests_env(server_env, overseerr_server), workdir=tmp_path_factory.mktemp("delivery")
    )
    yield live
    live.stop()


async def notice_title(inbox: SocketListener) -> str:
    """The title of the stored notification the inbox hears of next."""
    event, payload = await inbox.next_event()
    assert event == "system:notification"
    title: str = payload["title"]
    return title


class TestRequestUpdated:
    async def test_the_owner_and_admins_hear_of_it_and_nobody_else(
        self, server: LiveServer, overseerr: FakeOverseerr
    ) -> None:
        with server.client() as http:
            admin = bootstrap_admin(http)
            owner = create_user(http, admin)
            other = create_user(http, admin)
        request = request_film(server, owner)

        async with (
            listening(server, "/authenticated", token=owner.token) as owners_inbox,
            listening(server, "/media", token=owner.token) as owners_media,
            listening(server, "/admin", token=admin.token) as admins,
            listening(server, "/authenticated", token=other.token) as others_inbox,
            listening(server, "/media", token=other.token) as others_media,
        ):
            # An admin approves: MediaNest sends the request to Overseerr.
            approved = await approve(server, admin, request["id"])
            expected = {
                "id": request["id"],
                "status": approved["status"],
                "mediaTitle": NEW_MOVIE.title,
                "updatedBy": "admin",
            }
            for socket in (owners_inbox, owners_media, admins):
                assert await socket.next_event() == ("request:updated", expected)
            assert await notice_title(owners_inbox) == "Request approved"

            # Radarr finishes; Overseerr's webhook says so.
            overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
            delivered = await asyncio.to_thread(
                overseerr.send_webhook,
                f"{server.base_url}/api/v1/webhooks/overseerr",
                "MEDIA_AVAILABLE",
                approved["overseerrRequestId"],
                authorization=WEBHOOK_SECRET,
            )
            assert assert_ok(delivered)["updated"] == 1
            available = {**expected, "status": "available", "updatedBy": "webhook"}
            for socket in (owners_inbox, owners_media, admins):
                assert await socket.next_event() == ("request:updated", available)
            assert await notice_title(owners_inbox) == "Now available"

            await others_inbox.assert_nothing_received()
            await others_media.assert_nothing_received()


@pytest.mark.redis
class TestAcrossProcesses:
    """Two API processes on one database and one Redis, as behind a load balancer."""

    @pytest.fixture
    def servers(
        self,
        server_env: ServerEnv,
        backends: Backends,
        overseerr: FakeOverseerr,
        tmp_path_factory: pytest.TempPathFactory,
    ) -> Iterator[tuple[LiveServer, LiveServer]]:
        # The run's own prefix, which the worker-side settings of these tests use too.
        env = requests_env(
            server_env,
            overseerr,
            DATABASE_URL=backends.new_database(),
            REDIS_KEY_PREFIX=backends.redis_prefix,
        )
        with replicas(env, workdir=tmp_path_factory.mktemp("replicas")) as servers:
            yield servers

    async def test_a_change_on_one_process_reaches_a_client_of_the_other(
        self, servers: tuple[LiveServer, LiveServer]
    ) -> None:
        a, b = servers
        with a.client() as http:
            admin = bootstrap_admin(http)
            owner = create_user(http, admin)
        request = request_film(b, owner)

        async with (
            listening(a, "/media", token=owner.token) as owners_media,
            listening(a, "/admin", token=admin.token) as admins,
        ):
            approved = await approve(b, admin, request["id"])
            event = ("request:updated", {"id": request["id"], "status": approved["status"]})
            for socket in (owners_media, admins):
                name, payload = await socket.next_event()
                assert (name, {key: payload[key] for key in ("id", "status")}) == event

    async def test_a_worker_without_a_server_reaches_a_client_through_redis(
        self, servers: tuple[LiveServer, LiveServer], make_settings: SettingsFactory
    ) -> None:
        a, _ = servers
        with a.client() as http:
            admin = bootstrap_admin(http)
            owner = create_user(http, admin)
            other = create_user(http, admin)
        progress = DownloadProgressEvent(
            id="dl-1", progress=45.0, status="running", speed=1_258_291.2, eta=330
        )

        async with (
            listening(a, "/media", token=owner.token) as owners_media,
            listening(a, "/media", token=other.token) as others_media,
        ):
            # What a download worker does: the process's state, whose emitter publishes to
            # Redis since the process has no socket.io server.
            worker = build_state(make_settings())
            try:
                await worker.emitter.emit_to_user(owner.id, progress)
            finally:
                await close_state(worker)
            assert await owners_media.next_event() == ("download:progress", progress.payload())
            await others_media.assert_nothing_received()
