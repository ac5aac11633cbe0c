"""`./scripts/demo`: the fakes, a real `medianest serve` on them, and the seeding through the
API leave every page something to show."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from scripts.demo import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    FRIEND_EMAIL,
    FRIEND_PASSWORD,
    Fakes,
    Seeded,
    approve_plex_pins,
    demo_env,
    running_fakes,
    seed,
)

from tests.conftest import ServerEnv
from tests.fakes.plex import PLEX_FRIEND
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, start_server


@pytest.fixture(scope="module")
def fakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fakes]:
    with running_fakes(tmp_path_factory.mktemp("demo-fakes")) as running:
        yield running


@pytest.fixture(scope="module")
def demo(
    server_env: ServerEnv, fakes: Fakes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Seeded]]:
    data_dir = Path(tmp_path_factory.mktemp("demo-data"))
    env = server_env(**demo_env(fakes, data_dir))
    live = start_server(env, workdir=tmp_path_factory.mktemp("demo"))
    with live.client(timeout=30) as http:
        seeded = seed(http, fakes)
    yield live, seeded
    live.stop()


@pytest.fixture
def http(demo: tuple[LiveServer, Seeded]) -> Iterator[httpx.Client]:
    with demo[0].client(timeout=15) as client:
        yield client


def signed_in(http: httpx.Client, email: str, password: str) -> dict[str, str]:
    data = assert_ok(http.post("/api/v1/auth/login", json={"email": email, "password": password}))
    http.cookies.clear()
    return {"Authorization": f"Bearer {data['token']}"}


def test_the_printed_credentials_sign_in(http: httpx.Client) -> None:
    admin = signed_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
    friend = signed_in(http, FRIEND_EMAIL, FRIEND_PASSWORD)
    assert assert_ok(http.get("/api/v1/auth/me", headers=admin))["role"] == "admin"
    assert assert_ok(http.get("/api/v1/auth/me", headers=friend))["role"] == "user"
    info = assert_ok(http.get("/api/v1/public/info"))
    assert info["setupDone"] is True
    assert info["signInMethods"] == {"password": True, "plex": True}


def test_requests_are_in_several_statuses(http: httpx.Client) -> None:
    admin = signed_in(http, ADMIN_EMAIL, ADMIN_PASSWORD)
    requests = assert_ok(http.get("/api/v1/admin/requests", headers=admin))["items"]
    statuses = {request["status"] for request in requests}
    assert {"pending", "processing", "declined", "available"} <= statuses
    declined = next(r for r in requests if r["status"] == "declined")
    assert declined["declineReason"]
    assert {r["requestedBy"]["username"] for r in requests} >= {PLEX_FRIEND.username}


def test_the_download_finished_and_plex_has_it(
    http: httpx.Client, demo: tuple[LiveServer, Seeded]
) -> None:
    token = {"Authorization": f"Bearer {demo[1].plex_friend_token}"}
    download = assert_ok(
        http.get(f"/api/v1/youtube/downloads/{demo[1].download_id}", headers=token)
    )
    assert download["status"] == "completed"
    recent = assert_ok(http.get("/api/v1/plex/recently-added", headers=token))["items"]
    assert any(item["libraryKey"] == "3" for item in recent)


def first_poster(items: list[dict[str, Any]], key: str) -> str:
    url: str = next(item[key] for item in items if item[key])
    return url


def test_discover_and_plex_show_posters(http: httpx.Client) -> None:
    friend = signed_in(http, FRIEND_EMAIL, FRIEND_PASSWORD)
    trending = assert_ok(http.get("/api/v1/media/discover/trending", headers=friend))["items"]
    libraries = assert_ok(http.get("/api/v1/plex/libraries", headers=friend))["libraries"]
    recent = assert_ok(http.get("/api/v1/plex/recently-added", headers=friend))["items"]
    assert len(trending) >= 10
    assert sum(library["count"] for library in libraries) >= 20
    for url in (first_poster(trending, "posterUrl"), first_poster(recent, "thumbUrl")):
        image = http.get(url, headers=friend)
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"


def test_sign_in_with_plex_is_approved_for_the_visitor(http: httpx.Client, fakes: Fakes) -> None:
    stop = threading.Event()
    threading.Thread(target=approve_plex_pins, args=(fakes.plex_tv, stop), daemon=True).start()
    try:
        pin = assert_ok(http.post("/api/v1/auth/plex/pin"), status=201)
        deadline = time.monotonic() + 20
        answer: dict[str, Any] = {}
        while time.monotonic() < deadline and "token" not in answer:
            time.sleep(0.5)
            verified = http.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]})
            assert verified.status_code in {200, 202}, verified.text  # 202 while pending
            answer = verified.json()["data"]
    finally:
        stop.set()
    assert answer["user"]["username"] == PLEX_FRIEND.username
