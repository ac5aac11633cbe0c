"""The whole story of issue 5, in one go, as its people live it."""

import httpx

from tests.fakes.overseerr import NEW_MOVIE, NEW_SHOW, FakeOverseerr, MediaStatus
from tests.fixtures.envelope import assert_ok
from tests.media_requests.conftest import WEBHOOK_SECRET, People


def test_search_request_decide_become_available_and_heal(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    friend, admin = people.friend, people.admin.bearer

    # The friend finds a film and a show, and asks for the film and two seasons.
    found = assert_ok(http.get("/api/v1/media/search", params={"query": "o"}, headers=friend))
    titles = {(item["mediaType"], item["tmdbId"]) for item in found["items"]}
    assert ("movie", NEW_MOVIE.tmdb_id) in titles
    film = assert_ok(
        http.post(
            "/api/v1/media/request",
            json={"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id, "comment": "Please!"},
            headers=friend,
        ),
        status=201,
    )
    show = assert_ok(
        http.post(
            "/api/v1/media/request",
            json={"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [1, 2]},
            headers=friend,
        ),
        status=201,
    )

    # The admin approves the film and declines the show, saying why.
    assert_ok(http.post(f"/api/v1/admin/requests/{film['id']}/approve", headers=admin))
    reason = "We only keep finished series; ask again when it has ended."
    assert_ok(
        http.post(
            f"/api/v1/admin/requests/{show['id']}/decline", json={"reason": reason}, headers=admin
        )
    )
    assert_ok(
        http.post(
            f"/api/v1/media/requests/{film['id']}/comments",
            json={"body": "Downloading tonight."},
            headers=admin,
        ),
        status=201,
    )

    # Radarr finishes; Overseerr tells MediaNest through its webhook.
    overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
    overseerr.send_webhook(
        f"{http.base_url}/api/v1/webhooks/overseerr",
        "MEDIA_AVAILABLE",
        film["overseerrRequestId"],
        authorization=WEBHOOK_SECRET,
    )

    mine = assert_ok(http.get("/api/v1/media/requests", headers=friend))["items"]
    by_id = {item["id"]: item for item in mine}
    assert by_id[film["id"]]["status"] == "available"
    assert by_id[show["id"]]["status"] == "declined"
    assert by_id[show["id"]]["declineReason"] == reason
    thread = assert_ok(http.get(f"/api/v1/media/requests/{film['id']}/comments", headers=friend))
    assert [comment["body"] for comment in thread] == ["Please!", "Downloading tonight."]

    # Later the friend asks again for the show; its webhook gets lost, reconciliation heals it.
    again = assert_ok(
        http.post(
            "/api/v1/media/request",
            json={"mediaType": "tv", "tmdbId": NEW_SHOW.tmdb_id, "seasons": [1]},
            headers=friend,
        ),
        status=201,
    )
    assert_ok(http.post(f"/api/v1/admin/requests/{again['id']}/approve", headers=admin))
    overseerr.set_media_status(NEW_SHOW.tmdb_id, "tv", MediaStatus.AVAILABLE)
    assert_ok(http.post("/api/v1/admin/requests/reconcile", headers=admin))
    healed = assert_ok(http.get(f"/api/v1/media/requests/{again['id']}", headers=friend))
    assert healed["status"] == "available"
    assert [change["source"] for change in healed["history"]][-1] == "reconciliation"
