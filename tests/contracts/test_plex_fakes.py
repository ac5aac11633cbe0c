"""The Plex fakes answer what the real plex.tv and Plex Media Server answer.

JSON answers are validated against the response schemas of the published API description
(tests/fakes/specs/plex-schemas.json, extracted by scripts/extract_plex_schemas.py); the XML
answers are read with python-plexapi, which is what MediaNest talks to Plex with.
"""

import json
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from plexapi.collection import Collection
from plexapi.exceptions import NotFound, Unauthorized
from plexapi.library import MovieSection
from plexapi.server import PlexServer
from plexapi.video import Movie

from tests.fakes import spec_validation
from tests.fakes.plex import (
    ADMIN_TOKEN,
    FRIEND_SERVER_TOKEN,
    MACHINE_ID,
    PLEX_FRIEND,
    PLEX_OWNER,
    PLEX_STRANGER,
    SERVER_NAME,
    FakePlexServer,
    FakePlexTv,
    PlexAccount,
    PlexFakes,
    plex_env,
)

CLIENT = {"X-Plex-Product": "MediaNest", "X-Plex-Client-Identifier": "medianest-test-client"}
URI = f"server://{MACHINE_ID}/com.plexapp.plugins.library/library/metadata"
SCHEMA_FILE = spec_validation.SPECS / "plex-schemas.json"
SCHEMAS: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

# Where the published description contradicts itself and the real server, the fakes do what
# the real server does and the schema is corrected here, visibly, one field at a time.
ERRATA: dict[str, dict[str, Any]] = {
    # Every other operation (and the real server) gives ratingKey as a string.
    "GET /library/recentlyAdded": {
        "/properties/MediaContainer/allOf/1/properties/Metadata/items/properties/ratingKey": {
            "type": "string"
        },
    },
}


def validator(key: str) -> Draft202012Validator:
    """The schema of `key` with its errata (OpenAPI 3.1 schemas are JSON Schema 2020-12)."""
    errata = ERRATA.get(key, {})
    schema, applied = spec_validation.with_errata(SCHEMAS[key], errata)
    assert applied == set(errata), (
        f"errata for what the schema lacks: {key} {set(errata) - applied}"
    )
    return spec_validation.checked_validator(schema, FormatChecker(["date", "email"]))


def assert_valid(key: str, payload: object) -> None:
    spec_validation.assert_follows(validator(key), payload)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def tv(plex: PlexFakes) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=plex.tv.url, headers=CLIENT, timeout=5) as client:
        yield client


@pytest.fixture
def pms(plex: PlexFakes) -> Iterator[httpx.Client]:
    headers = {"X-Plex-Token": ADMIN_TOKEN, "Accept": "application/json"}
    with httpx.Client(base_url=plex.server.url, headers=headers, timeout=5) as client:
        yield client


def connect(url: str, token: str, session: requests.Session) -> Any:
    """A python-plexapi `PlexServer`; typed Any as plexapi's functions are unannotated."""
    plex_server: Any = PlexServer
    return plex_server(url, token, session=session, timeout=5)


def plexapi_class(obj: Any) -> type:
    """The class plexapi built; unlike isinstance() it keeps mypy from narrowing Any."""
    return type(obj)


@pytest.fixture
def server(plex: PlexFakes) -> Iterator[Any]:
    """python-plexapi connected to the fake, as MediaNest connects to Plex."""
    with requests.Session() as session:
        yield connect(plex.server.url, ADMIN_TOKEN, session)


# ---------------------------------------------------------------------------- JSON vs schemas


@dataclass(frozen=True)
class Call:
    key: str  # the operation in plex-schemas.json
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


PMS_CALLS = [
    Call("GET /", "GET", "/"),
    Call("GET /identity", "GET", "/identity"),
    Call("GET /library/sections", "GET", "/library/sections"),
    *[
        Call("GET /library/sections/{sectionKey}/all", "GET", f"/library/sections/{key}/all")
        for key in ("1", "2", "3")
    ],
    Call(
        "GET /library/sections/{sectionKey}/all",
        "GET",
        "/library/sections/1/all",
        {"sort": "addedAt:desc", "includeMeta": "1"},
        {"X-Plex-Container-Start": "5", "X-Plex-Container-Size": "10"},
    ),
    Call(
        "GET /library/sections/{sectionKey}/all", "GET", "/library/sections/1/all", {"type": "18"}
    ),
    Call("GET /library/recentlyAdded", "GET", "/library/recentlyAdded"),
    *[
        Call("GET /library/metadata/{ratingKey}", "GET", f"/library/metadata/{key}")
        for key in ("101", "201", "301", "101,102")
    ],
    Call("GET /hubs/search", "GET", "/hubs/search", {"query": "batman", "limit": "10"}),
    Call("GET /hubs/search", "GET", "/hubs/search", {"query": "e"}),
    Call("GET /library/sections/{sectionId}/collections", "GET", "/library/sections/1/collections"),
    Call(
        "POST /library/collections",
        "POST",
        "/library/collections",
        {"uri": f"{URI}/103,104", "type": "1", "title": "Nolan", "smart": "0", "sectionId": "1"},
    ),
    Call("GET /library/collections/{collectionId}/items", "GET", "/library/collections/301/items"),
    Call(
        "PUT /library/collections/{collectionId}/items",
        "PUT",
        "/library/collections/301/items",
        {"uri": f"{URI}/105"},
    ),
]


@pytest.mark.parametrize("call", PMS_CALLS, ids=lambda c: f"{c.method} {c.path} {c.params}")
def test_server_json_matches_the_published_schema(pms: httpx.Client, call: Call) -> None:
    response = pms.request(call.method, call.path, params=call.params, headers=call.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert_valid(call.key, response.json())


def test_pins_match_the_published_schema(plex: PlexFakes, tv: httpx.Client) -> None:
    created = tv.post("/api/v2/pins", params={"strong": "true"})
    assert created.status_code == 201
    assert_valid("POST /api/v2/pins", created.json())
    pin_id = created.json()["id"]
    assert_valid("GET /api/v2/pins/{pinID}", tv.get(f"/api/v2/pins/{pin_id}").json())
    plex.tv.claim(pin_id, PLEX_OWNER)
    assert_valid("GET /api/v2/pins/{pinID}", tv.get(f"/api/v2/pins/{pin_id}").json())


@pytest.mark.parametrize(
    "account", [PLEX_OWNER, PLEX_FRIEND, PLEX_STRANGER], ids=lambda a: a.username
)
def test_accounts_match_the_published_schema(tv: httpx.Client, account: PlexAccount) -> None:
    token = {"X-Plex-Token": account.token}
    assert_valid("GET /api/v2/user", tv.get("/api/v2/user", headers=token).json())
    resources = tv.get("/api/v2/resources", headers=token, params={"includeHttps": "1"})
    assert_valid("GET /api/v2/resources", resources.json())


def test_every_extracted_schema_is_exercised() -> None:
    exercised = {call.key for call in PMS_CALLS} | {
        "POST /api/v2/pins",
        "GET /api/v2/pins/{pinID}",
        "GET /api/v2/user",
        "GET /api/v2/resources",
    }
    assert exercised == set(SCHEMAS) - {"_source"}


def test_the_schemas_name_their_source_and_need_no_openapi_30_adaptation() -> None:
    source = SCHEMAS["_source"]
    assert source["repository"] == "https://github.com/LukeHagar/plex-api-spec"
    assert source["licence"].startswith("MIT")
    assert set(source["declared_openapi"].values()) <= {"3.1.0", "3.1.1"}
    # OpenAPI 3.1 spells nulls as JSON Schema does; a 3.0 `nullable` would need adapting.
    assert '"nullable"' not in SCHEMA_FILE.read_text(encoding="utf-8")


def test_the_committed_schemas_are_what_the_specs_hold() -> None:
    spec_validation.assert_extraction_is_current("scripts/extract_plex_schemas.py")


def test_a_broken_answer_fails_validation(pms: httpx.Client, tv: httpx.Client) -> None:
    pin = tv.post("/api/v2/pins", params={"strong": "true"}).json()
    without_code = {name: value for name, value in pin.items() if name != "code"}
    with pytest.raises(ValidationError, match="'code' is a required property"):
        validator("POST /api/v2/pins").validate(without_code)
    with pytest.raises(ValidationError, match="is not of type 'integer'"):
        validator("POST /api/v2/pins").validate(pin | {"id": str(pin["id"])})

    listing = pms.get("/library/sections/1/all").json()
    movie = listing["MediaContainer"]["Metadata"][0]
    del movie["ratingKey"]
    with pytest.raises(ValidationError, match="'ratingKey' is a required property"):
        validator("GET /library/sections/{sectionKey}/all").validate(listing)
    collections = pms.get("/library/sections/1/collections").json()
    del collections["MediaContainer"]["Metadata"][0]["addedAt"]  # required in $defs/Metadata
    with pytest.raises(ValidationError, match="'addedAt' is a required property"):
        validator("GET /library/sections/{sectionId}/collections").validate(collections)
    recent = pms.get("/library/recentlyAdded").json()
    recent["MediaContainer"]["Metadata"][0]["ratingKey"] = 101
    with pytest.raises(ValidationError, match="is not of type 'string'"):
        validator("GET /library/recentlyAdded").validate(recent)


# ---------------------------------------------------------------------------- plex.tv behaviour


def test_a_pin_is_strong_and_claimable(plex: PlexFakes, tv: httpx.Client) -> None:
    pin = tv.post("/api/v2/pins", params={"strong": "true"}).json()
    assert len(pin["code"]) == 25
    assert pin["expiresIn"] == 900
    assert pin["authToken"] is None
    plex.tv.claim(pin["id"], PLEX_FRIEND)
    assert tv.get(f"/api/v2/pins/{pin['id']}").json()["authToken"] == PLEX_FRIEND.token
    assert plex.tv.pins[pin["id"]].auth_token == PLEX_FRIEND.token


def test_pins_need_the_client_headers(tv: httpx.Client) -> None:
    response = tv.post("/api/v2/pins", headers={"X-Plex-Client-Identifier": ""})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == 1000


def test_unknown_foreign_and_expired_pins_are_not_found(plex: PlexFakes, tv: httpx.Client) -> None:
    pin_id = tv.post("/api/v2/pins", params={"strong": "true"}).json()["id"]
    other_client = {"X-Plex-Client-Identifier": "someone-else"}
    assert tv.get(f"/api/v2/pins/{pin_id}", headers=other_client).status_code == 404
    assert tv.get("/api/v2/pins/1").status_code == 404
    plex.tv.expire(pin_id)
    expired = tv.get(f"/api/v2/pins/{pin_id}")
    assert expired.status_code == 404
    assert expired.json()["errors"][0] == {
        "code": 1020,
        "message": "Code not found or expired",
        "status": 404,
    }


def test_the_user_needs_a_known_token(tv: httpx.Client) -> None:
    assert tv.get("/api/v2/user").status_code == 401
    assert tv.get("/api/v2/user", headers={"X-Plex-Token": "nope"}).status_code == 401
    user = tv.get("/api/v2/user", params={"X-Plex-Token": PLEX_OWNER.token}).json()
    assert (user["id"], user["username"], user["email"]) == (
        PLEX_OWNER.id,
        PLEX_OWNER.username,
        PLEX_OWNER.email,
    )
    assert user["thumb"].startswith("https://")


def _resources(tv: httpx.Client, token: str) -> list[dict[str, Any]]:
    response = tv.get("/api/v2/resources", headers={"X-Plex-Token": token})
    assert response.status_code == 200
    resources: list[dict[str, Any]] = response.json()
    return resources


def test_resources_show_who_may_use_the_server(plex: PlexFakes, tv: httpx.Client) -> None:
    owned = [r for r in _resources(tv, PLEX_OWNER.token) if r["clientIdentifier"] == MACHINE_ID]
    assert len(owned) == 1
    assert (owned[0]["owned"], owned[0]["accessToken"]) == (True, ADMIN_TOKEN)
    assert owned[0]["connections"][0]["uri"] == plex.server.url

    shared = [r for r in _resources(tv, PLEX_FRIEND.token) if r["provides"] == "server"]
    assert [(r["clientIdentifier"], r["owned"]) for r in shared] == [(MACHINE_ID, False)]
    assert shared[0]["accessToken"] == FRIEND_SERVER_TOKEN
    assert shared[0]["sourceTitle"] == PLEX_OWNER.username

    stranger = _resources(tv, PLEX_STRANGER.token)
    assert {r["provides"] for r in stranger} == {"server", "client,player"}
    assert MACHINE_ID not in {r["clientIdentifier"] for r in stranger}


# ---------------------------------------------------------------------------- PMS behaviour


def test_the_server_wants_a_token_it_knows(plex: PlexFakes, pms: httpx.Client) -> None:
    assert pms.get("/library/sections", headers={"X-Plex-Token": ""}).status_code == 401
    assert (
        pms.get("/library/sections", headers={"X-Plex-Token": PLEX_STRANGER.token}).status_code
        == 401
    )
    friend = {"X-Plex-Token": FRIEND_SERVER_TOKEN}
    assert pms.get("/library/sections", headers=friend).status_code == 200
    assert pms.get("/library/sections/1/refresh", headers=friend).status_code == 401
    without_header = httpx.get(f"{plex.server.url}/", params={"X-Plex-Token": ADMIN_TOKEN})
    assert without_header.status_code == 200
    assert httpx.get(f"{plex.server.url}/identity").status_code == 200  # as on a real server


def _titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["MediaContainer"].get("Metadata", [])]


def test_listings_page_by_headers_or_query(pms: httpx.Client) -> None:
    everything = _titles(pms.get("/library/sections/1/all"))
    assert len(everything) == 30
    by_headers = pms.get(
        "/library/sections/1/all",
        headers={"X-Plex-Container-Start": "10", "X-Plex-Container-Size": "5"},
    )
    by_query = pms.get(
        "/library/sections/1/all",
        params={"X-Plex-Container-Start": "10", "X-Plex-Container-Size": "5"},
    )
    assert _titles(by_headers) == _titles(by_query) == everything[10:15]
    container = by_query.json()["MediaContainer"]
    assert (container["size"], container["totalSize"], container["offset"]) == (5, 30, 10)
    counts = pms.get("/library/sections/1/all", params={"X-Plex-Container-Size": "0"})
    assert _titles(counts) == []
    assert counts.json()["MediaContainer"]["totalSize"] == 30
    assert pms.get("/library/sections/3/all").json()["MediaContainer"]["totalSize"] == 0


@pytest.mark.parametrize(
    "field_name",
    ["titleSort", "title", "addedAt", "year", "rating", "originallyAvailableAt", "duration"],
)
def test_listings_sort(pms: httpx.Client, field_name: str) -> None:
    def values(sort: str) -> list[Any]:
        response = pms.get("/library/sections/1/all", params={"sort": sort})
        return [item[field_name] for item in response.json()["MediaContainer"]["Metadata"]]

    ascending = values(field_name)
    folded = [v.casefold() if isinstance(v, str) else v for v in ascending]
    assert folded == sorted(folded)
    assert values(f"{field_name}:asc") == ascending
    descending = values(f"movie.{field_name}:desc")
    assert [v.casefold() if isinstance(v, str) else v for v in descending] == sorted(
        folded, reverse=True
    )


def test_bad_sorts_and_unknown_sections_are_refused(pms: httpx.Client) -> None:
    assert pms.get("/library/sections/1/all", params={"sort": "shoeSize"}).status_code == 400
    assert pms.get("/library/sections/9/all").status_code == 404
    assert pms.get("/library/metadata/999").status_code == 404
    assert pms.get("/library/collections/999/children").status_code == 404


def test_recently_added_is_newest_first_across_sections(plex: PlexFakes, pms: httpx.Client) -> None:
    rating_key = plex.server.add_item("3", "Cat Video", "/data/media/youtube/cat/cat.mp4")
    recent = pms.get("/library/recentlyAdded", params={"X-Plex-Container-Size": "40"}).json()
    entries = recent["MediaContainer"]["Metadata"]
    assert entries[0]["ratingKey"] == rating_key
    assert entries[0]["librarySectionTitle"] == "YouTube"
    added = [entry["addedAt"] for entry in entries]
    assert added == sorted(added, reverse=True)
    assert {entry["type"] for entry in entries} == {"movie", "show"}


def test_search_matches_titles_case_insensitively(pms: httpx.Client) -> None:
    hubs = pms.get("/hubs/search", params={"query": "BATMAN", "limit": "5"}).json()
    found = {hub["type"]: _hub_titles(hub) for hub in hubs["MediaContainer"]["Hub"]}
    assert found == {
        "movie": ["The Batman", "Batman Begins"],  # by titleSort
        "show": [],
        "collection": ["Batman Collection"],
    }


def _hub_titles(hub: dict[str, Any]) -> list[str]:
    return [item["title"] for item in hub.get("Metadata", [])]


def test_images_are_pngs(pms: httpx.Client) -> None:
    movie = pms.get("/library/metadata/101").json()["MediaContainer"]["Metadata"][0]
    raw = pms.get(movie["thumb"])
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "image/png"
    assert raw.content.startswith(b"\x89PNG\r\n\x1a\n")
    resized = pms.get(
        "/photo/:/transcode", params={"url": movie["art"], "width": "64", "height": "96"}
    )
    assert resized.headers["content-type"] == "image/png"
    assert struct.unpack(">II", resized.content[16:24]) == (64, 96)  # IHDR width, height
    assert pms.get("/library/metadata/101/thumb/1").status_code == 404
    assert pms.get("/photo/:/transcode", params={"url": "/nope.jpg"}).status_code == 404


def test_collections_can_be_created_and_filled(plex: PlexFakes, pms: httpx.Client) -> None:
    created = pms.post(
        "/library/collections",
        params={
            "uri": f"{URI}/103,104",
            "type": "1",
            "title": "Nolan",
            "smart": "0",
            "sectionId": "1",
        },
    )
    collection = created.json()["MediaContainer"]["Metadata"][0]
    assert (collection["title"], collection["childCount"]) == ("Nolan", 2)
    added = pms.put(
        f"/library/collections/{collection['ratingKey']}/items", params={"uri": f"{URI}/123"}
    )
    assert added.json()["MediaContainer"]["Metadata"][0]["childCount"] == 3
    assert plex.server.collections[collection["ratingKey"]].item_keys == ("103", "104", "123")
    assert [c.title for c in plex.server.created_collections] == ["Nolan"]
    bad = pms.post(
        "/library/collections",
        params={"uri": f"{URI}/999", "type": "1", "title": "X", "smart": "0", "sectionId": "1"},
    )
    assert bad.status_code == 400


# ---------------------------------------------------------------------------- modes


def test_down_refuses_connections_then_serves_on_the_same_port(plex: PlexFakes) -> None:
    url = plex.server.url
    with plex.server.down(), pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/identity")
    assert plex.server.url == url
    assert httpx.get(f"{url}/identity").status_code == 200


def test_slow_delays_every_answer(plex: PlexFakes) -> None:
    with plex.tv.slow(0.3):
        started = time.monotonic()
        httpx.get(f"{plex.tv.url}/api/v2/user", headers={"X-Plex-Token": PLEX_OWNER.token})
        assert time.monotonic() - started >= 0.3


def test_unauthorized_refuses_even_good_tokens(plex: PlexFakes, pms: httpx.Client) -> None:
    with plex.server.unauthorized():
        assert pms.get("/library/sections").status_code == 401
    assert pms.get("/library/sections").status_code == 200


def test_reset_restores_the_dataset_and_forgets_requests(
    plex: PlexFakes, pms: httpx.Client
) -> None:
    plex.server.add_item("1", "Extra", "/data/media/movies/Extra/Extra.mkv")
    pms.get("/library/sections/1/refresh", params={"path": "/data/media/movies/Extra"})
    assert plex.server.scans == [("1", "/data/media/movies/Extra")]
    assert plex.server.requests[-1].headers["x-plex-token"] == ADMIN_TOKEN
    plex.server.reset()
    assert plex.server.requests == []
    assert plex.server.scans == []
    assert len(plex.server.items) == 35


def test_plex_env_points_medianest_at_the_fakes(plex: PlexFakes) -> None:
    assert plex_env(plex.tv, plex.server) == {
        "PLEX_URL": plex.server.url,
        "PLEX_TOKEN": ADMIN_TOKEN,
        "PLEX_TV_URL": plex.tv.url,
    }


def test_the_fakes_record_requests(plex: PlexFakes, tv: httpx.Client) -> None:
    tv.get(
        "/api/v2/resources",
        headers={"X-Plex-Token": PLEX_OWNER.token},
        params={"includeRelay": "1"},
    )
    (recorded,) = plex.tv.requests
    assert (recorded.method, recorded.path, recorded.query) == (
        "GET",
        "/api/v2/resources",
        {"includeRelay": "1"},
    )
    assert recorded.headers["x-plex-client-identifier"] == "medianest-test-client"


# ---------------------------------------------------------------------------- XML via plexapi


def test_plexapi_reads_the_server(server: Any) -> None:
    assert server.friendlyName == SERVER_NAME
    assert server.machineIdentifier == MACHINE_ID
    assert server.myPlexUsername == PLEX_OWNER.username
    assert server.version.startswith("1.")
    assert server.platform == "Linux"


def test_plexapi_reads_sections_and_items(server: Any) -> None:
    sections = server.library.sections()
    assert [(s.key, s.title, s.type) for s in sections] == [
        (1, "Movies", "movie"),
        (2, "TV Shows", "show"),
        (3, "YouTube", "movie"),
    ]
    assert sections[0].locations == ["/data/media/movies"]
    movies = sections[0]
    assert plexapi_class(movies) is MovieSection
    assert movies.totalViewSize(includeCollections=False) == 30
    items = movies.all()
    assert len(items) == 30
    batman = movies.get("Batman Begins")
    assert plexapi_class(batman) is Movie
    assert (batman.ratingKey, batman.title, batman.year) == (101, "Batman Begins", 2005)
    assert batman.duration > 0
    assert batman.rating is not None
    assert batman.thumb.startswith("/library/metadata/101/thumb/")
    assert batman.art.startswith("/library/metadata/101/art/")
    assert batman.summary
    assert batman.addedAt is not None
    assert [genre.tag for genre in batman.genres] == ["Action", "Crime"]
    assert batman.media[0].parts[0].file.endswith("Batman Begins (2005).mkv")
    shows = server.library.sectionByID(2).all()
    assert sorted(show.ratingKey for show in shows) == [201, 202, 203, 204, 205]
    assert all(show.childCount > 0 and show.leafCount > 0 for show in shows)
    assert server.library.section("YouTube").all() == []


def test_plexapi_sorts_with_the_sorts_the_server_lists(server: Any) -> None:
    movies = server.library.section("Movies")
    newest = movies.search(sort="addedAt:desc", maxresults=3)
    added = [movie.addedAt for movie in newest]
    assert added == sorted(added, reverse=True)
    assert [movie.title for movie in movies.search(sort="titleSort", maxresults=2)] == [
        "Akira",
        "Alien",
    ]


def test_plexapi_fetches_items_and_searches(server: Any) -> None:
    assert server.fetchItem(101).title == "Batman Begins"
    found = server.search("batman")
    assert {(type(item).__name__, item.title) for item in found} == {
        ("Movie", "Batman Begins"),
        ("Movie", "The Batman"),
        ("Collection", "Batman Collection"),
    }
    with pytest.raises(NotFound):
        server.fetchItem(999)


def test_plexapi_reads_collections(server: Any) -> None:
    movies = server.library.section("Movies")
    (collection,) = movies.collections()
    assert plexapi_class(collection) is Collection
    assert (collection.ratingKey, collection.title) == (301, "Batman Collection")
    assert (collection.childCount, collection.subtype) == (2, "movie")
    assert [item.title for item in collection.items()] == ["Batman Begins", "The Batman"]
    assert movies.collection("Batman Collection").ratingKey == 301


def test_plexapi_creates_and_fills_collections(plex: PlexFakes, server: Any) -> None:
    movies = server.library.section("Movies")
    items = server.fetchItems([103, 104])
    created = server.createCollection("Nolan", section=movies, items=items)
    assert plexapi_class(created) is Collection
    assert created.title == "Nolan"
    assert plex.server.collections[str(created.ratingKey)].item_keys == ("103", "104")
    created.addItems([server.fetchItem(123)])
    assert [item.ratingKey for item in created.items()] == [103, 104, 123]


def test_plexapi_scans_a_folder(plex: PlexFakes, server: Any) -> None:
    server.library.section("YouTube").update(path="/data/media/youtube/new video")
    server.library.section("Movies").update()
    assert plex.server.scans == [("3", "/data/media/youtube/new video"), ("1", None)]
    rating_key = plex.server.add_item("3", "New Video", "/data/media/youtube/new video/v.mp4")
    (video,) = server.library.section("YouTube").all()
    assert (str(video.ratingKey), video.title) == (rating_key, "New Video")
    assert video.media[0].parts[0].file == "/data/media/youtube/new video/v.mp4"


def test_plexapi_sees_a_refused_token(plex: PlexFakes) -> None:
    with requests.Session() as session, pytest.raises(Unauthorized):
        connect(plex.server.url, "wrong", session)


def test_the_session_fakes_are_the_same_servers(
    plex: PlexFakes, plex_tv: FakePlexTv, plex_server: FakePlexServer
) -> None:
    assert plex.tv is plex_tv
    assert plex.server is plex_server
    assert plex_tv.server is plex_server
