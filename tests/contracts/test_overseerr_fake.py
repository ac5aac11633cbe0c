"""The Overseerr fake answers what a real Overseerr answers, and checks what it is sent.

Answers are validated against the response schemas of Overseerr's published API description
(tests/fakes/specs/overseerr-schemas.json, extracted by scripts/extract_overseerr_schemas.py);
what the fake received is checked against the request schemas by `assert_requests_follow_spec`;
webhooks are Overseerr's default template (tests/fakes/specs/) filled as its agent fills it.
"""

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes import spec_validation
from tests.fakes.overseerr import (
    AVAILABLE_MOVIE,
    AVAILABLE_SHOW,
    DEFAULT_TEMPLATE,
    NEW_MOVIE,
    NEW_SHOW,
    OVERSEERR_ADMIN,
    OVERSEERR_API_KEY,
    OVERSEERR_FRIEND,
    OVERSEERR_LOCAL,
    PARTIAL_SHOW,
    PENDING_REQUEST_ID,
    REQUESTED_MOVIE,
    SHOGUN,
    TEST_NOTIFICATION,
    UPCOMING_MOVIE,
    UPCOMING_SHOW,
    FakeOverseerr,
    MediaStatus,
    RequestStatus,
    WebhookNotification,
    assert_requests_follow_spec,
    overseerr_env,
    webhook_payload,
)
from tests.fakes.plex import PLEX_FRIEND, PLEX_OWNER, PLEX_STRANGER, FakeHttpServer

SCHEMA_FILE = spec_validation.SPECS / "overseerr-schemas.json"
SCHEMAS: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
TEMPLATE_FILE = spec_validation.SPECS / "overseerr-webhook-default-template.json"

# Where the published description contradicts what Overseerr really answers, the fake answers
# what Overseerr does and the schema is corrected here, visibly, one field at a time.
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}
ERRATA: dict[str, Any] = {
    # Plex users have no username of their own (displayName falls back to plexUsername),
    # local users no plexUsername: Overseerr's User entity gives null.
    "/$defs/User/properties/username": NULLABLE_STRING,
    "/$defs/User/properties/plexUsername": NULLABLE_STRING,
    # A request made without these options stores and answers null.
    "/$defs/MediaRequest/properties/serverId": NULLABLE_NUMBER,
    "/$defs/MediaRequest/properties/profileId": NULLABLE_NUMBER,
    "/$defs/MediaRequest/properties/rootFolder": NULLABLE_STRING,
    # TvResult requires nothing, so every movie also matches it and `oneOf` can never hold.
    "/$defs/PersonResult/properties/knownFor/items": {
        "anyOf": [{"$ref": "#/$defs/MovieResult"}, {"$ref": "#/$defs/TvResult"}]
    },
}


def validator(key: str) -> Draft202012Validator:
    """The response schema of `key` ("GET /api/v1/search") with the errata for the components
    it holds."""
    schema, _ = spec_validation.with_errata(SCHEMAS["responses"][key], ERRATA)
    return spec_validation.checked_validator(schema)


def assert_valid(key: str, payload: object) -> None:
    spec_validation.assert_follows(validator(key), payload)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def api(overseerr: FakeOverseerr) -> Iterator[httpx.Client]:
    """A client of the fake's API with its key, as MediaNest calls it."""
    headers = {"X-Api-Key": OVERSEERR_API_KEY}
    with httpx.Client(base_url=f"{overseerr.url}/api/v1", headers=headers, timeout=5) as client:
        yield client


class WebhookReceiver(FakeHttpServer):
    """Stands in for MediaNest's webhook endpoint: records the bodies posted to /webhook."""

    def __init__(self) -> None:
        self._bodies: list[bytes] = []
        super().__init__()

    @property
    def bodies(self) -> list[Any]:
        with self._lock:
            return [json.loads(body) for body in self._bodies]

    def _routes(self) -> list[Route]:
        return [Route("/webhook", self._receive, methods=["POST"])]

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        with self._lock:
            self._bodies.append(body)
        return Response(status_code=204)

    def _reset_state(self) -> None:
        self._bodies.clear()


@pytest.fixture(scope="module")
def receiver_server() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def receiver(receiver_server: WebhookReceiver) -> WebhookReceiver:
    receiver_server.reset()
    return receiver_server


# ---------------------------------------------------------------------------- answers vs schemas


@dataclass(frozen=True)
class Call:
    key: str  # the operation in overseerr-schemas.json
    path: str
    params: dict[str, str | int] = field(default_factory=dict)
    body: dict[str, Any] | None = None

    @property
    def method(self) -> str:
        return self.key.split(" ")[0]


MOVIES = (AVAILABLE_MOVIE, REQUESTED_MOVIE, NEW_MOVIE)
SHOWS = (AVAILABLE_SHOW, PARTIAL_SHOW, NEW_SHOW, SHOGUN)
CALLS = [
    Call("GET /api/v1/status", "/status"),
    Call("GET /api/v1/user", "/user"),
    Call("GET /api/v1/user", "/user", {"take": 1, "skip": 1, "sort": "displayname"}),
    *[
        Call("GET /api/v1/search", "/search", {"query": query, "page": 1, "language": "en"})
        for query in ("dune", "mad max", "villeneuve", "the", "nothing like this")
    ],
    Call("GET /api/v1/search", "/search", {"query": "e", "page": 2}),
    Call("GET /api/v1/discover/trending", "/discover/trending"),
    Call("GET /api/v1/discover/trending", "/discover/trending", {"page": 2, "language": "en"}),
    Call("GET /api/v1/discover/movies", "/discover/movies", {"page": 1}),
    Call("GET /api/v1/discover/movies", "/discover/movies", {"sortBy": "popularity.desc"}),
    Call("GET /api/v1/discover/movies/upcoming", "/discover/movies/upcoming", {"page": 1}),
    Call("GET /api/v1/discover/tv", "/discover/tv", {"page": 1}),
    Call("GET /api/v1/discover/tv/upcoming", "/discover/tv/upcoming", {"language": "en"}),
    *[Call("GET /api/v1/movie/{movieId}", f"/movie/{title.tmdb_id}") for title in MOVIES],
    *[Call("GET /api/v1/tv/{tvId}", f"/tv/{title.tmdb_id}") for title in SHOWS],
    Call("GET /api/v1/tv/{tvId}", f"/tv/{PARTIAL_SHOW.tmdb_id}", {"language": "en"}),
    Call("GET /api/v1/media", "/media"),
    Call("GET /api/v1/media", "/media", {"filter": "partial", "sort": "mediaAdded", "take": 5}),
    Call("GET /api/v1/request", "/request"),
    Call("GET /api/v1/request", "/request", {"filter": "pending", "requestedBy": 2, "take": 5}),
    Call("GET /api/v1/request/{requestId}", f"/request/{PENDING_REQUEST_ID}"),
    Call(
        "POST /api/v1/request",
        "/request",
        body={"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id, "userId": 2, "is4k": False},
    ),
    Call(
        "POST /api/v1/request",
        "/request",
        body={"mediaType": "tv", "mediaId": NEW_SHOW.tmdb_id, "seasons": [1, 2], "userId": 3},
    ),
    Call("POST /api/v1/request/{requestId}/{status}", f"/request/{PENDING_REQUEST_ID}/approve"),
    Call("POST /api/v1/request/{requestId}/{status}", f"/request/{PENDING_REQUEST_ID}/decline"),
]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path} {c.params}")
def test_answers_match_the_published_schema(
    overseerr: FakeOverseerr, api: httpx.Client, call: Call
) -> None:
    response = api.request(call.method, call.path, params=call.params, json=call.body)
    assert response.status_code == SCHEMAS["_source"]["endpoints"][call.key]["status"]
    assert response.headers["content-type"].startswith("application/json")
    assert_valid(call.key, response.json())
    assert_requests_follow_spec(overseerr)


def test_every_extracted_schema_is_exercised() -> None:
    assert {call.key for call in CALLS} == set(SCHEMAS["responses"])
    exercised = {call.key for call in CALLS} | {"DELETE /api/v1/request/{requestId}"}
    assert exercised == set(SCHEMAS["requests"])


def test_every_erratum_corrects_a_schema() -> None:
    applied = set()
    for schema in SCHEMAS["responses"].values():
        applied |= spec_validation.with_errata(schema, ERRATA)[1]
    assert applied == set(ERRATA)


def test_the_schemas_name_their_source_and_are_json_schema() -> None:
    source = SCHEMAS["_source"]
    assert source["repository"] == "https://github.com/sct/overseerr"
    assert source["file"] == "overseerr-api.yml"
    assert source["licence"].startswith("MIT")
    assert source["declared_openapi"].startswith("3.0")
    assert source["security_schemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
    }
    # OpenAPI 3.0's `nullable` was turned into JSON Schema's null type by the extraction.
    assert '"nullable"' not in SCHEMA_FILE.read_text(encoding="utf-8")
    for group in ("responses", "requests"):
        for schemas in SCHEMAS[group].values():
            for schema in schemas.values() if group == "requests" else [schemas]:
                if isinstance(schema, dict):
                    Draft202012Validator.check_schema(schema)


def test_the_committed_files_are_what_the_specs_hold() -> None:
    spec_validation.assert_extraction_is_current("scripts/extract_overseerr_schemas.py")


def test_a_broken_answer_fails_validation(api: httpx.Client) -> None:
    request = api.get(f"/request/{PENDING_REQUEST_ID}").json()
    with pytest.raises(ValidationError, match="'id' is a required property"):
        validator("GET /api/v1/request/{requestId}").validate(
            {name: value for name, value in request.items() if name != "id"}
        )
    with pytest.raises(ValidationError, match="is not of type 'number'"):
        validator("GET /api/v1/request/{requestId}").validate(request | {"status": "PENDING"})
    with pytest.raises(ValidationError, match="is not of type 'integer'"):
        validator("GET /api/v1/request/{requestId}").validate(
            request | {"requestedBy": request["requestedBy"] | {"id": "2"}}
        )
    movie = api.get(f"/movie/{REQUESTED_MOVIE.tmdb_id}").json()
    movie["mediaInfo"]["requests"][0]["status"] = None
    with pytest.raises(ValidationError, match="None is not of type 'number'"):
        validator("GET /api/v1/movie/{movieId}").validate(movie)
    # Search results are weakly described: TvResult requires nothing, so any object is one.
    found = api.get("/search", params={"query": "dune"}).json()
    with pytest.raises(ValidationError, match="is not of type 'number'"):
        validator("GET /api/v1/search").validate(found | {"totalResults": "2"})


# ---------------------------------------------------------------------------- what it was sent


def test_the_bodies_received_are_checked_against_the_request_schemas(
    overseerr: FakeOverseerr, api: httpx.Client
) -> None:
    created = api.post(
        "/request",
        json={"mediaType": "tv", "mediaId": NEW_SHOW.tmdb_id, "seasons": "all", "userId": 2},
    )
    assert created.status_code == 201
    assert api.post(f"/request/{created.json()['id']}/approve").status_code == 200
    assert_requests_follow_spec(overseerr)
    (sent, approval) = overseerr.api_calls
    assert (sent.operation, sent.payload["seasons"]) == ("POST /api/v1/request", "all")
    assert approval.path_params == {"requestId": str(created.json()["id"]), "status": "approve"}


@pytest.mark.parametrize(
    ("body", "violation"),
    [
        ({"mediaType": "music", "mediaId": 1}, "request/body/mediaType 'music' is not one of"),
        ({"mediaType": "movie", "mediaId": "910003"}, "request/body/mediaId '910003' is not of"),
        ({"mediaType": "movie"}, "request/body 'mediaId' is a required property"),
        ({"mediaType": "tv", "mediaId": 910101, "seasons": [-1]}, "request/body/seasons"),
        ({"mediaType": "tv", "mediaId": 910101, "seasons": "some"}, "request/body/seasons"),
        ({"mediaType": "movie", "mediaId": 910003, "is4k": "no"}, "request/body/is4k"),
    ],
)
def test_a_request_body_off_the_spec_is_refused_and_reported(
    overseerr: FakeOverseerr, api: httpx.Client, body: dict[str, Any], violation: str
) -> None:
    answer = api.post("/request", json=body)
    assert answer.status_code == 400  # as Overseerr's OpenAPI validator answers
    assert violation in answer.json()["message"]
    with pytest.raises(AssertionError, match="POST /api/v1/request: " + violation[:20]):
        assert_requests_follow_spec(overseerr)


@pytest.mark.parametrize(
    ("method", "path", "params", "violation"),
    [
        ("GET", "/search", {}, "request/query 'query' is a required property"),
        ("GET", "/search", {"query": "x", "page": "first"}, "request/query/page 'first' is not"),
        ("GET", "/request", {"filter": "declined"}, "request/query/filter 'declined' is not"),
        ("GET", "/request", {"limit": "5"}, "Unknown query parameter 'limit'"),
        ("GET", "/movie/dune", {}, "request/path/movieId 'dune' is not of type"),
        ("POST", "/request/1/pending", {}, "request/path/status 'pending' is not one of"),
    ],
)
def test_parameters_off_the_spec_are_refused_and_reported(
    overseerr: FakeOverseerr,
    api: httpx.Client,
    method: str,
    path: str,
    params: dict[str, str],
    violation: str,
) -> None:
    answer = api.request(method, path, params=params)
    assert answer.status_code == 400
    assert violation in answer.json()["message"]
    with pytest.raises(AssertionError, match=violation[:20]):
        assert_requests_follow_spec(overseerr)


def test_the_spec_check_reports_calls_outside_it(overseerr: FakeOverseerr) -> None:
    key = {"X-Api-Key": OVERSEERR_API_KEY}
    assert httpx.get(f"{overseerr.url}/api/v1/settings/main", headers=key).status_code == 404
    httpx.get(f"{overseerr.url}/api/v1/user")  # no key
    httpx.post(f"{overseerr.url}/api/v1/request/1/approve", headers=key, json={"why": "not"})
    with pytest.raises(AssertionError) as raised:
        assert_requests_follow_spec(overseerr)
    for problem in (
        "GET /api/v1/settings/main: not an operation the fake implements",
        "GET /api/v1/user: no X-Api-Key header",
        "POST /api/v1/request/1/approve: a body, which the operation does not take",
    ):
        assert problem in str(raised.value)


# ---------------------------------------------------------------------------- credentials


def test_the_api_wants_its_key(overseerr: FakeOverseerr, api: httpx.Client) -> None:
    url = f"{overseerr.url}/api/v1/request"
    missing = httpx.get(url)
    assert missing.status_code == 401  # express-openapi-validator: neither cookie nor key
    assert missing.json()["message"] == "cookie 'connect.sid' required"
    wrong = httpx.get(url, headers={"X-Api-Key": "not-the-key"})
    assert wrong.status_code == 403
    assert wrong.json() == {
        "status": 403,
        "error": "You do not have permission to access this endpoint",
    }
    assert httpx.get(f"{overseerr.url}/api/v1/status").status_code == 200  # public
    assert api.get("/request").status_code == 200


def test_unauthorized_refuses_the_key_but_not_the_public_status(
    overseerr: FakeOverseerr, api: httpx.Client
) -> None:
    with overseerr.unauthorized():
        assert api.get("/user").status_code == 403
        assert api.post("/request/1/approve").status_code == 403
        assert api.get("/status").status_code == 200
    assert api.get("/user").status_code == 200


def test_the_key_acts_as_the_admin_or_as_x_api_user(api: httpx.Client) -> None:
    as_admin = api.post("/request", json={"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id})
    assert as_admin.json()["requestedBy"]["id"] == OVERSEERR_ADMIN.id
    assert as_admin.json()["status"] == RequestStatus.APPROVED  # the admin's are auto-approved
    as_friend = {"X-Api-User": str(OVERSEERR_FRIEND.id)}
    show = {"mediaType": "tv", "mediaId": NEW_SHOW.tmdb_id, "seasons": [1]}
    created = api.post("/request", json=show, headers=as_friend)
    assert created.json()["status"] == RequestStatus.PENDING
    assert created.json()["requestedBy"]["id"] == OVERSEERR_FRIEND.id
    assert created.json()["modifiedBy"] is None
    assert api.post(f"/request/{created.json()['id']}/approve", headers=as_friend).json() == {
        "status": 403,
        "error": "You do not have permission to access this endpoint",
    }
    others = api.get("/request", params={"requestedBy": 1}, headers=as_friend)
    assert others.status_code == 403
    assert api.get("/user", headers={"X-Api-User": "99"}).status_code == 403


# ---------------------------------------------------------------------------- dataset


def test_users_match_the_plex_accounts(api: httpx.Client) -> None:
    users = api.get("/user").json()
    assert users["pageInfo"] == {"pages": 1, "pageSize": 10, "results": 3, "page": 1}
    by_plex_id = {user["plexId"]: user for user in users["results"]}
    assert set(by_plex_id) == {PLEX_OWNER.id, PLEX_FRIEND.id, None}
    owner, friend = by_plex_id[PLEX_OWNER.id], by_plex_id[PLEX_FRIEND.id]
    assert (owner["id"], owner["email"], owner["permissions"]) == (1, PLEX_OWNER.email, 2)
    assert (friend["email"], friend["plexUsername"], friend["displayName"]) == (
        PLEX_FRIEND.email,
        PLEX_FRIEND.username,
        PLEX_FRIEND.username,
    )
    assert friend["requestCount"] == 1
    assert by_plex_id[None]["userType"] == 2  # local
    assert PLEX_STRANGER.id not in by_plex_id
    page = api.get("/user", params={"take": 2, "skip": 2}).json()
    assert [user["id"] for user in page["results"]] == [OVERSEERR_LOCAL.id]
    assert page["pageInfo"] == {"pages": 2, "pageSize": 2, "results": 3, "page": 2}


def test_the_titles_are_in_their_states(api: httpx.Client) -> None:
    available = api.get(f"/movie/{AVAILABLE_MOVIE.tmdb_id}").json()
    assert (available["title"], available["releaseDate"]) == ("Batman Begins", "2005-06-15")
    assert available["mediaInfo"]["status"] == MediaStatus.AVAILABLE
    assert available["mediaInfo"]["ratingKey"] == "101"  # the fake Plex server's item
    requested = api.get(f"/movie/{REQUESTED_MOVIE.tmdb_id}").json()["mediaInfo"]
    assert requested["status"] == MediaStatus.PENDING
    (pending,) = requested["requests"]
    assert (pending["id"], pending["status"]) == (PENDING_REQUEST_ID, RequestStatus.PENDING)
    assert pending["requestedBy"]["plexId"] == PLEX_FRIEND.id
    assert "mediaInfo" not in api.get(f"/movie/{NEW_MOVIE.tmdb_id}").json()
    partial = api.get(f"/tv/{PARTIAL_SHOW.tmdb_id}").json()
    assert partial["mediaInfo"]["status"] == MediaStatus.PARTIALLY_AVAILABLE
    seasons = {s["seasonNumber"]: s["status"] for s in partial["mediaInfo"]["seasons"]}
    assert seasons == {1: MediaStatus.AVAILABLE, 2: MediaStatus.AVAILABLE}
    assert [(s["seasonNumber"], s["episodeCount"]) for s in partial["seasons"]] == [
        (1, 9),
        (2, 10),
        (3, 10),
    ]
    assert "mediaInfo" not in api.get(f"/tv/{NEW_SHOW.tmdb_id}").json()


def test_search_finds_titles_and_people_with_their_media(api: httpx.Client) -> None:
    found = api.get("/search", params={"query": "Mad Max"}).json()
    assert [(r["mediaType"], r["title"], "mediaInfo" in r) for r in found["results"]] == [
        ("movie", "Mad Max: Fury Road", True),
        ("movie", "Furiosa: A Mad Max Saga", False),
    ]
    assert found["results"][0]["mediaInfo"]["status"] == MediaStatus.AVAILABLE
    person = api.get("/search", params={"query": "villeneuve"}).json()["results"]
    assert [(r["mediaType"], r["name"]) for r in person] == [("person", "Denis Villeneuve")]
    first, second = (api.get("/search", params={"query": "e", "page": n}).json() for n in (1, 2))
    assert (first["totalPages"], len(first["results"])) == (2, 20)
    assert first["totalResults"] == second["totalResults"] == 20 + len(second["results"])
    assert api.get("/search", params={"query": "zzz"}).json()["results"] == []


def test_discover_lists_split_released_from_upcoming_titles(api: httpx.Client) -> None:
    movies = api.get("/discover/movies").json()["results"]
    upcoming = api.get("/discover/movies/upcoming").json()["results"]
    shows = api.get("/discover/tv").json()["results"]
    coming_shows = api.get("/discover/tv/upcoming").json()["results"]
    assert {r["mediaType"] for r in movies} == {"movie"}
    assert {r["mediaType"] for r in shows} == {"tv"}
    assert [r["id"] for r in upcoming] == [UPCOMING_MOVIE.tmdb_id]
    assert [r["id"] for r in coming_shows] == [UPCOMING_SHOW.tmdb_id]
    assert UPCOMING_MOVIE.tmdb_id not in {r["id"] for r in movies}
    popularity = [r["popularity"] for r in movies]
    assert popularity == sorted(popularity, reverse=True)


def test_trending_pages_through_films_shows_and_people(api: httpx.Client) -> None:
    pages = [api.get("/discover/trending", params={"page": n}).json() for n in (1, 2, 3)]
    assert [page["page"] for page in pages] == [1, 2, 3]
    assert [len(page["results"]) for page in pages] == [20, 20, pages[0]["totalResults"] - 40]
    assert pages[0]["totalPages"] == 3
    results = [result for page in pages for result in page["results"]]
    assert {r["mediaType"] for r in results} == {"movie", "tv", "person"}
    available = next(r for r in results if r["id"] == AVAILABLE_MOVIE.tmdb_id)
    assert available["mediaInfo"]["status"] == MediaStatus.AVAILABLE


def test_unknown_tmdb_ids_are_errors_as_in_overseerr(api: httpx.Client) -> None:
    # Overseerr turns TMDB's 404 into a 500 with its own message.
    assert api.get("/movie/1").status_code == 500
    assert api.get("/movie/1").json() == {"message": "Unable to retrieve movie."}
    assert api.get("/tv/1").json() == {"message": "Unable to retrieve series."}
    refused = api.post("/request", json={"mediaType": "movie", "mediaId": 1})
    assert refused.status_code == 500
    assert refused.json()["message"].startswith("[TMDB] Failed to fetch movie details")


# ---------------------------------------------------------------------------- requests


def test_a_request_goes_from_pending_to_available(
    overseerr: FakeOverseerr, api: httpx.Client
) -> None:
    friend = {"X-Api-User": str(OVERSEERR_FRIEND.id)}
    body = {"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id}
    created = api.post("/request", json=body, headers=friend)
    assert created.status_code == 201
    request = created.json()
    assert (request["status"], request["media"]["status"]) == (1, MediaStatus.PENDING)
    assert overseerr.requests_made == [request]
    approved = api.post(f"/request/{request['id']}/approve").json()
    assert (approved["status"], approved["media"]["status"]) == (2, MediaStatus.PROCESSING)
    assert approved["modifiedBy"]["id"] == OVERSEERR_ADMIN.id
    overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
    assert overseerr.request_by_id(request["id"])["media"]["status"] == MediaStatus.AVAILABLE
    assert api.get(f"/movie/{NEW_MOVIE.tmdb_id}").json()["mediaInfo"]["mediaAddedAt"]


def test_declining_a_movie_forgets_its_media_status(api: httpx.Client) -> None:
    declined = api.post(f"/request/{PENDING_REQUEST_ID}/decline").json()
    assert (declined["status"], declined["media"]["status"]) == (3, MediaStatus.UNKNOWN)
    again = api.post("/request", json={"mediaType": "movie", "mediaId": REQUESTED_MOVIE.tmdb_id})
    assert again.status_code == 201  # a declined request does not block a new one


def test_media_becoming_available_approves_its_pending_requests(
    overseerr: FakeOverseerr,
) -> None:
    overseerr.set_media_status(REQUESTED_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
    assert overseerr.request_by_id(PENDING_REQUEST_ID)["status"] == RequestStatus.APPROVED


def test_duplicates_and_seasons_already_there_are_refused(api: httpx.Client) -> None:
    duplicate = api.post("/request", json={"mediaType": "movie", "mediaId": 910_001})
    assert duplicate.status_code == 409
    assert duplicate.json() == {"message": "Request for this media already exists."}
    show = {"mediaType": "tv", "mediaId": PARTIAL_SHOW.tmdb_id}
    nothing_left = api.post("/request", json=show | {"seasons": [1, 2]})
    assert nothing_left.status_code == 202
    assert nothing_left.json() == {"message": "No seasons available to request"}
    rest = api.post("/request", json=show | {"seasons": "all"}).json()
    assert [season["seasonNumber"] for season in rest["seasons"]] == [3]
    again = api.post("/request", json=show | {"seasons": [3]})
    assert again.status_code == 202
    specials_left_out = api.post("/request", json={"mediaType": "tv", "mediaId": SHOGUN.tmdb_id})
    assert specials_left_out.status_code == 500  # Overseerr needs `seasons` for a series
    shogun = api.post(
        "/request", json={"mediaType": "tv", "mediaId": SHOGUN.tmdb_id, "seasons": "all"}
    )
    assert [season["seasonNumber"] for season in shogun.json()["seasons"]] == [1]


def test_only_managers_may_request_for_others(api: httpx.Client) -> None:
    friend = {"X-Api-User": str(OVERSEERR_FRIEND.id)}
    body = {"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id, "userId": OVERSEERR_LOCAL.id}
    refused = api.post("/request", json=body, headers=friend)
    assert refused.status_code == 403
    assert refused.json() == {"message": "You do not have permission to modify the request user."}
    on_behalf = api.post("/request", json=body).json()
    assert on_behalf["requestedBy"]["id"] == OVERSEERR_LOCAL.id


def test_requests_list_filter_sort_and_page(api: httpx.Client) -> None:
    api.post("/request", json={"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id, "userId": 3})
    show = {"mediaType": "tv", "mediaId": NEW_SHOW.tmdb_id, "seasons": [1], "userId": 2}
    api.post("/request", json=show)
    everything = api.get("/request").json()
    ids = [request["id"] for request in everything["results"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    assert everything["pageInfo"] == {"pages": 1, "pageSize": 10, "results": 3, "page": 1}
    pending = api.get("/request", params={"filter": "pending"}).json()["results"]
    assert [request["id"] for request in pending] == [PENDING_REQUEST_ID]
    processing = api.get("/request", params={"filter": "processing"}).json()["results"]
    assert len(processing) == 2
    by_friend = api.get("/request", params={"requestedBy": 2}).json()["results"]
    assert {request["requestedBy"]["id"] for request in by_friend} == {2}
    paged = api.get("/request", params={"take": 1, "skip": 1}).json()
    assert paged["pageInfo"] == {"pages": 3, "pageSize": 1, "results": 3, "page": 2}
    assert [request["id"] for request in paged["results"]] == ids[1:2]


def test_deleting_a_request(overseerr: FakeOverseerr, api: httpx.Client) -> None:
    assert api.delete(f"/request/{PENDING_REQUEST_ID}").status_code == 204
    assert api.get(f"/request/{PENDING_REQUEST_ID}").status_code == 404
    assert api.delete(f"/request/{PENDING_REQUEST_ID}").json() == {"message": "Request not found."}
    assert overseerr.media_info(REQUESTED_MOVIE.tmdb_id, "movie") is not None
    media = api.get(f"/movie/{REQUESTED_MOVIE.tmdb_id}").json()["mediaInfo"]
    assert (media["status"], media["requests"]) == (MediaStatus.UNKNOWN, [])
    with pytest.raises(KeyError):
        overseerr.request_by_id(PENDING_REQUEST_ID)


def test_media_list_filters(api: httpx.Client) -> None:
    partial = api.get("/media", params={"filter": "partial"}).json()["results"]
    assert [media["tmdbId"] for media in partial] == [PARTIAL_SHOW.tmdb_id]
    pending = api.get("/media", params={"filter": "pending"}).json()["results"]
    assert [media["tmdbId"] for media in pending] == [REQUESTED_MOVIE.tmdb_id]
    assert api.get("/media").json()["pageInfo"]["results"] == 36  # Plex's 35 and one request


# ---------------------------------------------------------------------------- modes and fixtures


def test_down_refuses_connections_then_serves_on_the_same_port(overseerr: FakeOverseerr) -> None:
    url = overseerr.url
    with overseerr.down(), pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/v1/status")
    assert overseerr.url == url
    assert httpx.get(f"{url}/api/v1/status").status_code == 200


def test_slow_delays_every_answer(overseerr: FakeOverseerr, api: httpx.Client) -> None:
    with overseerr.slow(0.3):
        started = time.monotonic()
        api.get("/status")
        assert time.monotonic() - started >= 0.3


def test_reset_restores_the_data_but_ids_keep_growing(
    overseerr: FakeOverseerr, api: httpx.Client
) -> None:
    body = {"mediaType": "movie", "mediaId": NEW_MOVIE.tmdb_id}
    first = api.post("/request", json=body).json()["id"]
    overseerr.reset()
    assert overseerr.requests == []
    assert overseerr.api_calls == []
    assert overseerr.requests_made == []
    assert overseerr.media_info(NEW_MOVIE.tmdb_id, "movie") is None
    assert api.post("/request", json=body).json()["id"] > first


def test_overseerr_env_points_medianest_at_the_fake(overseerr: FakeOverseerr) -> None:
    assert overseerr_env(overseerr) == {
        "OVERSEERR_URL": overseerr.url,
        "OVERSEERR_API_KEY": OVERSEERR_API_KEY,
    }
    assert not overseerr.url.endswith("/api/v1")


def test_the_fixture_is_the_session_server(
    overseerr: FakeOverseerr, overseerr_server: FakeOverseerr
) -> None:
    assert overseerr is overseerr_server


# ---------------------------------------------------------------------------- webhooks


def _shape(node: Any) -> Any:
    """The key structure of the template, with `{{media}}`... named as Overseerr names them."""
    if isinstance(node, dict):
        return {
            key.strip("{}") if key.startswith("{{") else key: _shape(v) for key, v in node.items()
        }
    return type(node).__name__


def _leaves(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in _leaves(value)]
    if isinstance(node, list):
        return [leaf for value in node for leaf in _leaves(value)]
    return [node]


def test_the_template_is_overseerrs_default() -> None:
    assert json.loads(TEMPLATE_FILE.read_text(encoding="utf-8")) == DEFAULT_TEMPLATE
    assert set(DEFAULT_TEMPLATE) >= {"{{media}}", "{{request}}", "{{extra}}"}


@pytest.mark.parametrize(
    "notification_type",
    [
        "MEDIA_PENDING",
        "MEDIA_APPROVED",
        "MEDIA_AUTO_APPROVED",
        "MEDIA_DECLINED",
        "MEDIA_FAILED",
        "MEDIA_AVAILABLE",
    ],
)
def test_a_payload_has_the_templates_keys_and_string_values(
    overseerr: FakeOverseerr, notification_type: str
) -> None:
    payload = webhook_payload(overseerr.notification(notification_type, PENDING_REQUEST_ID))
    expected = _shape(DEFAULT_TEMPLATE) | {"issue": "NoneType", "comment": "NoneType"}
    expected["extra"] = "list"
    assert _shape(payload) == expected
    assert list(payload) == [
        *("notification_type", "event", "subject", "message", "image"),
        *("media", "request", "issue", "comment", "extra"),
    ]
    assert all(isinstance(leaf, str) for leaf in _leaves(payload) if leaf is not None)
    assert "{{" not in json.dumps(payload)


def test_a_payload_holds_overseerrs_values(overseerr: FakeOverseerr) -> None:
    payload = webhook_payload(overseerr.notification("MEDIA_PENDING", PENDING_REQUEST_ID))
    assert payload["notification_type"] == "MEDIA_PENDING"
    assert payload["event"] == "New Movie Request"
    assert payload["subject"] == "Dune: Part Two (2024)"
    assert payload["message"] == REQUESTED_MOVIE.overview
    assert payload["image"] == (
        f"https://image.tmdb.org/t/p/w600_and_h900_bestv2{REQUESTED_MOVIE.poster_path}"
    )
    assert payload["media"] == {
        "media_type": "movie",
        "tmdbId": str(REQUESTED_MOVIE.tmdb_id),
        "tvdbId": "",
        "status": "PENDING",
        "status4k": "UNKNOWN",
    }
    assert payload["request"] == {
        "request_id": str(PENDING_REQUEST_ID),
        "requestedBy_email": PLEX_FRIEND.email,
        "requestedBy_username": PLEX_FRIEND.username,
        "requestedBy_avatar": PLEX_FRIEND.thumb,
        "requestedBy_settings_discordId": "",
        "requestedBy_settings_telegramChatId": "",
    }
    assert (payload["issue"], payload["comment"], payload["extra"]) == (None, None, [])


def test_a_series_payload_names_the_requested_seasons(
    overseerr: FakeOverseerr, api: httpx.Client
) -> None:
    body = {"mediaType": "tv", "mediaId": NEW_SHOW.tmdb_id, "seasons": [1, 3], "userId": 3}
    request_id = api.post("/request", json=body).json()["id"]
    overseerr.set_media_status(NEW_SHOW.tmdb_id, "tv", MediaStatus.AVAILABLE)
    payload = webhook_payload(overseerr.notification("MEDIA_AVAILABLE", request_id))
    assert payload["event"] == "Series Now Available"
    assert payload["media"]["status"] == "AVAILABLE"
    assert payload["media"]["tvdbId"] == str(NEW_SHOW.tvdb_id)
    assert payload["extra"] == [{"name": "Requested Seasons", "value": "1, 3"}]
    assert payload["request"]["requestedBy_username"] == "local-requester"


def test_the_test_notification_has_no_media_nor_request() -> None:
    payload = webhook_payload(TEST_NOTIFICATION)
    assert payload["notification_type"] == "TEST_NOTIFICATION"
    assert (payload["media"], payload["request"], payload["extra"]) == (None, None, [])
    assert payload["subject"] == "Test Notification"
    assert payload["event"] == payload["image"] == ""


def test_overrides_and_unknown_variables() -> None:
    template = {"a": "{{subject}} / {{unknown}} / {{media_status}}", "{{media}}": {"x": "1"}}
    notification = WebhookNotification("MEDIA_AVAILABLE", subject="Dune", media={})
    payload = webhook_payload(notification, overrides={"subject": 42}, template=template)
    assert payload == {"a": "42 / {{unknown}} / ", "media": {"x": "1"}}


def test_send_webhook_posts_the_payload_with_the_auth_header(
    overseerr: FakeOverseerr, receiver: WebhookReceiver
) -> None:
    url = f"{receiver.url}/webhook"
    answer = overseerr.send_webhook(
        url, "MEDIA_APPROVED", PENDING_REQUEST_ID, authorization="Bearer hook-secret"
    )
    assert answer.status_code == 204
    overseerr.send_webhook(
        url, "MEDIA_AVAILABLE", PENDING_REQUEST_ID, overrides={"media_status": "AVAILABLE"}
    )
    overseerr.send_test_webhook(url)
    approved, available, test = receiver.bodies
    assert approved == webhook_payload(overseerr.notification("MEDIA_APPROVED", 1))
    assert available["media"]["status"] == "AVAILABLE"
    assert test == webhook_payload(TEST_NOTIFICATION)
    with_auth, without, _ = receiver.requests
    assert with_auth.headers["authorization"] == "Bearer hook-secret"
    assert with_auth.headers["content-type"] == "application/json"
    assert "authorization" not in without.headers
    assert not [name for name in with_auth.headers if "signature" in name]


def test_only_request_notifications_can_be_sent(overseerr: FakeOverseerr) -> None:
    with pytest.raises(ValueError, match="ISSUE_CREATED"):
        overseerr.notification("ISSUE_CREATED", PENDING_REQUEST_ID)
    with pytest.raises(KeyError):
        overseerr.notification("MEDIA_PENDING", 999)
