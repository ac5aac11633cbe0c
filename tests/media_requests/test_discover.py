"""Discover rows end to end: a running MediaNest, the fake Overseerr's TMDB lists, real HTTP.

The module's server keeps one cache for all its tests: each test reads rows or pages the
others do not, so what it sees cached is what it cached itself.
"""

from typing import Any

import httpx
import pytest

from tests.fakes.overseerr import (
    AVAILABLE_SHOW,
    NEW_SHOW,
    PARTIAL_SHOW,
    REQUESTED_MOVIE,
    UPCOMING_MOVIE,
    UPCOMING_SHOW,
    FakeOverseerr,
    assert_requests_follow_spec,
)
from tests.fixtures.envelope import assert_error, assert_ok
from tests.media_requests.conftest import People

NOT_REQUESTED = {"requested": False, "requestedByMe": False, "myRequest": None}


def discover(
    http: httpx.Client, headers: dict[str, str], row: str, page: int = 1
) -> dict[str, Any]:
    data: dict[str, Any] = assert_ok(
        http.get(f"/api/v1/media/discover/{row}", params={"page": page}, headers=headers)
    )
    return data


def whole_row(http: httpx.Client, headers: dict[str, str], row: str) -> list[dict[str, Any]]:
    first = discover(http, headers, row)
    pages = [first] + [
        discover(http, headers, row, page) for page in range(2, first["totalPages"] + 1)
    ]
    return [item for page in pages for item in page["items"]]


def test_upcoming_rows_hold_what_is_still_to_come(http: httpx.Client, people: People) -> None:
    films = discover(http, people.friend, "movies-upcoming")
    shows = discover(http, people.friend, "tv-upcoming")
    assert [(i["mediaType"], i["tmdbId"]) for i in films["items"]] == [
        ("movie", UPCOMING_MOVIE.tmdb_id)
    ]
    assert [(i["mediaType"], i["title"]) for i in shows["items"]] == [("tv", UPCOMING_SHOW.title)]
    assert films["items"][0]["availability"] == {**NOT_REQUESTED, "plex": "unknown"}


def test_trending_pages_through_films_and_shows_without_people(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    first = discover(http, people.friend, "trending")
    second = discover(http, people.friend, "trending", 2)
    assert (first["page"], second["page"]) == (1, 2)
    assert first["totalPages"] >= 2
    items = first["items"] + second["items"]
    assert {item["mediaType"] for item in items} == {"movie", "tv"}
    assert not {i["tmdbId"] for i in first["items"]} & {i["tmdbId"] for i in second["items"]}
    assert_requests_follow_spec(overseerr)


def test_popular_shows_say_what_plex_has_per_title(http: httpx.Client, people: People) -> None:
    shows = {item["tmdbId"]: item for item in whole_row(http, people.friend, "tv")}
    assert {item["mediaType"] for item in shows.values()} == {"tv"}
    assert shows[AVAILABLE_SHOW.tmdb_id]["availability"]["plex"] == "available"
    assert shows[PARTIAL_SHOW.tmdb_id]["availability"]["plex"] == "partially_available"
    assert shows[NEW_SHOW.tmdb_id]["availability"]["plex"] == "unknown"
    assert UPCOMING_SHOW.tmdb_id not in shows


def test_a_new_request_shows_at_once_as_mine_and_as_someone_elses(
    http: httpx.Client, people: People
) -> None:
    before = {i["tmdbId"]: i for i in whole_row(http, people.friend, "movies")}
    assert before[REQUESTED_MOVIE.tmdb_id]["availability"]["requested"] is True
    assert before[REQUESTED_MOVIE.tmdb_id]["availability"]["requestedByMe"] is False
    wanted = next(
        tmdb_id
        for tmdb_id, item in before.items()
        if item["availability"] == {**NOT_REQUESTED, "plex": "unknown"}
    )
    made = assert_ok(
        http.post(
            "/api/v1/media/request",
            json={"mediaType": "movie", "tmdbId": wanted},
            headers=people.stranger.bearer,
        ),
        status=201,
    )

    mine = {i["tmdbId"]: i for i in whole_row(http, people.stranger.bearer, "movies")}
    theirs = {i["tmdbId"]: i for i in whole_row(http, people.friend, "movies")}
    assert mine[wanted]["availability"]["requestedByMe"] is True
    assert mine[wanted]["availability"]["myRequest"]["id"] == made["id"]
    assert theirs[wanted]["availability"]["requested"] is True
    assert theirs[wanted]["availability"]["requestedByMe"] is False


def test_a_row_is_fetched_once_then_served_from_the_cache_even_when_overseerr_is_down(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    first = discover(http, people.friend, "trending", 3)
    again = discover(http, people.stranger.bearer, "trending", 3)
    with overseerr.down():
        while_down = discover(http, people.friend, "trending", 3)
    calls = [c for c in overseerr.api_calls if c.path == "/api/v1/discover/trending"]
    assert [call.query for call in calls] == [{"page": "3"}]
    titles = [item["title"] for item in first["items"]]
    assert [item["title"] for item in again["items"]] == titles
    assert [item["title"] for item in while_down["items"]] == titles


def test_overseerr_down_with_nothing_cached_is_503(
    http: httpx.Client, people: People, overseerr: FakeOverseerr
) -> None:
    with overseerr.down():
        response = http.get(
            "/api/v1/media/discover/tv-upcoming", params={"page": 7}, headers=people.friend
        )
    assert_error(response, status=503, code="OVERSEERR_UNREACHABLE")


@pytest.mark.parametrize(
    "path", ["/api/v1/media/discover/people", "/api/v1/media/discover/movies?page=0"]
)
def test_an_unknown_row_or_page_is_a_validation_error(
    http: httpx.Client, people: People, overseerr: FakeOverseerr, path: str
) -> None:
    assert_error(http.get(path, headers=people.friend), status=400, code="VALIDATION_ERROR")
    assert overseerr.api_calls == []


def test_discover_needs_a_signed_in_user(http: httpx.Client) -> None:
    response = http.get("/api/v1/media/discover/trending")
    assert_error(response, status=401, code="UNAUTHORIZED")
