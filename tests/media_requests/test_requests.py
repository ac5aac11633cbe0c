"""Media requests end to end: a running MediaNest, the fake Overseerr, real HTTP."""

import threading
import time
from typing import Any

import httpx
import pytest

from tests.conftest import StartAppServer, StartServer
from tests.fakes.overseerr import (
    AVAILABLE_MOVIE,
    NEW_MOVIE,
    NEW_SHOW,
    OVERSEERR_FRIEND,
    PARTIAL_SHOW,
    REQUESTED_MOVIE,
    FakeOverseerr,
    MediaStatus,
    RequestStatus,
    assert_requests_follow_spec,
    overseerr_env,
)
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.envelope import assert_error, assert_ok
from tests.media_requests.conftest import WEBHOOK_SECRET, People

MOVIE = {"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id}


def request_media(http: httpx.Client, headers: dict[str, str], **body: Any) -> httpx.Response:
    """Request the new film, or whatever `body` names (with `mediaType`)."""
    payload = body if "mediaType" in body else {**MOVIE, **body}
    return http.post("/api/v1/media/request", json=payload, headers=headers)


def created(http: httpx.Client, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    data: dict[str, Any] = assert_ok(request_media(http, headers, **body), status=201)
    return data


def webhook_url(http: httpx.Client) -> str:
    return f"{http.base_url}/api/v1/webhooks/overseerr"


# ---------------------------------------------------------------------- search and details


def test_search_shows_what_plex_has_and_what_is_requested(
    http: httpx.Client, people: People
) -> None:
    found = assert_ok(
        http.get("/api/v1/media/search", params={"query": "e"}, headers=people.friend)
    )
    by_id = {(item["mediaType"], item["tmdbId"]): item for item in found["items"]}

    available = by_id["movie", AVAILABLE_MOVIE.tmdb_id]["availability"]
    assert available["plex"] == "available"
    requested = by_id["movie", REQUESTED_MOVIE.tmdb_id]["availability"]
    assert requested == {
        "plex": "pending",
        "requested": True,
        "requestedByMe": False,
        "myRequest": None,
    }
    fresh = by_id["movie", NEW_MOVIE.tmdb_id]
    assert fresh["availability"]["plex"] == "unknown"
    assert fresh["availability"]["requested"] is False
    assert fresh["posterUrl"] == f"/api/v1/images/tmdb/w342{NEW_MOVIE.poster_path}"

    mine = created(http, people.friend)
    again = assert_ok(
        http.get("/api/v1/media/search", params={"query": NEW_MOVIE.title}, headers=people.friend)
    )
    availability = again["items"][0]["availability"]
    assert availability["requestedByMe"] is True
    assert availability["myRequest"]["id"] == mine["id"]
    # Someone else sees it requested, but not by them.
    other = assert_ok(
        http.get(
            "/api/v1/media/search",
            params={"query": NEW_MOVIE.title},
            headers=people.stranger.bearer,
        )
    )["items"][0]["availability"]
    assert (other["requested"], other["requestedByMe"]) == (True, False)


def test_search_filters_by_type(http: httpx.Client, people: People) -> None:
    shows = assert_ok(
        http.get("/api/v1/media/search", params={"query": "e", "type": "tv"}, headers=people.friend)
    )
    assert shows["items"]
    assert {item["mediaType"] for item in shows["items"]} == {"tv"}


def test_show_details_list_each_season_with_its_availability(
    http: httpx.Client, people: People
) -> None:
    show = assert_ok(http.get(f"/api/v1/media/tv/{PARTIAL_SHOW.tmdb_id}", headers=people.friend))
    assert show["title"] == PARTIAL_SHOW.title
    assert show["availability"]["plex"] == "partially_available"
    seasons = {season["seasonNumber"]: season["availability"] for season in show["seasons"]}
    assert seasons[1] == seasons[2] == "available"
    assert seasons[3] == "unknown"


@pytest.mark.parametrize("path", ["/api/v1/media/movie/999999", "/api/v1/media/tv/999999"])
def test_an_unknown_title_is_invalid_media_id(
    http: httpx.Client, people: People, path: str
) -> None:
    assert_error(http.get(path, headers=people.friend), status=400, code="INVALID_MEDIA_ID")


@pytest.mark.parametrize(
    "path", ["/api/v1/media/film/1", "/api/v1/media/movie/0", "/api/v1/media/movie/abc"]
)
def test_a_malformed_title_path_is_a_validation_error(
    http: httpx.Client, people: People, path: str
) -> None:
    assert_error(http.get(path, headers=people.friend), status=400, code="VALIDATION_ERROR")


# ---------------------------------------------------------------------- requesting


def test_a_friend_requests_a_film_as_themselves_in_overseerr(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.friend, comment="For movie night, please!")

    assert request["status"] == "pending"
    assert request["title"] == NEW_MOVIE.title
    assert request["overseerrRequestId"] is not None
    assert [(h["fromStatus"], h["toStatus"], h["source"]) for h in request["history"]] == [
        (None, "pending", "user")
    ]
    made = overseerr.request_by_id(request["overseerrRequestId"])
    assert made["requestedBy"]["id"] == OVERSEERR_FRIEND.id
    assert made["status"] == RequestStatus.PENDING
    calls = [call for call in overseerr.api_calls if call.method == "POST"]
    assert calls[-1].headers.get("x-api-user") == str(OVERSEERR_FRIEND.id)

    comments = assert_ok(
        http.get(f"/api/v1/media/requests/{request['id']}/comments", headers=people.friend)
    )
    assert [comment["body"] for comment in comments] == ["For movie night, please!"]
    assert_requests_follow_spec(overseerr)


def test_the_same_title_twice_is_a_conflict(http: httpx.Client, people: People) -> None:
    created(http, people.friend)
    again = request_media(http, people.friend)
    assert_error(again, status=409, code="CONFLICT")


def test_two_identical_requests_at_once_make_one_request(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    answers: list[httpx.Response] = []
    start = threading.Barrier(2)

    def post() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=15) as client:
            start.wait()
            answers.append(request_media(client, people.stranger.bearer))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [201, 409]
    mine = assert_ok(http.get("/api/v1/media/requests", headers=people.stranger.bearer))
    assert mine["pagination"]["totalItems"] == 1


def test_a_show_is_requested_by_season(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(
        http, people.friend, mediaType="tv", tmdbId=NEW_SHOW.tmdb_id, seasons=[2, 1, 2]
    )
    assert request["seasons"] == [1, 2]
    body = overseerr.api_calls[-1].payload
    assert body["seasons"] == [1, 2]

    in_plex = request_media(
        http, people.friend, mediaType="tv", tmdbId=PARTIAL_SHOW.tmdb_id, seasons=[1, 2]
    )
    assert_error(in_plex, status=409, code="CONFLICT")
    unknown = request_media(
        http, people.friend, mediaType="tv", tmdbId=PARTIAL_SHOW.tmdb_id, seasons=[9]
    )
    assert (
        "no season 9"
        in assert_error(unknown, status=400, code="VALIDATION_ERROR")["error"]["message"]
    )
    missing = created(http, people.friend, mediaType="tv", tmdbId=PARTIAL_SHOW.tmdb_id, seasons=[3])
    assert missing["status"] == "pending"


def test_a_film_already_in_plex_cannot_be_requested(http: httpx.Client, people: People) -> None:
    response = request_media(http, people.friend, mediaType="movie", tmdbId=AVAILABLE_MOVIE.tmdb_id)
    assert (
        "already available"
        in assert_error(response, status=409, code="CONFLICT")["error"]["message"]
    )


@pytest.mark.parametrize(
    "body",
    [
        {"mediaType": "movie", "tmdbId": 999_999},
        {"mediaType": "tv", "tmdbId": 999_999},
    ],
)
def test_an_unknown_tmdb_id_is_refused(
    http: httpx.Client, people: People, body: dict[str, Any]
) -> None:
    assert_error(request_media(http, people.friend, **body), status=400, code="INVALID_MEDIA_ID")
    assert assert_ok(http.get("/api/v1/media/requests", headers=people.friend))["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"mediaType": "book", "tmdbId": 1},
        {"mediaType": "movie", "tmdbId": -1},
        {"mediaType": "movie", "tmdbId": "x"},
        {"mediaType": "movie", "tmdbId": 1, "seasons": [1]},
        {"mediaType": "movie", "tmdbId": 1, "comment": "x" * 2001},
        {"mediaType": "movie"},
    ],
)
def test_a_malformed_request_is_a_validation_error(
    http: httpx.Client, people: People, body: dict[str, Any]
) -> None:
    response = request_media(http, people.friend, **body)
    assert_error(response, status=400, code="VALIDATION_ERROR")


def test_a_user_without_an_overseerr_account_waits_for_the_admin(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.stranger.bearer)
    assert request["status"] == "pending"
    assert request["overseerrRequestId"] is None
    assert overseerr.requests_made == []

    approved = assert_ok(
        http.post(f"/api/v1/admin/requests/{request['id']}/approve", headers=people.admin.bearer)
    )
    assert approved["status"] in {"approved", "processing"}
    assert approved["overseerrRequestId"] is not None
    assert len(overseerr.requests_made) == 1
    assert_requests_follow_spec(overseerr)


# ---------------------------------------------------------------------- the admin decides


def test_the_admin_approves_one_and_declines_another_with_a_reason(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    film = created(http, people.friend)
    show = created(http, people.friend, mediaType="tv", tmdbId=NEW_SHOW.tmdb_id, seasons=[1, 2])

    approved = assert_ok(
        http.post(f"/api/v1/admin/requests/{film['id']}/approve", headers=people.admin.bearer)
    )
    declined = assert_ok(
        http.post(
            f"/api/v1/admin/requests/{show['id']}/decline",
            json={"reason": "Not on any service we use yet"},
            headers=people.admin.bearer,
        )
    )

    assert approved["status"] in {"approved", "processing"}
    assert overseerr.request_by_id(film["overseerrRequestId"])["status"] == RequestStatus.APPROVED
    assert declined["status"] == "declined"
    assert overseerr.request_by_id(show["overseerrRequestId"])["status"] == RequestStatus.DECLINED

    # The requester sees the reason and who decided.
    seen = assert_ok(http.get(f"/api/v1/media/requests/{show['id']}", headers=people.friend))
    assert seen["declineReason"] == "Not on any service we use yet"
    last = seen["history"][-1]
    assert (last["toStatus"], last["source"], last["actorId"]) == (
        "declined",
        "admin",
        people.admin.id,
    )

    audit = assert_ok(
        http.get("/api/v1/admin/audit-logs", params={"limit": 10}, headers=people.admin.bearer)
    )
    actions = [entry["action"] for entry in audit["items"]]
    assert "requests.approved" in actions
    assert "requests.declined" in actions

    again = http.post(f"/api/v1/admin/requests/{film['id']}/approve", headers=people.admin.bearer)
    assert_error(again, status=409, code="CONFLICT")
    assert_requests_follow_spec(overseerr)


def test_only_admins_decide(http: httpx.Client, people: People) -> None:
    request = created(http, people.friend)
    for path in (f"/api/v1/admin/requests/{request['id']}/approve", "/api/v1/admin/requests"):
        method = http.post if path.endswith("approve") else http.get
        assert_error(method(path, headers=people.friend), status=403, code="FORBIDDEN")


def test_a_decline_needs_a_reason(http: httpx.Client, people: People) -> None:
    request = created(http, people.friend)
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = http.post(
            f"/api/v1/admin/requests/{request['id']}/decline",
            json=body,
            headers=people.admin.bearer,
        )
        assert_error(response, status=400, code="VALIDATION_ERROR")


def test_requests_are_private_to_their_requester_and_admins(
    http: httpx.Client, people: People
) -> None:
    request = created(http, people.friend)
    path = f"/api/v1/media/requests/{request['id']}"
    assert_error(http.get(path, headers=people.stranger.bearer), status=404, code="NOT_FOUND")
    assert_error(
        http.get(f"{path}/comments", headers=people.stranger.bearer), status=404, code="NOT_FOUND"
    )
    assert_error(
        http.post(f"{path}/comments", json={"body": "hi"}, headers=people.stranger.bearer),
        status=404,
        code="NOT_FOUND",
    )
    assert assert_ok(http.get(path, headers=people.admin.bearer))["id"] == request["id"]
    everyone = assert_ok(http.get("/api/v1/admin/requests", headers=people.admin.bearer))
    assert request["id"] in [item["id"] for item in everyone["items"]]
    mine = assert_ok(http.get("/api/v1/media/requests", headers=people.stranger.bearer))
    assert mine["items"] == []


def test_requester_and_admin_talk_in_the_comment_thread(http: httpx.Client, people: People) -> None:
    request = created(http, people.friend)
    path = f"/api/v1/media/requests/{request['id']}/comments"
    assert_ok(http.post(path, json={"body": "Any news?"}, headers=people.friend), status=201)
    assert_ok(http.post(path, json={"body": "Next week."}, headers=people.admin.bearer), status=201)
    thread = assert_ok(http.get(path, headers=people.friend))
    assert [(c["body"], c["author"]["id"] == people.admin.id) for c in thread] == [
        ("Any news?", False),
        ("Next week.", True),
    ]
    blank = http.post(path, json={"body": "  "}, headers=people.friend)
    assert_error(blank, status=400, code="VALIDATION_ERROR")


def test_lists_filter_and_page(http: httpx.Client, people: People) -> None:
    created(http, people.friend)
    show = created(http, people.friend, mediaType="tv", tmdbId=NEW_SHOW.tmdb_id)
    http.post(
        f"/api/v1/admin/requests/{show['id']}/decline",
        json={"reason": "no"},
        headers=people.admin.bearer,
    )
    pending = assert_ok(
        http.get("/api/v1/media/requests", params={"status": "pending"}, headers=people.friend)
    )
    assert [item["mediaType"] for item in pending["items"]] == ["movie"]
    shows = assert_ok(
        http.get("/api/v1/media/requests", params={"mediaType": "tv"}, headers=people.friend)
    )
    assert [item["status"] for item in shows["items"]] == ["declined"]
    paged = assert_ok(
        http.get(
            "/api/v1/media/requests",
            params={"limit": 1, "page": 2, "sort": "createdAt"},
            headers=people.friend,
        )
    )
    assert paged["pagination"]["totalItems"] == 2
    assert paged["items"][0]["id"] == show["id"]
    bad = http.get("/api/v1/media/requests", params={"status": "lost"}, headers=people.friend)
    assert_error(bad, status=400, code="VALIDATION_ERROR")


def test_withdrawing_a_pending_request_removes_it_in_overseerr_too(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.friend)
    response = http.delete(f"/api/v1/media/requests/{request['id']}", headers=people.friend)
    assert response.status_code == 204
    with pytest.raises(KeyError):
        overseerr.request_by_id(request["overseerrRequestId"])
    gone = http.get(f"/api/v1/media/requests/{request['id']}", headers=people.friend)
    assert_error(gone, status=404, code="NOT_FOUND")


def test_an_approved_request_is_only_removed_by_an_admin(
    http: httpx.Client, people: People
) -> None:
    request = created(http, people.friend)
    http.post(f"/api/v1/admin/requests/{request['id']}/approve", headers=people.admin.bearer)
    path = f"/api/v1/media/requests/{request['id']}"
    assert_error(http.delete(path, headers=people.friend), status=409, code="CONFLICT")
    assert http.delete(path, headers=people.admin.bearer).status_code == 204
    audit = assert_ok(
        http.get(
            "/api/v1/admin/audit-logs",
            params={"action": "requests.deleted"},
            headers=people.admin.bearer,
        )
    )
    assert audit["items"][0]["details"]["title"] == NEW_MOVIE.title


# ---------------------------------------------------------------------- the webhook


def test_the_webhook_turns_a_request_available_once(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.friend)
    http.post(f"/api/v1/admin/requests/{request['id']}/approve", headers=people.admin.bearer)
    overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)

    url = webhook_url(http)
    first = overseerr.send_webhook(
        url, "MEDIA_AVAILABLE", request["overseerrRequestId"], authorization=WEBHOOK_SECRET
    )
    second = overseerr.send_webhook(
        url, "MEDIA_AVAILABLE", request["overseerrRequestId"], authorization=WEBHOOK_SECRET
    )
    assert assert_ok(first)["updated"] == 1
    assert assert_ok(second)["updated"] == 0

    seen = assert_ok(http.get(f"/api/v1/media/requests/{request['id']}", headers=people.friend))
    assert seen["status"] == "available"
    webhook_changes = [h for h in seen["history"] if h["source"] == "webhook"]
    assert [h["toStatus"] for h in webhook_changes] == ["available"]


@pytest.mark.parametrize(
    ("notification", "status"),
    [
        ("MEDIA_APPROVED", "approved"),
        ("MEDIA_AUTO_APPROVED", "approved"),
        ("MEDIA_DECLINED", "declined"),
        ("MEDIA_FAILED", "failed"),
        ("MEDIA_PENDING", "pending"),
    ],
)
def test_each_media_notification_sets_its_status(
    http: httpx.Client,
    people: People,
    overseerr: FakeOverseerr,
    notification: str,
    status: str,
) -> None:
    request = created(http, people.friend)
    response = overseerr.send_webhook(
        webhook_url(http),
        notification,
        request["overseerrRequestId"],
        authorization=WEBHOOK_SECRET,
    )
    assert assert_ok(response)["handled"] is True
    seen = assert_ok(http.get(f"/api/v1/media/requests/{request['id']}", headers=people.friend))
    assert seen["status"] == status


def test_a_late_notification_never_moves_a_request_back(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.friend)
    url, rid = webhook_url(http), request["overseerrRequestId"]
    overseerr.send_webhook(url, "MEDIA_AVAILABLE", rid, authorization=WEBHOOK_SECRET)
    late = overseerr.send_webhook(url, "MEDIA_APPROVED", rid, authorization=WEBHOOK_SECRET)
    assert assert_ok(late)["updated"] == 0
    seen = assert_ok(http.get(f"/api/v1/media/requests/{request['id']}", headers=people.friend))
    assert seen["status"] == "available"


def test_test_and_unknown_notifications_are_accepted_and_ignored(
    http: httpx.Client, overseerr: FakeOverseerr
) -> None:
    test = overseerr.send_test_webhook(webhook_url(http), authorization=WEBHOOK_SECRET)
    assert assert_ok(test) == {
        "handled": False,
        "notificationType": "TEST_NOTIFICATION",
        "updated": 0,
    }
    unknown = http.post(
        "/api/v1/webhooks/overseerr",
        json={"notification_type": "SOMETHING_NEW", "media": None, "request": None},
        headers={"Authorization": WEBHOOK_SECRET},
    )
    assert assert_ok(unknown)["handled"] is False


@pytest.mark.parametrize("authorization", [None, "", "Bearer wrong", WEBHOOK_SECRET + "x"])
def test_the_webhook_refuses_a_wrong_secret(
    http: httpx.Client, overseerr: FakeOverseerr, authorization: str | None
) -> None:
    response = overseerr.send_test_webhook(webhook_url(http), authorization=authorization)
    assert_error(response, status=401, code="UNAUTHORIZED")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"notification_type": 5}', b'{"media": null}', b'"text"'],
)
def test_a_malformed_webhook_is_a_validation_error(http: httpx.Client, content: bytes) -> None:
    response = http.post(
        "/api/v1/webhooks/overseerr",
        content=content,
        headers={"Authorization": WEBHOOK_SECRET, "Content-Type": "application/json"},
    )
    assert_error(response, status=400, code="VALIDATION_ERROR")


# ---------------------------------------------------------------------- healing and outages


def test_reconciliation_heals_a_missed_webhook(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    request = created(http, people.friend)
    http.post(f"/api/v1/admin/requests/{request['id']}/approve", headers=people.admin.bearer)
    overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)  # no webhook

    healed = assert_ok(http.post("/api/v1/admin/requests/reconcile", headers=people.admin.bearer))
    assert healed["updated"] == 1
    seen = assert_ok(http.get(f"/api/v1/media/requests/{request['id']}", headers=people.friend))
    assert seen["status"] == "available"
    assert seen["history"][-1]["source"] == "reconciliation"


def test_overseerr_down_answers_503_and_records_nothing(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    with overseerr.down():
        search = http.get("/api/v1/media/search", params={"query": "x"}, headers=people.friend)
        request = request_media(http, people.friend)
        health = assert_ok(http.get("/api/v1/health", headers=people.admin.bearer))
    assert_error(search, status=503, code="OVERSEERR_UNREACHABLE")
    assert_error(request, status=503, code="OVERSEERR_UNREACHABLE")
    assert health["services"]["overseerr"]["status"] == "down"
    assert assert_ok(http.get("/api/v1/media/requests", headers=people.friend))["items"] == []


def test_a_refused_api_key_is_a_configuration_error(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    with overseerr.unauthorized():
        response = http.get("/api/v1/media/search", params={"query": "x"}, headers=people.friend)
    body = assert_error(response, status=502, code="OVERSEERR_AUTH_FAILED")
    assert "OVERSEERR_API_KEY" in body["error"]["message"]


def test_health_reports_overseerr(http: httpx.Client, people: People) -> None:
    health = assert_ok(http.get("/api/v1/health", headers=people.admin.bearer))
    assert health["services"]["overseerr"]["status"] == "up"


def test_the_periodic_job_heals_without_anyone_asking(
    make_server: StartServer, overseerr: FakeOverseerr
) -> None:
    live = make_server(OVERSEERR_SYNC_MINUTES="0.02", **overseerr_env(overseerr))
    with live.client() as http:
        admin = bootstrap_admin(http)
        request = created(http, admin.bearer)
        http.post(f"/api/v1/admin/requests/{request['id']}/approve", headers=admin.bearer)
        overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline and status != "available":
            time.sleep(0.3)
            seen = assert_ok(
                http.get(f"/api/v1/media/requests/{request['id']}", headers=admin.bearer)
            )
            status = seen["status"]
    assert status == "available"


def test_without_overseerr_requests_say_so(make_app_server: StartAppServer) -> None:
    live = make_app_server()
    with live.client() as http:
        admin = bootstrap_admin(http)
        search = http.get("/api/v1/media/search", params={"query": "x"}, headers=admin.bearer)
        health = assert_ok(http.get("/api/v1/health"))
    assert_error(search, status=503, code="OVERSEERR_NOT_CONFIGURED")
    assert health["services"]["overseerr"]["status"] == "not_configured"


def test_the_request_quota_is_readable_before_the_first_request(
    make_app_server: StartAppServer, overseerr: FakeOverseerr
) -> None:
    live = make_app_server(RATE_LIMIT_MEDIA_REQUESTS="2/hour", **overseerr_env(overseerr))
    with live.client() as http:
        admin = bootstrap_admin(http)
        before = assert_ok(http.get("/api/v1/media/request/quota", headers=admin.bearer))
        again = assert_ok(http.get("/api/v1/media/request/quota", headers=admin.bearer))
        spent = created(http, admin.bearer)
        after = assert_ok(http.get("/api/v1/media/request/quota", headers=admin.bearer))
    assert spent
    assert (before["limit"], before["remaining"]) == (2, 2)
    assert again["remaining"] == 2  # reading it spends nothing
    assert (after["limit"], after["remaining"]) == (2, 1)
    assert after["resetAt"] > time.time()


def test_requests_are_limited_per_user(
    make_app_server: StartAppServer, overseerr: FakeOverseerr
) -> None:
    live = make_app_server(RATE_LIMIT_MEDIA_REQUESTS="1/hour", **overseerr_env(overseerr))
    with live.client() as http:
        admin = bootstrap_admin(http)
        created(http, admin.bearer)
        limited = request_media(http, admin.bearer, mediaType="tv", tmdbId=NEW_SHOW.tmdb_id)
    body = assert_error(limited, status=429, code="RATE_LIMIT_EXCEEDED")
    assert body["error"]["details"]["retryAfter"] > 0
