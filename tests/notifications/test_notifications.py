"""Notifications end to end: what creates them (admins' decisions, Overseerr's webhook,
downloads, broadcasts), how users read them, and the live `system:notification` event."""

import uuid
from typing import Any

import httpx
import pytest

from tests.fakes.overseerr import FURIOSA, NEW_MOVIE, FakeOverseerr, MediaStatus
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import Account
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.sockets import SocketListener, listening
from tests.notifications.conftest import (
    WEBHOOK_SECRET,
    Portal,
    notifications,
    queue_download,
    request_film,
    wait_until_finished,
)


async def next_notification(socket: SocketListener) -> dict[str, Any]:
    """The next `system:notification`, passing over other events (`request:updated`...)."""
    while True:
        name, data = await socket.next_event(timeout=10)
        if name == "system:notification":
            return data


def broadcast(http: httpx.Client, sender: Account, **body: Any) -> httpx.Response:
    return http.post("/api/v1/admin/notifications", json=body, headers=sender.bearer)


def approve(http: httpx.Client, admin: Account, request_id: str) -> dict[str, Any]:
    response = http.post(f"/api/v1/admin/requests/{request_id}/approve", headers=admin.bearer)
    data: dict[str, Any] = assert_ok(response)
    return data


def count_users(http: httpx.Client, admin: Account) -> int:
    users = assert_ok(http.get("/api/v1/admin/users", headers=admin.bearer))
    return int(users["pagination"]["totalItems"])


def audit_entries(http: httpx.Client, admin: Account, action: str) -> list[dict[str, Any]]:
    response = http.get(
        "/api/v1/admin/audit-logs", params={"action": action, "limit": 5}, headers=admin.bearer
    )
    return [entry for entry in assert_ok(response)["items"] if entry["action"] == action]


def titles(page: dict[str, Any]) -> list[str]:
    return [item["title"] for item in page["items"]]


# ---------------------------------------------------------------------- media requests


async def test_an_admin_approval_notifies_the_requester_live(
    portal: Portal, http: httpx.Client
) -> None:
    user = portal.new_user(http)
    request = request_film(http, user, NEW_MOVIE.tmdb_id)
    assert notifications(http, user)["unreadCount"] == 0  # asking is not news

    async with listening(portal.server, "/authenticated", token=user.token) as socket:
        approve(http, portal.admin, request["id"])
        event = await next_notification(socket)

    assert event["type"] == "success"
    assert event["title"] == "Request approved"
    assert event["message"] == f"{NEW_MOVIE.title} was approved."
    assert event["timestamp"]

    page = notifications(http, user)
    assert page["unreadCount"] == 1
    [stored] = page["items"]
    assert stored["kind"] == "request_status"
    assert (stored["title"], stored["message"]) == (event["title"], event["message"])
    assert stored["isRead"] is False
    assert stored["data"]["requestId"] == request["id"]
    # Nobody else was told.
    assert all(
        item["data"].get("requestId") != request["id"]
        for item in notifications(http, portal.admin, limit=100)["items"]
    )


def test_a_decline_says_why_and_overseerr_news_arrives_once(
    portal: Portal, http: httpx.Client, overseerr: FakeOverseerr
) -> None:
    user = portal.new_user(http)
    admin = portal.admin.bearer
    declined = request_film(http, user, FURIOSA.tmdb_id)
    reason = "Already on the shelf downstairs."
    assert_ok(
        http.post(
            f"/api/v1/admin/requests/{declined['id']}/decline",
            json={"reason": reason},
            headers=admin,
        )
    )
    film = request_film(http, user, NEW_MOVIE.tmdb_id)
    approved = approve(http, portal.admin, film["id"])

    overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
    for _ in range(2):  # Overseerr may send the same news twice
        sent = overseerr.send_webhook(
            f"{http.base_url}/api/v1/webhooks/overseerr",
            "MEDIA_AVAILABLE",
            approved["overseerrRequestId"],
            authorization=WEBHOOK_SECRET,
        )
        assert_ok(sent)

    page = notifications(http, user)
    assert titles(page) == ["Now available", "Request approved", "Request declined"]
    assert page["unreadCount"] == 3
    available, _, decline = page["items"]
    assert decline["severity"] == "warning"
    assert decline["message"] == f"{FURIOSA.title} was declined. Reason: {reason}"
    assert decline["data"]["reason"] == reason
    assert available["severity"] == "success"
    assert available["message"] == f"{NEW_MOVIE.title} is now available in Plex."
    assert available["data"] == {
        "requestId": film["id"],
        "status": "available",
        "mediaTitle": NEW_MOVIE.title,
    }


# ---------------------------------------------------------------------- downloads


async def test_finished_and_failed_downloads_notify_their_owner(
    portal: Portal, http: httpx.Client, videos: FakeVideoSite
) -> None:
    user = portal.new_user(http)
    async with listening(portal.server, "/authenticated", token=user.token) as socket:
        good = queue_download(http, user, videos.media_url("small.mp4"))
        assert wait_until_finished(http, user, good["id"])["status"] == "completed"
        finished = await next_notification(socket)
        bad = queue_download(http, user, videos.media_url("missing.mp4"))
        failed_row = wait_until_finished(http, user, bad["id"])
        assert failed_row["status"] == "failed"
        failed = await next_notification(socket)

    assert (finished["type"], finished["title"]) == ("success", "Download finished")
    assert (failed["type"], failed["title"]) == ("error", "Download failed")

    page = notifications(http, user)
    assert page["unreadCount"] == 2
    failure, success = page["items"]
    assert success["kind"] == "download_completed"
    assert success["data"]["downloadId"] == good["id"]
    assert success["data"]["files"]
    assert failure["kind"] == "download_failed"
    assert failure["data"]["downloadId"] == bad["id"]
    assert success["link"] == failure["link"] == "/youtube", "the web app's queue"
    assert bad["url"] in failure["message"]
    # Someone else's downloads tell the admin nothing in their notifications.
    assert all(
        item["data"].get("downloadId") not in {good["id"], bad["id"]}
        for item in notifications(http, portal.admin, limit=100)["items"]
    )


# ---------------------------------------------------------------------- reading


def test_marking_read_one_by_one_and_all_at_once(portal: Portal, http: httpx.Client) -> None:
    user = portal.new_user(http)
    for n in range(3):
        sent = broadcast(http, portal.admin, title=f"Note {n}", message="Hi.", userIds=[user.id])
        assert assert_ok(sent, status=201) == {"recipients": 1}
    page = notifications(http, user)
    assert (page["unreadCount"], page["pagination"]["totalItems"]) == (3, 3)
    newest = page["items"][0]

    read = assert_ok(
        http.post(f"/api/v1/dashboard/notifications/{newest['id']}/read", headers=user.bearer)
    )
    assert read["isRead"] is True
    assert read["readAt"]
    again = assert_ok(
        http.post(f"/api/v1/dashboard/notifications/{newest['id']}/read", headers=user.bearer)
    )
    assert again["readAt"] == read["readAt"]
    assert notifications(http, user)["unreadCount"] == 2
    unread = notifications(http, user, unread="true")
    assert titles(unread) == ["Note 1", "Note 0"]
    assert unread["pagination"]["totalItems"] == 2

    marked = assert_ok(http.post("/api/v1/dashboard/notifications/read-all", headers=user.bearer))
    assert marked == {"marked": 2}
    after = notifications(http, user)
    assert after["unreadCount"] == 0
    assert all(item["isRead"] for item in after["items"])
    assert notifications(http, user, unread="true")["items"] == []
    nothing_left = http.post("/api/v1/dashboard/notifications/read-all", headers=user.bearer)
    assert assert_ok(nothing_left) == {"marked": 0}


def test_pages_hold_the_newest_first(portal: Portal, http: httpx.Client) -> None:
    user = portal.new_user(http)
    for n in range(3):
        broadcast(http, portal.admin, title=f"Page {n}", message="Hi.", userIds=[user.id])
    first = notifications(http, user, limit=2)
    second = notifications(http, user, limit=2, page=2)
    assert titles(first) == ["Page 2", "Page 1"]
    assert titles(second) == ["Page 0"]
    assert first["pagination"]["totalPages"] == 2
    assert second["unreadCount"] == 3


def test_a_user_can_remove_a_notification(portal: Portal, http: httpx.Client) -> None:
    user = portal.new_user(http)
    broadcast(http, portal.admin, title="Bye", message="Soon gone.", userIds=[user.id])
    [item] = notifications(http, user)["items"]
    path = f"/api/v1/dashboard/notifications/{item['id']}"
    assert assert_ok(http.delete(path, headers=user.bearer)) is None
    assert notifications(http, user)["items"] == []
    assert_error(http.delete(path, headers=user.bearer), status=404, code="NOT_FOUND")


def test_another_users_notification_is_not_found(portal: Portal, http: httpx.Client) -> None:
    owner, other = portal.new_user(http), portal.new_user(http)
    broadcast(http, portal.admin, title="Private", message="For the owner.", userIds=[owner.id])
    [item] = notifications(http, owner)["items"]
    path = f"/api/v1/dashboard/notifications/{item['id']}"

    assert_error(http.post(f"{path}/read", headers=other.bearer), status=404, code="NOT_FOUND")
    assert_error(http.delete(path, headers=other.bearer), status=404, code="NOT_FOUND")
    assert notifications(http, other)["items"] == []
    unknown = f"/api/v1/dashboard/notifications/{uuid.uuid4()}/read"
    assert_error(http.post(unknown, headers=owner.bearer), status=404, code="NOT_FOUND")
    bad_id = http.post("/api/v1/dashboard/notifications/not-an-id/read", headers=owner.bearer)
    assert_error(bad_id, status=400, code="VALIDATION_ERROR")
    assert notifications(http, owner)["unreadCount"] == 1  # nothing marked it read


def test_notifications_need_sign_in(portal: Portal) -> None:
    with portal.server.client() as anonymous:
        response = anonymous.get("/api/v1/dashboard/notifications")
    assert_error(response, status=401, code="UNAUTHORIZED")


# ---------------------------------------------------------------------- broadcasts


async def test_a_broadcast_reaches_every_user(portal: Portal, http: httpx.Client) -> None:
    first, second = portal.new_user(http), portal.new_user(http)
    everyone = count_users(http, portal.admin)

    async with listening(portal.server, "/system", token=second.token) as socket:
        sent = broadcast(
            http, portal.admin, title="Maintenance", message="Down at 22:00.", severity="warning"
        )
        event = await next_notification(socket)

    assert assert_ok(sent, status=201) == {"recipients": everyone}
    assert (event["type"], event["title"], event["message"]) == (
        "warning",
        "Maintenance",
        "Down at 22:00.",
    )
    for account in (first, second, portal.admin):
        [latest, *_] = notifications(http, account)["items"]
        assert (latest["kind"], latest["title"], latest["severity"]) == (
            "broadcast",
            "Maintenance",
            "warning",
        )
    [entry, *_] = audit_entries(http, portal.admin, "notifications.broadcast")
    assert entry["details"]["recipients"] == everyone


async def test_a_broadcast_to_named_users_reaches_only_them(
    portal: Portal, http: httpx.Client
) -> None:
    named, left_out = portal.new_user(http), portal.new_user(http)
    async with listening(portal.server, "/authenticated", token=named.token) as socket:
        sent = broadcast(http, portal.admin, title="Just you", message="Hello.", userIds=[named.id])
        event = await next_notification(socket)
    assert assert_ok(sent, status=201) == {"recipients": 1}
    assert event["title"] == "Just you"
    assert titles(notifications(http, named)) == ["Just you"]
    assert notifications(http, left_out)["items"] == []


def test_only_admins_broadcast(portal: Portal, http: httpx.Client) -> None:
    user = portal.new_user(http)
    assert_error(broadcast(http, user, title="Hi", message="All"), status=403, code="FORBIDDEN")
    assert notifications(http, user)["items"] == []
    with portal.server.client() as anonymous:  # no cookies from signing anyone in
        response = anonymous.post(
            "/api/v1/admin/notifications", json={"title": "x", "message": "y"}
        )
    assert_error(response, status=401, code="UNAUTHORIZED")


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "message": "Empty title"},
        {"title": "No message"},
        {"title": "Loud", "message": "x", "severity": "shouting"},
        {"title": "Nobody", "message": "x", "userIds": []},
        {"title": "Bad id", "message": "x", "userIds": ["not-a-uuid"]},
        {"title": "x" * 201, "message": "Too long a title"},
    ],
)
def test_a_bad_broadcast_is_refused_and_sends_nothing(
    portal: Portal, http: httpx.Client, body: dict[str, Any]
) -> None:
    user = portal.new_user(http)
    assert_error(broadcast(http, portal.admin, **body), status=400, code="VALIDATION_ERROR")
    assert notifications(http, user)["items"] == []


def test_a_broadcast_to_an_unknown_user_sends_nothing(portal: Portal, http: httpx.Client) -> None:
    user = portal.new_user(http)
    stranger = str(uuid.uuid4())
    response = broadcast(http, portal.admin, title="Hi", message="x", userIds=[user.id, stranger])
    body = assert_error(response, status=400, code="VALIDATION_ERROR")
    assert stranger in str(body["error"]["details"])
    assert notifications(http, user)["items"] == []
