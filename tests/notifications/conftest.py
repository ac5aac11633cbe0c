"""A running MediaNest wired to every fake a notification can come from: Overseerr (its
webhook and the admin's decisions), the video site (downloads) and Plex."""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ServerEnv
from tests.downloads.conftest import downloads_env
from tests.fakes.overseerr import FakeOverseerr, overseerr_env
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import Account, bootstrap_admin, create_user
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server

WEBHOOK_SECRET = "Bearer notifications-webhook-secret-1234"
FINISHED_DOWNLOADS = {"completed", "failed", "cancelled"}


@dataclass(frozen=True)
class Portal:
    server: LiveServer
    admin: Account

    def new_user(self, http: httpx.Client) -> Account:
        """A fresh local account (no Overseerr account: its requests wait for the admin)."""
        return create_user(http, self.admin)


def portal_env(
    server_env: ServerEnv,
    library: Path,
    overseerr: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
) -> dict[str, str]:
    """Overseerr with its webhook, downloads into `library` from the video site, and Plex."""
    return downloads_env(
        server_env,
        library,
        plex_tv,
        plex_server,
        video_site,
        OVERSEERR_WEBHOOK_SECRET=WEBHOOK_SECRET,
        OVERSEERR_SYNC_MINUTES="600",
        RATE_LIMIT_MEDIA_REQUESTS="1000/hour",
        **overseerr_env(overseerr),
    )


def start_portal(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Portal]:
    """A running portal on the fakes, with its admin; stopped when the generator ends."""
    library = tmp_path_factory.mktemp("library")
    env = portal_env(server_env, library, overseerr_server, plex_tv, plex_server, video_site)
    live = start_server(env, workdir=tmp_path_factory.mktemp("portal"))
    with live.client() as http:
        admin = bootstrap_admin(http)
    yield Portal(live, admin)
    live.stop()


@pytest.fixture(scope="module")
def portal(
    server_env: ServerEnv,
    overseerr_server: FakeOverseerr,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    video_site: FakeVideoSite,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Portal]:
    yield from start_portal(
        server_env, overseerr_server, plex_tv, plex_server, video_site, tmp_path_factory
    )


@pytest.fixture
def http(portal: Portal, overseerr: FakeOverseerr, videos: FakeVideoSite) -> Iterator[httpx.Client]:
    """A client of the module's server; each test starts with a fresh fake Overseerr and
    no media requests (the admin removes what a test left)."""
    with portal.server.client(timeout=20) as client:
        yield client
        admin = portal.admin.bearer
        listed = client.get("/api/v1/admin/requests?limit=100", headers=admin)
        for request in listed.json()["data"]["items"]:
            client.delete(f"/api/v1/media/requests/{request['id']}", headers=admin)


def notifications(http: httpx.Client, account: Account, **params: str | int) -> dict[str, Any]:
    """The account's notifications page (`items`, `pagination`, `unreadCount`)."""
    data: dict[str, Any] = assert_ok(
        http.get("/api/v1/dashboard/notifications", params=params, headers=account.bearer)
    )
    return data


def request_film(http: httpx.Client, account: Account, tmdb_id: int) -> dict[str, Any]:
    body = {"mediaType": "movie", "tmdbId": tmdb_id}
    response = http.post("/api/v1/media/request", json=body, headers=account.bearer)
    data: dict[str, Any] = assert_ok(response, status=201)
    return data


def queue_download(http: httpx.Client, account: Account, url: str) -> dict[str, Any]:
    response = http.post("/api/v1/youtube/download", json={"url": url}, headers=account.bearer)
    data: dict[str, Any] = assert_ok(response, status=201)
    return data


def wait_until_finished(
    http: httpx.Client, account: Account, download_id: str, *, timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data: dict[str, Any] = assert_ok(
            http.get(f"/api/v1/youtube/downloads/{download_id}", headers=account.bearer)
        )
        if data["status"] in FINISHED_DOWNLOADS:
            return data
        assert time.monotonic() < deadline, f"still {data['status']}: {data}"
        time.sleep(0.2)
