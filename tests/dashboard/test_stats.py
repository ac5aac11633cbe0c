"""The dashboard's and the admins' statistics, counted from what the test made through the
API, with Plex's recently added items (or without Plex)."""

import re
from typing import Any

import httpx

from tests.conftest import StartAppServer
from tests.fakes.overseerr import FURIOSA, NEW_MOVIE
from tests.fakes.plex import FakePlexServer, FakePlexTv, plex_env
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import USER_PASSWORD, Account, bootstrap_admin
from tests.fixtures.envelope import assert_error, assert_ok
from tests.notifications.conftest import (
    Portal,
    queue_download,
    request_film,
    wait_until_finished,
)

NO_REQUESTS = dict.fromkeys(
    (
        "total",
        "pending",
        "approved",
        "processing",
        "partiallyAvailable",
        "available",
        "declined",
        "failed",
    ),
    0,
)
NO_DOWNLOADS = dict.fromkeys(
    ("total", "active", "queued", "running", "completed", "failed", "cancelled"), 0
)


def stats(http: httpx.Client, account: Account) -> dict[str, Any]:
    data: dict[str, Any] = assert_ok(http.get("/api/v1/dashboard/stats", headers=account.bearer))
    return data


def admin_stats(http: httpx.Client, account: Account) -> dict[str, Any]:
    data: dict[str, Any] = assert_ok(http.get("/api/v1/admin/stats", headers=account.bearer))
    return data


def add_account(http: httpx.Client, admin: Account, *, role: str) -> None:
    """An account that never signs in."""
    body = {
        "email": f"{role}-never@example.com",
        "name": "Nora Never",
        "role": role,
        "password": USER_PASSWORD,
    }
    assert_ok(http.post("/api/v1/admin/users", json=body, headers=admin.bearer), status=201)


def test_stats_count_what_each_user_made(
    portal: Portal, http: httpx.Client, videos: FakeVideoSite
) -> None:
    admin = portal.admin
    user, other = portal.new_user(http), portal.new_user(http)
    assert stats(http, user)["requests"] == NO_REQUESTS
    assert stats(http, user)["downloads"] == NO_DOWNLOADS

    request_film(http, user, NEW_MOVIE.tmdb_id)
    declined = request_film(http, user, FURIOSA.tmdb_id)
    assert_ok(
        http.post(
            f"/api/v1/admin/requests/{declined['id']}/decline",
            json={"reason": "No."},
            headers=admin.bearer,
        )
    )
    request_film(http, other, NEW_MOVIE.tmdb_id)
    good = queue_download(http, user, videos.media_url("small.mp4"))
    bad = queue_download(http, user, videos.media_url("missing.mp4"))
    assert wait_until_finished(http, user, good["id"])["status"] == "completed"
    assert wait_until_finished(http, user, bad["id"])["status"] == "failed"
    add_account(http, admin, role="user")
    add_account(http, admin, role="admin")

    mine = stats(http, user)
    assert mine["requests"] == NO_REQUESTS | {"total": 2, "pending": 1, "declined": 1}
    assert mine["downloads"] == NO_DOWNLOADS | {"total": 2, "completed": 1, "failed": 1}
    theirs = stats(http, other)
    assert theirs["requests"] == NO_REQUESTS | {"total": 1, "pending": 1}
    assert theirs["downloads"] == NO_DOWNLOADS

    everything = admin_stats(http, admin)
    # admin, user and other signed in; the two accounts added by the admin never did.
    assert everything["users"] == {"total": 5, "active": 3, "admins": 2}
    assert everything["requests"] == NO_REQUESTS | {"total": 3, "pending": 2, "declined": 1}
    assert everything["downloads"] == NO_DOWNLOADS | {"total": 2, "completed": 1, "failed": 1}
    system = everything["system"]
    assert system["uptimeSeconds"] >= 0
    assert re.fullmatch(r"\d+MB", system["memory"])
    assert system["memoryBytes"] > 10 * 2**20  # a Python web server weighs more than 10 MB
    assert system["memory"] == f"{round(system['memoryBytes'] / 2**20)}MB"
    assert re.fullmatch(r"\d+%", system["cpu"])
    assert 0 <= system["cpuPercent"] <= 100

    assert_error(http.get("/api/v1/admin/stats", headers=user.bearer), status=403, code="FORBIDDEN")


def test_stats_show_what_plex_added_lately(portal: Portal, http: httpx.Client) -> None:
    data = stats(http, portal.admin)
    recent = assert_ok(
        http.get("/api/v1/plex/recently-added", params={"limit": 10}, headers=portal.admin.bearer)
    )["items"]

    assert data["plexAvailable"] is True
    assert len(data["recentlyAdded"]) == 10
    assert [item["ratingKey"] for item in data["recentlyAdded"]] == [
        item["ratingKey"] for item in recent
    ]
    added = [item["addedAt"] for item in data["recentlyAdded"]]
    assert added == sorted(added, reverse=True)
    assert all(item["title"] for item in data["recentlyAdded"])


def test_stats_need_sign_in(portal: Portal) -> None:
    with portal.server.client() as anonymous:
        for path in ("/api/v1/dashboard/stats", "/api/v1/admin/stats"):
            assert_error(anonymous.get(path), status=401, code="UNAUTHORIZED")


def test_stats_answer_while_plex_is_down(
    make_app_server: StartAppServer, plex_tv: FakePlexTv, plex_server: FakePlexServer
) -> None:
    with plex_server.down():
        server = make_app_server(PLEX_TIMEOUT_SECONDS="2", **plex_env(plex_tv, plex_server))
        with server.client() as http:
            admin = bootstrap_admin(http)
            data = stats(http, admin)
    assert data["plexAvailable"] is False
    assert data["recentlyAdded"] == []
    assert data["requests"] == NO_REQUESTS
    assert data["downloads"] == NO_DOWNLOADS


def test_stats_answer_without_plex(make_app_server: StartAppServer) -> None:
    server = make_app_server()
    with server.client() as http:
        admin = bootstrap_admin(http)
        data = stats(http, admin)
    assert (data["plexAvailable"], data["recentlyAdded"]) == (False, [])
    assert data["requests"] == NO_REQUESTS


def test_admin_stats_and_health_tell_one_uptime(portal: Portal, http: httpx.Client) -> None:
    """The same figure, under the same name, from the same start: read between two
    `/health` answers, the statistics' uptime lies between theirs."""
    before = http.get("/health").json()["uptimeSeconds"]
    system = admin_stats(http, portal.admin)["system"]
    after = http.get("/health").json()["uptimeSeconds"]
    assert "uptime" not in system
    assert before <= system["uptimeSeconds"] <= after
