"""Browsing the Plex server through a running MediaNest, the Plex server being the fake."""

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import StartAppServer
from tests.fakes.plex import ADMIN_TOKEN, MACHINE_ID, SERVER_NAME, SERVER_VERSION, FakePlexServer
from tests.fixtures.accounts import bootstrap_admin
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import LiveServer
from tests.library.conftest import PLEX_TIMEOUT


def test_server_information(user: httpx.Client) -> None:
    server = assert_ok(user.get("/api/v1/plex/server"))
    assert server == {
        "name": SERVER_NAME,
        "version": SERVER_VERSION,
        "platform": "Linux",
        "machineIdentifier": MACHINE_ID,
        "libraries": 3,
    }


def test_libraries_with_their_counts(user: httpx.Client) -> None:
    libraries = assert_ok(user.get("/api/v1/plex/libraries"))["libraries"]
    assert [(lib["key"], lib["title"], lib["type"], lib["count"]) for lib in libraries] == [
        ("1", "Movies", "movie", 30),
        ("2", "TV Shows", "show", 5),
        ("3", "YouTube", "movie", 0),
    ]


def test_library_items_are_paged_like_every_list(
    user: httpx.Client, plex_server: FakePlexServer
) -> None:
    first = assert_ok(user.get("/api/v1/plex/libraries/1/items", params={"limit": 12}))
    third = assert_ok(user.get("/api/v1/plex/libraries/1/items", params={"page": 3, "limit": 12}))

    assert first["pagination"] == {
        "page": 1,
        "limit": 12,
        "totalItems": 30,
        "totalPages": 3,
        "hasNext": True,
        "hasPrev": False,
        "totalExact": True,
    }
    assert len(first["items"]) == 12
    assert len(third["items"]) == 6
    assert third["pagination"]["hasNext"] is False
    keys = [item["ratingKey"] for item in first["items"] + third["items"]]
    assert len(set(keys)) == 18
    # Plex was asked for exactly that window, not for the whole library.
    windows = [
        (
            request.headers.get("x-plex-container-start"),
            request.headers.get("x-plex-container-size"),
        )
        for request in plex_server.requests
        if request.path == "/library/sections/1/all"
    ]
    assert ("24", "12") in windows


def test_items_carry_what_a_poster_grid_needs(user: httpx.Client) -> None:
    page = assert_ok(user.get("/api/v1/plex/libraries/1/items", params={"sort": "title"}))
    movie = page["items"][0]
    assert movie["type"] == "movie"
    assert movie["title"]
    assert isinstance(movie["year"], int)
    assert movie["durationMs"] > 0
    assert movie["summary"]
    assert movie["addedAt"].endswith("Z") or movie["addedAt"].endswith("+00:00")
    thumb = urlsplit(movie["thumbUrl"])
    assert thumb.path == "/api/v1/plex/image"
    assert parse_qs(thumb.query)["path"][0].startswith(f"/library/metadata/{movie['ratingKey']}/")


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("year:desc", "year", True), ("year", "year", False), ("addedAt:desc", "addedAt", True)],
)
def test_library_items_sort(user: httpx.Client, sort: str, key: str, reverse: bool) -> None:
    page = assert_ok(user.get("/api/v1/plex/libraries/1/items", params={"sort": sort}))
    values = [item[key] for item in page["items"]]
    assert values == sorted(values, reverse=reverse)
    assert len(set(values)) > 1


@pytest.mark.parametrize("sort", ["secret", "year:sideways", "title;drop", ""])
def test_an_unknown_sort_is_a_validation_error(user: httpx.Client, sort: str) -> None:
    response = user.get("/api/v1/plex/libraries/1/items", params={"sort": sort})
    body = assert_error(response, status=400, code="VALIDATION_ERROR")
    assert "addedAt" in str(body["error"]["details"])


@pytest.mark.parametrize("key", ["99", "abc", "1%2F..%2F..%2Fidentity"])
def test_an_unknown_library_is_not_found(user: httpx.Client, key: str) -> None:
    response = user.get(f"/api/v1/plex/libraries/{key}/items")
    assert_error(response, status=404, code="NOT_FOUND")


def test_search_finds_titles(user: httpx.Client) -> None:
    found = assert_ok(user.get("/api/v1/plex/search", params={"query": "batman", "limit": 10}))
    titles = [item["title"] for item in found["items"]]
    assert titles
    assert all("batman" in title.lower() for title in titles)
    nothing = assert_ok(user.get("/api/v1/plex/search", params={"query": "zzzqqq"}))
    assert nothing["items"] == []


@pytest.mark.parametrize(
    "params", [{}, {"query": ""}, {"query": "   "}, {"query": "a", "limit": 0}]
)
def test_search_needs_a_query(user: httpx.Client, params: dict[str, str | int]) -> None:
    response = user.get("/api/v1/plex/search", params=params)
    assert_error(response, status=400, code="VALIDATION_ERROR")


def test_recently_added_is_newest_first(user: httpx.Client) -> None:
    recent = assert_ok(user.get("/api/v1/plex/recently-added", params={"limit": 5}))["items"]
    assert len(recent) == 5
    added = [item["addedAt"] for item in recent]
    assert added == sorted(added, reverse=True)


def test_collections_and_their_items(user: httpx.Client) -> None:
    collections = assert_ok(user.get("/api/v1/plex/libraries/1/collections"))
    assert collections["pagination"]["totalItems"] == 1
    batman = collections["items"][0]
    assert batman["type"] == "collection"
    assert batman["childCount"] == 2

    detail = assert_ok(user.get(f"/api/v1/plex/collections/{batman['ratingKey']}"))
    assert detail["collection"]["title"] == batman["title"]
    assert [item["type"] for item in detail["items"]["items"]] == ["movie", "movie"]
    assert detail["items"]["pagination"]["totalItems"] == 2


def test_a_film_is_not_a_collection(user: httpx.Client) -> None:
    film = assert_ok(user.get("/api/v1/plex/libraries/1/items"))["items"][0]
    response = user.get(f"/api/v1/plex/collections/{film['ratingKey']}")
    assert_error(response, status=404, code="NOT_FOUND")


def test_images_come_through_the_proxy_without_the_token(
    user: httpx.Client, plex_server: FakePlexServer
) -> None:
    movie = assert_ok(user.get("/api/v1/plex/libraries/1/items"))["items"][0]
    image = user.get(movie["thumbUrl"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert "max-age" in image.headers["cache-control"]
    assert "private" in image.headers["cache-control"]

    again = user.get(movie["thumbUrl"], headers={"If-None-Match": image.headers["etag"]})
    assert again.status_code == 304

    transcodes = [
        request for request in plex_server.requests if request.path == "/photo/:/transcode"
    ]
    assert transcodes
    assert transcodes[-1].query["url"] == parse_qs(urlsplit(movie["thumbUrl"]).query)["path"][0]
    assert "X-Plex-Token" not in transcodes[-1].query
    assert transcodes[-1].headers["x-plex-token"] == ADMIN_TOKEN


@pytest.mark.parametrize(
    "path",
    [
        "http://169.254.169.254/latest/meta-data",
        "//evil.example/x.png",
        "/library/metadata/101/thumb/../../../identity",
        "/identity",
        "/library/metadata/101/thumb/1?X-Plex-Token=x",
        "/:/prefs",
        "/library/metadata/101/thumb\n",
        "/library/metadata/101/thumb/1700000000\n",
        "/library/metadata/\u0661\u0660\u0661/thumb",
        "/library/metadata/101/thumb/\uff11",
    ],
)
def test_the_image_proxy_refuses_anything_but_plex_image_paths(
    user: httpx.Client, plex_server: FakePlexServer, path: str
) -> None:
    response = user.get("/api/v1/plex/image", params={"path": path})
    assert_error(response, status=400, code="VALIDATION_ERROR")
    assert not [request for request in plex_server.requests if request.path != "/"]


def test_an_unknown_image_is_not_found(user: httpx.Client) -> None:
    response = user.get("/api/v1/plex/image", params={"path": "/library/metadata/999/thumb/1"})
    assert_error(response, status=404, code="NOT_FOUND")


def test_browsing_needs_a_signed_in_user(server: LiveServer) -> None:
    with server.client() as anonymous:
        for path in ("/api/v1/plex/server", "/api/v1/plex/libraries", "/api/v1/plex/image"):
            assert_error(anonymous.get(path), status=401, code="UNAUTHORIZED")


def test_the_admin_token_never_reaches_a_client(user: httpx.Client) -> None:
    seen: list[str] = []
    for path in (
        "/api/v1/plex/server",
        "/api/v1/plex/libraries",
        "/api/v1/plex/libraries/1/items?limit=100",
        "/api/v1/plex/libraries/2/items",
        "/api/v1/plex/search?query=the",
        "/api/v1/plex/recently-added",
        "/api/v1/plex/libraries/1/collections",
        "/api/v1/plex/collections/301",
        "/api/v1/health",
    ):
        response = user.get(path)
        assert response.status_code == 200, response.text
        seen.append(response.text + str(response.headers))
    assert not [text for text in seen if ADMIN_TOKEN in text]


def test_answers_are_cached_in_their_tier(user: httpx.Client, plex_server: FakePlexServer) -> None:
    first = user.get("/api/v1/plex/search", params={"query": "cache tier"})
    second = user.get("/api/v1/plex/search", params={"query": "cache tier"})
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.json() == first.json()
    assert first.headers["cache-control"] == "private, max-age=300"
    searches = [request for request in plex_server.requests if request.path == "/hubs/search"]
    assert len(searches) == 1

    server = user.get("/api/v1/plex/server")
    assert server.headers["cache-control"].startswith("private, max-age=")
    assert 3000 < int(server.headers["cache-control"].rsplit("=", 1)[1]) <= 3600


def test_plex_down_serves_what_is_cached_and_503_for_the_rest(
    user: httpx.Client, plex_server: FakePlexServer
) -> None:
    warm = assert_ok(user.get("/api/v1/plex/libraries"))
    with plex_server.down():
        started = time.monotonic()
        cached = user.get("/api/v1/plex/libraries")
        cold = user.get("/api/v1/plex/search", params={"query": "never asked before"})
        elapsed = time.monotonic() - started
    assert assert_ok(cached) == warm
    assert_error(cold, status=503, code="PLEX_UNREACHABLE")
    assert elapsed < PLEX_TIMEOUT * 4  # refused at once, never a hang


def test_a_slow_plex_answers_503_within_the_timeout(
    user: httpx.Client, plex_server: FakePlexServer
) -> None:
    with plex_server.slow(PLEX_TIMEOUT * 6):
        started = time.monotonic()
        response = user.get("/api/v1/plex/search", params={"query": "slow plex"})
        elapsed = time.monotonic() - started
    assert_error(response, status=503, code="PLEX_UNREACHABLE")
    assert elapsed < PLEX_TIMEOUT * 4


def test_a_rejected_admin_token_is_a_configuration_error(
    user: httpx.Client, plex_server: FakePlexServer
) -> None:
    with plex_server.unauthorized():
        response = user.get("/api/v1/plex/search", params={"query": "token rejected"})
    body = assert_error(response, status=502, code="PLEX_AUTH_FAILED")
    assert "PLEX_TOKEN" in body["error"]["message"]


def test_health_tells_plex_as_the_periodic_check_found_it(user: httpx.Client) -> None:
    deadline = time.monotonic() + 30
    plex = assert_ok(user.get("/api/v1/health"))["services"]["plex"]
    while plex["status"] == "unknown" and time.monotonic() < deadline:
        time.sleep(0.2)
        plex = assert_ok(user.get("/api/v1/health"))["services"]["plex"]
    assert plex["status"] == "up"
    assert plex["latencyMs"] >= 0
    assert plex["checkedAt"]


def test_without_a_plex_server_browsing_says_so(make_app_server: StartAppServer) -> None:
    live = make_app_server()
    with live.client() as http:
        admin = bootstrap_admin(http)
        response = http.get("/api/v1/plex/libraries", headers=admin.bearer)
        health = assert_ok(http.get("/api/v1/health"))
    body = assert_error(response, status=503, code="PLEX_NOT_CONFIGURED")
    assert "PLEX_URL" in body["error"]["message"]
    assert health["services"]["plex"]["status"] == "not_configured"
    assert health["status"] == "healthy"
