"""A local fake of Overseerr: a real HTTP server on 127.0.0.1, and Overseerr's webhooks.

`FakeOverseerr` is a Starlette app that uvicorn serves on a daemon thread (the base of the Plex
fakes, `FakeHttpServer`), answering `/api/v1/...` as Overseerr's published API description
(sct/overseerr, overseerr-api.yml) says, with the status codes and error bodies the real server
gives:

- Credentials: `X-Api-Key: OVERSEERR_API_KEY` acts as the admin (user 1), or as the user named
  by `X-Api-User`. No key (and no `connect.sid` cookie): 401 from the OpenAPI validator; a
  wrong key: 403 `{"status": 403, "error": ...}`. `GET /status` is public.
- Like Overseerr, which runs express-openapi-validator on its API, the fake answers 400 to path
  or query parameters and JSON bodies that do not follow the description (including unknown
  query parameters), using the schemas committed in tests/fakes/specs/overseerr-schemas.json.
  `assert_requests_follow_spec(fake)` checks every call a test made the same way.
- Other errors are `{"message": ...}` with Overseerr's status: 409 for a second request of a
  movie, 202 when no season is left to request, 500 for a TMDB id TMDB does not know.

The dataset: every title of the fake Plex server (tests/fakes/plex.py) under the TMDB id Plex
gives it (900000 + rating key), AVAILABLE; Severance is PARTIALLY_AVAILABLE (TMDB knows a
season Plex lacks); Dune: Part Two is requested (PENDING, request 1 by `OVERSEERR_FRIEND`);
a few titles Overseerr has no media for; two titles still to come (a film in 45 days, a series
in 30), which only the upcoming discover lists show. Discover lists are the titles by
popularity, 20 a page (trending has a person in it, as TMDB's does). Users: the Plex owner
(admin, id 1), the Plex friend, and a local user.

Webhooks: `webhook_payload()` fills Overseerr's default JSON template as its webhook agent
does; `FakeOverseerr.send_webhook()` posts it for a request, `send_test_webhook()` the test
notification.

`overseerr_server` runs once per session; the `overseerr` fixture hands it to a test, reset
around it. `overseerr_env(fake)` points a `medianest serve` process at it.
"""

import hashlib
import json
import math
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.plex import MACHINE_ID, PLEX_FRIEND, PLEX_OWNER, FakeHttpServer
from tests.fakes.plex import MOVIES as PLEX_MOVIES
from tests.fakes.plex import SHOWS as PLEX_SHOWS

Json = dict[str, Any]

OVERSEERR_API_KEY = "MTcwNDA2NzIwMDAwMGZha2Utb3ZlcnNlZXJyLWtleQ=="
"""The API key of the fake (Settings > General in a real Overseerr)."""
API = "/api/v1"
OVERSEERR_VERSION = "1.33.2"
COMMIT_TAG = "f2e4dc0b0c7ac4b2b6ec6b5b6f9b4cb0e2f5d7a1"
TMDB_IMAGE = "https://image.tmdb.org/t/p/w600_and_h900_bestv2"

SPECS = Path(__file__).resolve().parent / "specs"
SCHEMAS: Json = json.loads((SPECS / "overseerr-schemas.json").read_text(encoding="utf-8"))
DEFAULT_TEMPLATE: Json = json.loads(
    (SPECS / "overseerr-webhook-default-template.json").read_text(encoding="utf-8")
)

# ---------------------------------------------------------------------------- Overseerr's codes


class MediaStatus(IntEnum):
    UNKNOWN = 1
    PENDING = 2
    PROCESSING = 3
    PARTIALLY_AVAILABLE = 4
    AVAILABLE = 5


class RequestStatus(IntEnum):
    PENDING = 1
    APPROVED = 2
    DECLINED = 3
    FAILED = 4


class Permission(IntEnum):
    """The permission bits the fake checks (Overseerr has more)."""

    ADMIN = 2
    MANAGE_USERS = 8
    MANAGE_REQUESTS = 16
    REQUEST = 32
    AUTO_APPROVE = 128
    AUTO_APPROVE_MOVIE = 256
    AUTO_APPROVE_TV = 512
    REQUEST_4K = 1024
    REQUEST_4K_MOVIE = 2048
    REQUEST_4K_TV = 4096
    REQUEST_VIEW = 16384
    AUTO_APPROVE_4K = 32768
    AUTO_APPROVE_4K_MOVIE = 65536
    AUTO_APPROVE_4K_TV = 131072
    REQUEST_MOVIE = 262144
    REQUEST_TV = 524288


PLEX_USER, LOCAL_USER = 1, 2  # userType

# ---------------------------------------------------------------------------- users


@dataclass(frozen=True)
class OverseerrUser:
    id: int
    email: str
    permissions: int
    user_type: int
    plex_id: int | None = None
    plex_username: str | None = None
    username: str | None = None
    avatar: str = ""

    @property
    def display_name(self) -> str:
        return self.username or self.plex_username or self.email

    def has(self, *permissions: Permission) -> bool:
        """All of `permissions` (admins have every permission)."""
        return bool(self.permissions & Permission.ADMIN) or all(
            self.permissions & permission for permission in permissions
        )

    def has_any(self, *permissions: Permission) -> bool:
        return any(self.has(permission) for permission in permissions)


def _gravatar(email: str) -> str:
    digest = hashlib.md5(email.encode()).hexdigest()  # noqa: S324 - Gravatar's identifier
    return f"https://www.gravatar.com/avatar/{digest}?default=mm&size=200"


OVERSEERR_ADMIN = OverseerrUser(
    1, PLEX_OWNER.email, Permission.ADMIN, PLEX_USER, PLEX_OWNER.id, PLEX_OWNER.username,
    avatar=PLEX_OWNER.thumb,
)  # fmt: skip
OVERSEERR_FRIEND = OverseerrUser(
    2, PLEX_FRIEND.email, Permission.REQUEST, PLEX_USER, PLEX_FRIEND.id, PLEX_FRIEND.username,
    avatar=PLEX_FRIEND.thumb,
)  # fmt: skip
OVERSEERR_LOCAL = OverseerrUser(
    3, "local-requester@example.test", Permission.REQUEST, LOCAL_USER,
    username="local-requester", avatar=_gravatar("local-requester@example.test"),
)  # fmt: skip
USERS = {user.id: user for user in (OVERSEERR_ADMIN, OVERSEERR_FRIEND, OVERSEERR_LOCAL)}

# ---------------------------------------------------------------------------- TMDB titles


@dataclass(frozen=True)
class TmdbSeason:
    number: int
    episodes: int
    air_date: str | None


@dataclass(frozen=True)
class Title:
    """A movie or a series as TMDB describes it, which is what Overseerr shows of it."""

    tmdb_id: int
    media_type: str  # movie | tv
    title: str
    date: str  # release date, or first air date
    genres: tuple[str, ...]
    overview: str = ""
    seasons: tuple[TmdbSeason, ...] = ()
    plex_rating_key: str | None = None  # where the fake Plex server has it

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def tvdb_id(self) -> int | None:
        return self.tmdb_id - 100_000 if self.media_type == "tv" else None

    @property
    def imdb_id(self) -> str:
        return f"tt{self.tmdb_id:07d}"

    @property
    def poster_path(self) -> str:
        return f"/{_digest(self.title, 'poster')}.jpg"

    @property
    def backdrop_path(self) -> str:
        return f"/{_digest(self.title, 'backdrop')}.jpg"


@dataclass(frozen=True)
class Person:
    tmdb_id: int
    name: str
    known_for: tuple[int, ...]  # TMDB ids of movies


def _digest(*parts: str) -> str:
    return hashlib.sha1("/".join(parts).encode()).hexdigest()[:27]  # noqa: S324 - a file name


def _seasons(first_air_date: str, episodes: Sequence[int]) -> tuple[TmdbSeason, ...]:
    year = int(first_air_date[:4])
    return tuple(
        TmdbSeason(number, count, f"{year + number - 1}{first_air_date[4:]}")
        for number, count in enumerate(episodes, start=1)
    )


def _split(episodes: int, seasons: int) -> list[int]:
    """`episodes` over `seasons`, the remainder in the last one (9 + 10 for 19 over 2)."""
    share = episodes // seasons
    return [share] * (seasons - 1) + [episodes - share * (seasons - 1)]


# Seasons TMDB knows that the fake Plex server does not hold: these series are partly there.
UNRELEASED_SEASONS = {"Severance": TmdbSeason(3, 10, None)}


def _plex_titles() -> list[Title]:
    """The fake Plex server's library, with the TMDB ids and dates its metadata gives."""
    titles = []
    for index, (name, year, genres) in enumerate(PLEX_MOVIES):
        key = 101 + index
        date = f"{year}-{key % 12 + 1:02d}-15"
        overview = f"{name} ({year}), a film as TMDB describes it."
        titles.append(Title(900_000 + key, "movie", name, date, genres, overview, (), str(key)))
    for index, (name, year, seasons, episodes, genres) in enumerate(PLEX_SHOWS):
        key = 201 + index
        date = f"{year}-{key % 12 + 1:02d}-15"
        overview = f"{name} ({year}), a series as TMDB describes it."
        tmdb_seasons = _seasons(date, _split(episodes, seasons))
        if name in UNRELEASED_SEASONS:
            tmdb_seasons = (*tmdb_seasons, UNRELEASED_SEASONS[name])
        titles.append(
            Title(900_000 + key, "tv", name, date, genres, overview, tmdb_seasons, str(key))
        )
    return titles


DUNE_PART_TWO = Title(
    910_001, "movie", "Dune: Part Two", "2024-02-27", ("Adventure", "Science Fiction"),
    "Paul Atreides unites with the Fremen while on a path of revenge.",
)  # fmt: skip
FURIOSA = Title(
    910_002, "movie", "Furiosa: A Mad Max Saga", "2024-05-22", ("Action", "Adventure"),
    "The origin story of the renegade warrior before she met Mad Max.",
)  # fmt: skip
OPPENHEIMER = Title(
    910_003, "movie", "Oppenheimer", "2023-07-19", ("Drama",),
    "The story of J. Robert Oppenheimer and the atomic bomb.",
)  # fmt: skip
THE_BEAR = Title(
    910_101, "tv", "The Bear", "2022-06-23", ("Comedy", "Drama"),
    "A young chef comes home to run his family's sandwich shop.",
    _seasons("2022-06-23", [8, 10, 10]),
)  # fmt: skip
SHOGUN = Title(
    910_102, "tv", "Shōgun", "2024-02-27", ("Drama",),
    "In Japan in the year 1600, two men meet at the dawn of a century-defining civil war.",
    (TmdbSeason(0, 1, "2024-02-27"), *_seasons("2024-02-27", [10])),
)  # fmt: skip


def _in_days(days: int) -> str:
    """A date relative to today: TMDB's upcoming lists are relative to the day asked."""
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


STARFALL = Title(
    910_004, "movie", "Starfall Protocol", _in_days(45), ("Science Fiction", "Thriller"),
    "A salvage crew finds a signal that should not exist.",
)  # fmt: skip
HARBOUR_LIGHTS = Title(
    910_103, "tv", "Harbour Lights", _in_days(30), ("Drama", "Mystery"),
    "A coastal town keeps its secrets until the lighthouse goes dark.",
    _seasons(_in_days(30), [8]),
)  # fmt: skip
TITLES: dict[tuple[str, int], Title] = {
    (title.media_type, title.tmdb_id): title
    for title in (
        *_plex_titles(), DUNE_PART_TWO, FURIOSA, OPPENHEIMER, THE_BEAR, SHOGUN, STARFALL,
        HARBOUR_LIGHTS,
    )
}  # fmt: skip
DENIS_VILLENEUVE = Person(920_001, "Denis Villeneuve", (900_108, 910_001, 900_107))
PEOPLE = (DENIS_VILLENEUVE,)

# Titles by the state Overseerr has them in, for tests.
AVAILABLE_MOVIE = TITLES["movie", 900_101]  # Batman Begins, in Plex
REQUESTED_MOVIE = TITLES["movie", DUNE_PART_TWO.tmdb_id]  # PENDING, request 1
NEW_MOVIE = TITLES["movie", OPPENHEIMER.tmdb_id]  # no media in Overseerr
AVAILABLE_SHOW = TITLES["tv", 900_201]  # Breaking Bad, every season in Plex
PARTIAL_SHOW = TITLES["tv", 900_204]  # Severance: seasons 1 and 2 in Plex, not 3
NEW_SHOW = TITLES["tv", THE_BEAR.tmdb_id]  # no media in Overseerr
PENDING_REQUEST_ID = 1

GENRE_IDS = {
    "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80, "Drama": 18,
    "Fantasy": 14, "Horror": 27, "Music": 10402, "Mystery": 9648, "Romance": 10749,
    "Science Fiction": 878, "Thriller": 53,
}  # fmt: skip
SEARCH_PAGE_SIZE = 20  # TMDB's
UPCOMING_MOVIE = STARFALL  # released in 45 days: only in /discover/movies/upcoming
UPCOMING_SHOW = HARBOUR_LIGHTS  # first aired in 30 days: only in /discover/tv/upcoming

# ---------------------------------------------------------------------------- Overseerr's data

DATASET_START = datetime(2024, 1, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _now() -> str:
    return _iso(datetime.now(UTC))


def _day(day: int) -> str:
    return _iso(DATASET_START + timedelta(days=day))


@dataclass
class Media:
    """Overseerr's record of a title (`mediaInfo`); `seasons` maps season numbers to status."""

    id: int
    title: Title
    status: int
    created_at: str
    status4k: int = MediaStatus.UNKNOWN
    seasons: dict[int, int] = field(default_factory=dict)
    updated_at: str = ""
    media_added_at: str | None = None

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at

    def get_status(self, is4k: bool) -> int:
        return self.status4k if is4k else self.status

    def set_status(self, is4k: bool, status: int) -> None:
        if is4k:
            self.status4k = status
        else:
            self.status = status
        self.updated_at = _now()


@dataclass
class MediaRequest:
    """A request; `seasons` maps the requested season numbers to their request status."""

    id: int
    media: Media
    status: int
    requested_by: int
    created_at: str
    is4k: bool = False
    modified_by: int | None = None
    seasons: dict[int, int] = field(default_factory=dict)
    options: Json = field(default_factory=dict)  # serverId, profileId, rootFolder, ...
    updated_at: str = ""

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at


def initial_media() -> dict[tuple[str, int], Media]:
    """Plex's titles as Overseerr's Plex scan left them, and the requested movie."""
    media: dict[tuple[str, int], Media] = {}
    for title in TITLES.values():
        if title.plex_rating_key is None:
            continue
        unreleased = UNRELEASED_SEASONS.get(title.title)
        seasons: dict[int, int] = {
            s.number: MediaStatus.AVAILABLE for s in title.seasons if s != unreleased
        }
        partial = len(seasons) < len(title.seasons)
        status = MediaStatus.PARTIALLY_AVAILABLE if partial else MediaStatus.AVAILABLE
        added = _day(len(media))
        media[title.media_type, title.tmdb_id] = Media(
            len(media) + 1, title, status, added, seasons=seasons, media_added_at=added
        )
    media["movie", REQUESTED_MOVIE.tmdb_id] = Media(
        len(media) + 1, REQUESTED_MOVIE, MediaStatus.PENDING, _day(60)
    )
    return media


def initial_requests(media: Mapping[tuple[str, int], Media]) -> dict[int, MediaRequest]:
    pending = MediaRequest(
        PENDING_REQUEST_ID,
        media["movie", REQUESTED_MOVIE.tmdb_id],
        RequestStatus.PENDING,
        requested_by=OVERSEERR_FRIEND.id,
        created_at=_day(60),
    )
    return {pending.id: pending}


# ---------------------------------------------------------------------------- JSON


def user_json(user: OverseerrUser, request_count: int) -> Json:
    return {
        "permissions": user.permissions,
        "id": user.id,
        "email": user.email,
        "plexUsername": user.plex_username,
        "username": user.username,
        "recoveryLinkExpirationDate": None,
        "userType": user.user_type,
        "plexId": user.plex_id,
        "avatar": user.avatar,
        "movieQuotaLimit": None,
        "movieQuotaDays": None,
        "tvQuotaLimit": None,
        "tvQuotaDays": None,
        "createdAt": _day(user.id - 1),
        "updatedAt": _day(user.id - 1),
        "requestCount": request_count,
        "displayName": user.display_name,
    }


def media_json(media: Media, requests: list[Json] | None = None) -> Json:
    """`mediaInfo`; with `requests` as Overseerr adds them on a title's details."""
    key = media.title.plex_rating_key
    data: Json = {
        "id": media.id,
        "mediaType": media.title.media_type,
        "tmdbId": media.title.tmdb_id,
        "tvdbId": media.title.tvdb_id,
        "imdbId": None,
        "status": media.status,
        "status4k": media.status4k,
        "createdAt": media.created_at,
        "updatedAt": media.updated_at,
        "lastSeasonChange": media.updated_at,
        "mediaAddedAt": media.media_added_at,
        "serviceId": None,
        "serviceId4k": None,
        "externalServiceId": None,
        "externalServiceId4k": None,
        "externalServiceSlug": None,
        "externalServiceSlug4k": None,
        "ratingKey": key,
        "ratingKey4k": None,
        "seasons": [
            {
                "id": media.id * 100 + number,
                "seasonNumber": number,
                "status": status,
                "status4k": MediaStatus.UNKNOWN,
                "createdAt": media.created_at,
                "updatedAt": media.updated_at,
            }
            for number, status in sorted(media.seasons.items())
        ],
    }
    if key is not None:
        data["plexUrl"] = (
            f"https://app.plex.tv/desktop#!/server/{MACHINE_ID}/details"
            f"?key=%2Flibrary%2Fmetadata%2F{key}"
        )
    if requests is not None:
        data["requests"] = requests
    return data


def _genres(title: Title) -> list[Json]:
    return [{"id": GENRE_IDS[name], "name": name} for name in title.genres]


def _votes(title: Title) -> Json:
    return {
        "popularity": round(10 + title.tmdb_id % 97 * 1.3, 1),
        "voteAverage": round(6 + title.tmdb_id % 31 / 10, 1),
        "voteCount": 100 + title.tmdb_id % 997,
    }


def movie_result(title: Title, media: Json | None) -> Json:
    result: Json = {
        "id": title.tmdb_id,
        "mediaType": "movie",
        "adult": False,
        "genreIds": [GENRE_IDS[name] for name in title.genres],
        "originalLanguage": "en",
        "originalTitle": title.title,
        "overview": title.overview,
        "releaseDate": title.date,
        "title": title.title,
        "video": False,
        "backdropPath": title.backdrop_path,
        "posterPath": title.poster_path,
        **_votes(title),
    }
    if media is not None:
        result["mediaInfo"] = media
    return result


def tv_result(title: Title, media: Json | None) -> Json:
    result: Json = {
        "id": title.tmdb_id,
        "mediaType": "tv",
        "firstAirDate": title.date,
        "genreIds": [GENRE_IDS[name] for name in title.genres],
        "name": title.title,
        "originCountry": ["US"],
        "originalLanguage": "en",
        "originalName": title.title,
        "overview": title.overview,
        "backdropPath": title.backdrop_path,
        "posterPath": title.poster_path,
        **_votes(title),
    }
    if media is not None:
        result["mediaInfo"] = media
    return result


def person_result(person: Person) -> Json:
    return {
        "id": person.tmdb_id,
        "name": person.name,
        "popularity": 25.5,
        "adult": False,
        "mediaType": "person",
        "profilePath": f"/{_digest(person.name, 'profile')}.jpg",
        "knownFor": [movie_result(TITLES["movie", tmdb_id], None) for tmdb_id in person.known_for],
    }


def _details(title: Title, media: Json | None) -> Json:
    """What the movie and series details share."""
    details: Json = {
        "id": title.tmdb_id,
        "backdropPath": title.backdrop_path,
        "posterPath": title.poster_path,
        "genres": _genres(title),
        "homepage": "",
        "originalLanguage": "en",
        "overview": title.overview,
        "productionCompanies": [],
        "productionCountries": [{"iso_3166_1": "US", "name": "United States of America"}],
        "spokenLanguages": [{"englishName": "English", "iso_639_1": "en", "name": "English"}],
        "tagline": "",
        "credits": {"cast": [], "crew": []},
        "keywords": [],
        "watchProviders": [],
        **_votes(title),
    }
    if media is not None:
        details["mediaInfo"] = media
    return details


def movie_details(title: Title, media: Json | None) -> Json:
    return _details(title, media) | {
        "imdbId": title.imdb_id,
        "adult": False,
        "budget": 0,
        "relatedVideos": [],
        "originalTitle": title.title,
        "releaseDate": title.date,
        "releases": {"results": []},
        "revenue": 0,
        "runtime": 90 + title.tmdb_id % 60,
        "status": "Released",
        "title": title.title,
        "video": False,
        "externalIds": {"imdbId": title.imdb_id, "facebookId": None, "instagramId": None},
    }


def tv_details(title: Title, media: Json | None) -> Json:
    aired = [season for season in title.seasons if season.air_date is not None]
    numbered = [season for season in title.seasons if season.number > 0]
    return _details(title, media) | {
        "contentRatings": {"results": [{"iso_3166_1": "US", "rating": "TV-MA"}]},
        "createdBy": [],
        "episodeRunTime": [50],
        "firstAirDate": title.date,
        "inProduction": len(aired) < len(title.seasons),
        "languages": ["en"],
        "lastAirDate": max((s.air_date for s in aired if s.air_date), default=title.date),
        "name": title.title,
        "networks": [{"id": 49, "name": "MediaNest Network", "originCountry": "US"}],
        "numberOfEpisodes": sum(season.episodes for season in numbered),
        "numberOfSeasons": len(numbered),
        "originCountry": ["US"],
        "originalName": title.title,
        "seasons": [_season_json(title, season) for season in title.seasons],
        "status": "Returning Series" if len(aired) < len(title.seasons) else "Ended",
        "type": "Scripted",
        "externalIds": {"tvdbId": title.tvdb_id, "imdbId": title.imdb_id},
    }


def _season_json(title: Title, season: TmdbSeason) -> Json:
    return {
        "id": title.tmdb_id * 100 + season.number,
        "airDate": season.air_date,
        "episodeCount": season.episodes,
        "name": f"Season {season.number}" if season.number else "Specials",
        "overview": "",
        "posterPath": f"/{_digest(title.title, 'season', str(season.number))}.jpg",
        "seasonNumber": season.number,
    }


# ---------------------------------------------------------------------------- spec checks


@dataclass(frozen=True)
class ApiCall:
    """A call to /api/v1 as the fake received it (unlike `RecordedRequest`, with its body)."""

    operation: str  # its key in overseerr-schemas.json: "POST /api/v1/request"
    method: str
    path: str
    path_params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def payload(self) -> Any:
        """The JSON body; none reads as `{}`, as Express's body parser leaves it."""
        return json.loads(self.body) if self.body.strip() else {}


@cache
def _validator(operation: str, part: str) -> Draft202012Validator:
    """A validator of the `part` (path, query, body) of what a client sends `operation`."""
    return Draft202012Validator(SCHEMAS["requests"][operation][part])


def _errors(operation: str, part: str, value: object) -> list[tuple[str, str]]:
    """(JSON pointer, message) of what in `value` does not follow its schema."""
    validator = _validator(operation, part)
    errors = sorted(validator.iter_errors(value), key=lambda error: list(error.absolute_path))
    return [("".join(f"/{p}" for p in error.absolute_path), error.message) for error in errors]


def _coerce(value: str, schema: Json) -> object:
    """A query or path value as the type its schema declares (as the validator coerces it)."""
    declared = schema.get("type", [])
    types = declared if isinstance(declared, list) else [declared]
    if value == "" and "null" in types:
        return None
    if {"number", "integer"} & set(types):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if "boolean" in types and value in {"true", "false"}:
        return value == "true"
    return value


def _parameter_violations(operation: str, location: str, given: Mapping[str, str]) -> list[str]:
    declared: Json = SCHEMAS["requests"][operation][location]["properties"]
    problems = [
        f"Unknown query parameter '{name}'"
        for name in given
        if location == "query" and name not in declared
    ]
    values = {
        name: _coerce(value, declared[name]) for name, value in given.items() if name in declared
    }
    problems += [
        f"request/{location}{pointer} {message}"
        for pointer, message in _errors(operation, location, values)
    ]
    return problems


def _body_violations(call: ApiCall) -> list[str]:
    if "body" not in SCHEMAS["requests"][call.operation]:
        return []
    content_type = call.headers.get("content-type", "application/json")
    if call.body.strip() and not content_type.startswith("application/json"):
        return [f"request/body is {content_type}: Overseerr reads JSON bodies only"]
    try:
        body = call.payload
    except ValueError as error:
        return [f"request/body is not JSON: {error}"]
    errors = _errors(call.operation, "body", body)
    return [f"request/body{pointer} {message}" for pointer, message in errors]


def call_violations(call: ApiCall) -> list[str]:
    """How the call's parameters and body depart from Overseerr's API description."""
    return [
        *_parameter_violations(call.operation, "path", call.path_params),
        *_parameter_violations(call.operation, "query", call.query),
        *_body_violations(call),
    ]


def _is_public(operation: str) -> bool:
    return not SCHEMAS["_source"]["endpoints"][operation]["security"]


def _operation_pattern(operation: str) -> tuple[str, re.Pattern[str]]:
    method, path = operation.split(" ", 1)
    return method, re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$")


OPERATION_PATTERNS = [_operation_pattern(key) for key in SCHEMAS["requests"]]


def assert_requests_follow_spec(fake: "FakeOverseerr") -> None:
    """Every call to /api/v1 since the last reset is an operation the fake implements, with
    the credentials, parameters and body Overseerr's API description asks for.

    End-to-end tests call it last, to show MediaNest sends what a real Overseerr accepts.
    """
    problems = [
        f"{recorded.method} {recorded.path}: not an operation the fake implements"
        for recorded in fake.requests
        if recorded.path.startswith(API)
        and not any(
            method == recorded.method and pattern.match(recorded.path)
            for method, pattern in OPERATION_PATTERNS
        )
    ]
    for call in fake.api_calls:
        found = [*call_violations(call), *_client_mistakes(call)]
        problems += [f"{call.method} {call.path}: {problem}" for problem in found]
    assert not problems, "calls that do not follow overseerr-api.yml:\n" + "\n".join(problems)


def _client_mistakes(call: ApiCall) -> list[str]:
    """What Overseerr would not refuse with a 400, but a client should not do."""
    mistakes = []
    if not _is_public(call.operation) and "x-api-key" not in call.headers:
        mistakes.append("no X-Api-Key header")
    takes_body = "body" in SCHEMAS["requests"][call.operation]
    if not takes_body and call.body.strip() not in {b"", b"{}"}:
        mistakes.append("a body, which the operation does not take")
    return mistakes


# ---------------------------------------------------------------------------- answers


def _message(status: int, message: str) -> Response:
    """Overseerr's error handler: `{"message": ...}`."""
    return JSONResponse({"message": message}, status_code=status)


def _forbidden() -> Response:
    """What Overseerr's `isAuthenticated` answers a user (or key) without permission."""
    error = "You do not have permission to access this endpoint"
    return JSONResponse({"status": 403, "error": error}, status_code=403)


def _no_credentials(path: str) -> Response:
    """What express-openapi-validator answers a call with neither session cookie nor key."""
    message = "cookie 'connect.sid' required"
    body = {"message": message, "errors": [{"path": path, "message": message}]}
    return JSONResponse(body, status_code=401)


def _bad_request(problems: list[str]) -> Response:
    errors = [{"message": problem} for problem in problems]
    return JSONResponse({"message": ", ".join(problems), "errors": errors}, status_code=400)


def _int(query: Mapping[str, str], name: str, default: int) -> int:
    value = query.get(name, "")
    return int(float(value)) if value else default


def _page(items: Sequence[Json], query: Mapping[str, str], default_size: int) -> Json:
    """Overseerr's `pageInfo` paging with `take` and `skip`."""
    size = _int(query, "take", default_size) or default_size
    skip = _int(query, "skip", 0)
    return {
        "pageInfo": {
            "pages": math.ceil(len(items) / size),
            "pageSize": size,
            "results": len(items),
            "page": math.ceil(skip / size) + 1,
        },
        "results": list(items[skip : skip + size]),
    }


def _tmdb_page(found: Sequence[Json], query: Mapping[str, str]) -> Json:
    """TMDB's paging (`page`, 20 a page), as Overseerr passes it through."""
    page = max(1, _int(query, "page", 1))
    start = (page - 1) * SEARCH_PAGE_SIZE
    return {
        "page": page,
        "totalPages": max(1, math.ceil(len(found) / SEARCH_PAGE_SIZE)),
        "totalResults": len(found),
        "results": list(found[start : start + SEARCH_PAGE_SIZE]),
    }


ALL_MEDIA: frozenset[int] = frozenset(MediaStatus)
ALL_REQUESTS: frozenset[int] = frozenset(RequestStatus)
NOT_AVAILABLE = ALL_MEDIA - {MediaStatus.AVAILABLE}
APPROVED = frozenset({RequestStatus.APPROVED})
REQUEST_FILTERS: dict[str, tuple[frozenset[int], frozenset[int]]] = {
    # filter: (request statuses, media statuses), as GET /request filters
    "approved": (APPROVED, ALL_MEDIA),
    "processing": (APPROVED, NOT_AVAILABLE),
    "available": (APPROVED, frozenset({MediaStatus.AVAILABLE})),
    "pending": (frozenset({RequestStatus.PENDING}), ALL_MEDIA),
    "unavailable": (frozenset({RequestStatus.PENDING, RequestStatus.APPROVED}), NOT_AVAILABLE),
    "failed": (frozenset({RequestStatus.FAILED}), ALL_MEDIA),
}
MEDIA_FILTERS: dict[str, frozenset[int]] = {  # filter: media statuses, as GET /media filters
    "available": frozenset({MediaStatus.AVAILABLE}),
    "partial": frozenset({MediaStatus.PARTIALLY_AVAILABLE}),
    "allavailable": frozenset({MediaStatus.AVAILABLE, MediaStatus.PARTIALLY_AVAILABLE}),
    "processing": frozenset({MediaStatus.PROCESSING}),
    "pending": frozenset({MediaStatus.PENDING}),
}
AUTO_APPROVAL = {  # (media type, is4k): the permissions that approve a request when it is made
    ("movie", False): (Permission.AUTO_APPROVE, Permission.AUTO_APPROVE_MOVIE),
    ("tv", False): (Permission.AUTO_APPROVE, Permission.AUTO_APPROVE_TV),
    ("movie", True): (Permission.AUTO_APPROVE_4K, Permission.AUTO_APPROVE_4K_MOVIE),
    ("tv", True): (Permission.AUTO_APPROVE_4K, Permission.AUTO_APPROVE_4K_TV),
}
REQUEST_PERMISSION = {  # (media type, is4k): the permissions that let a user request
    ("movie", False): (Permission.REQUEST, Permission.REQUEST_MOVIE),
    ("tv", False): (Permission.REQUEST, Permission.REQUEST_TV),
    ("movie", True): (Permission.REQUEST_4K, Permission.REQUEST_4K_MOVIE),
    ("tv", True): (Permission.REQUEST_4K, Permission.REQUEST_4K_TV),
}
REQUEST_OPTIONS = ("serverId", "profileId", "rootFolder", "languageProfileId", "tags")

# ---------------------------------------------------------------------------- webhooks

WEBHOOK_PLACEHOLDERS = frozenset(
    {
        "notification_type", "event", "subject", "message", "image",
        "notifyuser_username", "notifyuser_email", "notifyuser_avatar",
        "notifyuser_settings_discordId", "notifyuser_settings_telegramChatId",
        "media_tmdbid", "media_tvdbid", "media_type", "media_status", "media_status4k",
        "request_id", "requestedBy_username", "requestedBy_email", "requestedBy_avatar",
        "requestedBy_settings_discordId", "requestedBy_settings_telegramChatId",
        "issue_id", "issue_type", "issue_status", "reportedBy_username", "reportedBy_email",
        "reportedBy_avatar", "reportedBy_settings_discordId",
        "reportedBy_settings_telegramChatId", "comment_message", "commentedBy_username",
        "commentedBy_email", "commentedBy_avatar", "commentedBy_settings_discordId",
        "commentedBy_settings_telegramChatId",
    }
)  # fmt: skip
"""The template variables Overseerr's webhook agent fills; others are left as written."""
WEBHOOK_SECTIONS = {
    "{{media}}": "media",
    "{{request}}": "request",
    "{{issue}}": "issue",
    "{{comment}}": "comment",
}
EVENTS = {  # the `event` of each notification of a request; kind: Movie, Series, 4K Movie...
    "MEDIA_PENDING": "New {kind} Request",
    "MEDIA_AUTO_APPROVED": "{kind} Request Automatically Approved",
    "MEDIA_APPROVED": "{kind} Request Approved",
    "MEDIA_DECLINED": "{kind} Request Declined",
    "MEDIA_FAILED": "{kind} Request Failed",
    "MEDIA_AVAILABLE": "{kind} Now Available",
}
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class WebhookNotification:
    """What Overseerr hands its webhook agent: the values of the template variables.

    `media`, `request`, `issue` and `comment` hold the variables of those sections of the
    template (`media_type`, `request_id`, ...); None leaves the section out (null).
    """

    notification_type: str
    event: str = ""
    subject: str = ""
    message: str = ""
    image: str = ""
    media: Mapping[str, object] | None = None
    request: Mapping[str, object] | None = None
    issue: Mapping[str, object] | None = None
    comment: Mapping[str, object] | None = None
    extra: tuple[Mapping[str, str], ...] = ()

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {
            "notification_type": self.notification_type,
            "event": self.event,
            "subject": self.subject,
            "message": self.message,
            "image": self.image,
        }
        for section in (self.media, self.request, self.issue, self.comment):
            values |= section or {}
        return values


TEST_NOTIFICATION = WebhookNotification(
    "TEST_NOTIFICATION",
    subject="Test Notification",
    message="Check check, 1, 2, 3. Are we coming in clear?",
)


def _js_string(value: object) -> str:
    """A value as JavaScript writes it into a string; missing values are empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def webhook_payload(
    notification: WebhookNotification,
    *,
    overrides: Mapping[str, object] | None = None,
    template: Json | None = None,
) -> Json:
    """The JSON body Overseerr's webhook agent posts: `template` (Overseerr's default) with
    every variable replaced by a string, `{{media}}`... replaced by `media`... (an object, or
    null when the notification has none) and `{{extra}}` by `extra` (a list).

    `overrides` replaces the values of variables (`{"media_status": "AVAILABLE"}`).
    """
    values = notification.values() | dict(overrides or {})
    present = {
        name
        for name in ("media", "request", "issue", "comment")
        if getattr(notification, name) is not None
    }

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return PLACEHOLDER.sub(
                lambda m: _js_string(values.get(m[1])) if m[1] in WEBHOOK_PLACEHOLDERS else m[0],
                node,
            )
        if isinstance(node, list):
            return [fill(item) for item in node]
        if not isinstance(node, dict):
            return node
        filled: Json = {}
        for key, value in node.items():
            if key == "{{extra}}":
                filled["extra"] = [dict(item) for item in notification.extra]
            elif key in WEBHOOK_SECTIONS:
                name = WEBHOOK_SECTIONS[key]
                filled[name] = fill(value) if name in present else None
            else:
                filled[key] = fill(value)
        return filled

    payload: Json = fill(DEFAULT_TEMPLATE if template is None else template)
    return payload


def post_webhook(url: str, payload: Json, authorization: str | None = None) -> httpx.Response:
    """POST `payload` as Overseerr does (axios): JSON, `Authorization` only when configured."""
    headers = {
        "Accept": "application/json, text/plain, */*",
        "Content-Type": "application/json",
        "User-Agent": "axios/1.3.4",
    }
    if authorization:
        headers["Authorization"] = authorization
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return httpx.post(url, content=body, headers=headers, timeout=10)


def request_notification(notification_type: str, row: MediaRequest) -> WebhookNotification:
    """The notification Overseerr sends of a request: `notification_type` is one of EVENTS."""
    title, media, user = row.media.title, row.media, USERS[row.requested_by]
    kind = ("4K " if row.is4k else "") + ("Movie" if title.media_type == "movie" else "Series")
    seasons = ", ".join(str(number) for number in sorted(row.seasons))
    return WebhookNotification(
        notification_type,
        event=EVENTS[notification_type].format(kind=kind),
        subject=f"{title.title} ({title.year})",
        message=_truncate(title.overview),
        image=f"{TMDB_IMAGE}{title.poster_path}",
        media={
            "media_type": title.media_type,
            "media_tmdbid": title.tmdb_id,
            "media_tvdbid": title.tvdb_id,
            "media_status": MediaStatus(media.status).name,
            "media_status4k": MediaStatus(media.status4k).name,
        },
        request={
            "request_id": row.id,
            "requestedBy_email": user.email,
            "requestedBy_username": user.display_name,
            "requestedBy_avatar": user.avatar,
        },
        extra=({"name": "Requested Seasons", "value": seasons},)
        if title.media_type == "tv"
        else (),
    )


def _truncate(text: str, length: int = 500) -> str:
    """lodash's truncate as Overseerr calls it: cut at a space, end with '…'."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut) + "…"


# ---------------------------------------------------------------------------- the fake

Handler = Callable[[ApiCall, OverseerrUser], Response]


class FakeOverseerr(FakeHttpServer):
    """Overseerr's API v1 (see the module docstring); state is guarded by `self._lock`."""

    def __init__(self) -> None:
        self._media = initial_media()
        self._media_requests = initial_requests(self._media)
        self._created: list[Json] = []
        self._calls: list[ApiCall] = []
        self._key_refused = False
        # Never reset: ids stay unique for the whole run, as MediaNest may store them.
        self._next_media_id = len(self._media) + 1
        self._next_request_id = PENDING_REQUEST_ID + 1
        super().__init__()

    # -- inspection and controls

    @property
    def api_calls(self) -> list[ApiCall]:
        """The calls to implemented /api/v1 operations since the last reset, with bodies."""
        with self._lock:
            return list(self._calls)

    @property
    def requests_made(self) -> list[Json]:
        """The MediaRequests created through `POST /api/v1/request`, as answered (201)."""
        with self._lock:
            return list(self._created)

    def request_by_id(self, request_id: int) -> Json:
        """The request as `GET /api/v1/request/{id}` shows it now (KeyError when absent)."""
        with self._lock:
            return self._request_json(self._media_requests[request_id])

    def media_info(self, tmdb_id: int, media_type: str) -> Json | None:
        """The title's `mediaInfo` (None when Overseerr has no media for it)."""
        with self._lock:
            media = self._media.get((media_type, tmdb_id))
            return None if media is None else self._media_json(media)

    def set_media_status(
        self,
        tmdb_id: int,
        media_type: str,
        status: int,
        seasons: Mapping[int, int] | None = None,
    ) -> None:
        """Set the title's media status and its seasons' (`{season number: status}`), as
        Overseerr does when Radarr or Sonarr finish or its Plex scan finds the files. A series
        made AVAILABLE without `seasons` has every season AVAILABLE. Media going from PENDING
        to AVAILABLE approves its pending requests, as in Overseerr. KeyError for a title the
        fake's TMDB does not know.
        """
        with self._lock:
            media = self._media.get((media_type, tmdb_id)) or self._new_media(
                TITLES[media_type, tmdb_id], MediaStatus.UNKNOWN
            )
            previous = media.status
            media.set_status(False, status)
            if seasons is None and media_type == "tv" and status == MediaStatus.AVAILABLE:
                seasons = {s.number: status for s in media.title.seasons if s.number}
            media.seasons.update(seasons or {})
            if status in {MediaStatus.AVAILABLE, MediaStatus.PARTIALLY_AVAILABLE}:
                media.media_added_at = media.media_added_at or _now()
            if status == MediaStatus.AVAILABLE and previous == MediaStatus.PENDING:
                for row in self._requests_of(media):
                    if not row.is4k and row.status == RequestStatus.PENDING:
                        self._set_request_status(row, RequestStatus.APPROVED, row.modified_by)

    @contextmanager
    def unauthorized(self) -> Iterator[None]:
        """Overseerr refuses the API key inside the block (as once the admin regenerated it):
        403 to every call that needs it; `/status`, which is public, still answers.
        """
        with self._lock:
            previous, self._key_refused = self._key_refused, True
        try:
            yield
        finally:
            with self._lock:
                self._key_refused = previous

    def _reset_state(self) -> None:
        self._media = initial_media()
        self._media_requests = initial_requests(self._media)
        self._created.clear()
        self._calls.clear()
        self._key_refused = False

    # -- webhooks

    def notification(self, notification_type: str, request_id: int) -> WebhookNotification:
        """What Overseerr notifies of the request now (`MEDIA_PENDING`, `MEDIA_AVAILABLE`...)."""
        if notification_type not in EVENTS:
            raise ValueError(f"the fake sends no {notification_type} notification")
        with self._lock:
            return request_notification(notification_type, self._media_requests[request_id])

    def send_webhook(
        self,
        url: str,
        notification_type: str,
        request_id: int,
        *,
        authorization: str | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> httpx.Response:
        """POST the default template filled for the request, as Overseerr's webhook agent."""
        notification = self.notification(notification_type, request_id)
        return post_webhook(url, webhook_payload(notification, overrides=overrides), authorization)

    def send_test_webhook(self, url: str, authorization: str | None = None) -> httpx.Response:
        """POST the test notification (media and request null), as Settings > Test does."""
        return post_webhook(url, webhook_payload(TEST_NOTIFICATION), authorization)

    # -- HTTP plumbing

    def _routes(self) -> list[Route]:
        operations: list[tuple[str, str, Handler]] = [
            ("GET", "/status", self._status),
            ("GET", "/user", self._users),
            ("GET", "/search", self._search),
            ("GET", "/discover/trending", self._trending),
            ("GET", "/discover/movies", self._discover_movies),
            ("GET", "/discover/movies/upcoming", self._upcoming_movies),
            ("GET", "/discover/tv", self._discover_tv),
            ("GET", "/discover/tv/upcoming", self._upcoming_tv),
            ("GET", "/movie/{movieId}", self._movie),
            ("GET", "/tv/{tvId}", self._tv),
            ("GET", "/media", self._media_list),
            ("GET", "/request", self._request_list),
            ("POST", "/request", self._create_request),
            ("GET", "/request/{requestId}", self._get_request),
            ("DELETE", "/request/{requestId}", self._delete_request),
            ("POST", "/request/{requestId}/{status}", self._change_status),
        ]
        return [
            Route(
                f"{API}{path}", self._endpoint(f"{method} {API}{path}", handler), methods=[method]
            )
            for method, path, handler in operations
        ]

    def _error_response(self, status: int, message: str) -> Response:
        return _message(status, message.lower())

    def _endpoint(
        self, operation: str, handler: Handler
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            call = ApiCall(
                operation=operation,
                method=request.method,
                path=request.url.path,
                path_params={name: str(value) for name, value in request.path_params.items()},
                query=dict(request.query_params),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=await request.body(),
            )
            with self._lock:
                self._calls.append(call)
                return self._answer(call, handler)

        return endpoint

    def _answer(self, call: ApiCall, handler: Handler) -> Response:
        """Overseerr's middleware, in its order: the OpenAPI validator, then the user check."""
        public = _is_public(call.operation)
        cookie = call.headers.get("cookie", "")
        if not public and "x-api-key" not in call.headers and "connect.sid" not in cookie:
            return _no_credentials(call.path)
        problems = call_violations(call)
        if problems:
            return _bad_request(problems)
        user = self._acting_user(call)
        if user is None and not public:
            return _forbidden()
        return handler(call, user or OVERSEERR_ADMIN)

    def _acting_user(self, call: ApiCall) -> OverseerrUser | None:
        """Who a key acts as: the admin, or the user `X-Api-User` names."""
        if self._key_refused or call.headers.get("x-api-key") != OVERSEERR_API_KEY:
            return None
        user_id = call.headers.get("x-api-user", "1")
        return USERS.get(int(user_id)) if user_id.isdigit() else None

    # -- state helpers (lock held)

    def _new_media(self, title: Title, status: int, status4k: int = MediaStatus.UNKNOWN) -> Media:
        media = Media(self._next_media_id, title, status, _now(), status4k)
        self._next_media_id += 1
        self._media[title.media_type, title.tmdb_id] = media
        return media

    def _requests_of(self, media: Media) -> list[MediaRequest]:
        return sorted(
            (r for r in self._media_requests.values() if r.media is media), key=lambda r: r.id
        )

    def _request_count(self, user: OverseerrUser) -> int:
        return sum(row.requested_by == user.id for row in self._media_requests.values())

    def _user_json(self, user_id: int | None) -> Json | None:
        if user_id is None:
            return None
        user = USERS[user_id]
        return user_json(user, self._request_count(user))

    def _request_json(self, row: MediaRequest, *, with_media: bool = True) -> Json:
        data: Json = {
            "id": row.id,
            "status": row.status,
            "createdAt": row.created_at,
            "updatedAt": row.updated_at,
            "type": row.media.title.media_type,
            "is4k": row.is4k,
            **{name: row.options.get(name) for name in REQUEST_OPTIONS},
            "isAutoRequest": False,
            "seasonCount": len(row.seasons),
            "seasons": [
                {
                    "id": row.id * 100 + number,
                    "seasonNumber": number,
                    "status": status,
                    "createdAt": row.created_at,
                    "updatedAt": row.updated_at,
                }
                for number, status in sorted(row.seasons.items())
            ],
            "requestedBy": self._user_json(row.requested_by),
            "modifiedBy": self._user_json(row.modified_by),
        }
        if with_media:
            data["media"] = media_json(row.media)
        return data

    def _media_json(self, media: Media) -> Json:
        """`mediaInfo` of a title's details: with its requests."""
        requests = [self._request_json(row, with_media=False) for row in self._requests_of(media)]
        return media_json(media, requests)

    def _set_request_status(self, row: MediaRequest, status: int, by: int | None) -> None:
        """Change the status, then the media's as Overseerr's `updateParentStatus` does."""
        row.status, row.modified_by, row.updated_at = status, by, _now()
        media, current = row.media, row.media.get_status(row.is4k)
        if status == RequestStatus.APPROVED:
            if current not in {MediaStatus.AVAILABLE, MediaStatus.PARTIALLY_AVAILABLE}:
                media.set_status(row.is4k, MediaStatus.PROCESSING)
            row.seasons = dict.fromkeys(row.seasons, RequestStatus.APPROVED)
        elif status == RequestStatus.DECLINED and media.title.media_type == "movie":
            media.set_status(row.is4k, MediaStatus.UNKNOWN)
        elif status == RequestStatus.DECLINED and current == MediaStatus.PENDING:
            pending = [r for r in self._requests_of(media) if r.status == RequestStatus.PENDING]
            if not pending:
                media.set_status(row.is4k, MediaStatus.UNKNOWN)

    # -- endpoints (lock held)

    def _status(self, _call: ApiCall, _user: OverseerrUser) -> Response:
        return JSONResponse(
            {
                "version": OVERSEERR_VERSION,
                "commitTag": COMMIT_TAG,
                "updateAvailable": False,
                "commitsBehind": 0,
                "restartRequired": False,
            }
        )

    def _users(self, call: ApiCall, _user: OverseerrUser) -> Response:
        rows = [user_json(user, self._request_count(user)) for user in USERS.values()]
        sort = call.query.get("sort", "created")
        if sort == "updated":
            rows.sort(key=lambda row: row["updatedAt"], reverse=True)
        elif sort == "requests":
            rows.sort(key=lambda row: row["requestCount"], reverse=True)
        elif sort == "displayname":
            rows.sort(key=lambda row: row["displayName"].lower())
        return JSONResponse(_page(rows, call.query, 10))

    def _search(self, call: ApiCall, _user: OverseerrUser) -> Response:
        words = call.query["query"].casefold()
        found: list[tuple[str, Json]] = []
        for title in TITLES.values():
            if words in title.title.casefold():
                media = self._media.get((title.media_type, title.tmdb_id))
                info = None if media is None else media_json(media)
                build = movie_result if title.media_type == "movie" else tv_result
                found.append((title.title, build(title, info)))
        found += [(p.name, person_result(p)) for p in PEOPLE if words in p.name.casefold()]
        found.sort(key=lambda entry: (not entry[0].casefold().startswith(words), entry[0]))
        page = max(1, _int(call.query, "page", 1))
        start = (page - 1) * SEARCH_PAGE_SIZE
        return JSONResponse(
            {
                "page": page,
                "totalPages": max(1, math.ceil(len(found) / SEARCH_PAGE_SIZE)),
                "totalResults": len(found),
                "results": [result for _, result in found[start : start + SEARCH_PAGE_SIZE]],
            }
        )

    def _result(self, title: Title) -> Json:
        media = self._media.get((title.media_type, title.tmdb_id))
        info = None if media is None else media_json(media)
        return (movie_result if title.media_type == "movie" else tv_result)(title, info)

    def _discovered(
        self, call: ApiCall, titles: Sequence[Title], people: Sequence[Json]
    ) -> Response:
        """A TMDB list page as Overseerr's discover routes answer it: most popular first."""
        ordered = sorted(titles, key=lambda title: -_votes(title)["popularity"])
        found = [self._result(title) for title in ordered]
        for index, person in enumerate(people):  # TMDB's trending mixes people in
            found.insert(min(len(found), 3 + index * 7), person)
        return JSONResponse(_tmdb_page(found, call.query))

    def _trending(self, call: ApiCall, _user: OverseerrUser) -> Response:
        released = [title for title in TITLES.values() if title.date <= _in_days(0)]
        return self._discovered(call, released, [person_result(p) for p in PEOPLE])

    def _discover_movies(self, call: ApiCall, _user: OverseerrUser) -> Response:
        released = [t for t in TITLES.values() if t.media_type == "movie" and t.date <= _in_days(0)]
        return self._discovered(call, released, [])

    def _discover_tv(self, call: ApiCall, _user: OverseerrUser) -> Response:
        released = [t for t in TITLES.values() if t.media_type == "tv" and t.date <= _in_days(0)]
        return self._discovered(call, released, [])

    def _upcoming_movies(self, call: ApiCall, _user: OverseerrUser) -> Response:
        coming = [t for t in TITLES.values() if t.media_type == "movie" and t.date > _in_days(0)]
        return self._discovered(call, coming, [])

    def _upcoming_tv(self, call: ApiCall, _user: OverseerrUser) -> Response:
        coming = [t for t in TITLES.values() if t.media_type == "tv" and t.date > _in_days(0)]
        return self._discovered(call, coming, [])

    def _title(self, media_type: str, tmdb_id: str) -> Title | None:
        number = float(tmdb_id)
        return TITLES.get((media_type, int(number))) if number.is_integer() else None

    def _movie(self, call: ApiCall, _user: OverseerrUser) -> Response:
        title = self._title("movie", call.path_params["movieId"])
        if title is None:  # Overseerr turns TMDB's 404 into a 500
            return _message(500, "Unable to retrieve movie.")
        media = self._media.get(("movie", title.tmdb_id))
        return JSONResponse(
            movie_details(title, None if media is None else self._media_json(media))
        )

    def _tv(self, call: ApiCall, _user: OverseerrUser) -> Response:
        title = self._title("tv", call.path_params["tvId"])
        if title is None:
            return _message(500, "Unable to retrieve series.")
        media = self._media.get(("tv", title.tmdb_id))
        return JSONResponse(tv_details(title, None if media is None else self._media_json(media)))

    def _media_list(self, call: ApiCall, _user: OverseerrUser) -> Response:
        wanted = MEDIA_FILTERS.get(call.query.get("filter") or "all", ALL_MEDIA)
        rows = [media for media in self._media.values() if media.status in wanted]
        sort = call.query.get("sort", "added")
        if sort == "modified":
            rows.sort(key=lambda media: media.updated_at, reverse=True)
        elif sort == "mediaAdded":
            rows.sort(key=lambda media: media.media_added_at or "", reverse=True)
        else:
            rows.sort(key=lambda media: media.id, reverse=True)
        return JSONResponse(_page([media_json(media) for media in rows], call.query, 20))

    def _request_list(self, call: ApiCall, user: OverseerrUser) -> Response:
        statuses, media_statuses = REQUEST_FILTERS.get(
            call.query.get("filter") or "all", (ALL_REQUESTS, ALL_MEDIA)
        )
        requested_by = _int(call.query, "requestedBy", 0) or None
        if not user.has_any(Permission.MANAGE_REQUESTS, Permission.REQUEST_VIEW):
            if requested_by not in {None, user.id}:
                return _message(403, "You do not have permission to view this user's requests.")
            requested_by = user.id
        rows = [
            row
            for row in self._media_requests.values()
            if row.status in statuses
            and row.media.get_status(row.is4k) in media_statuses
            and requested_by in {None, row.requested_by}
        ]
        if call.query.get("sort") == "modified":
            rows.sort(key=lambda row: row.updated_at, reverse=True)
        else:
            rows.sort(key=lambda row: row.id, reverse=True)
        return JSONResponse(_page([self._request_json(row) for row in rows], call.query, 10))

    def _create_request(self, call: ApiCall, user: OverseerrUser) -> Response:
        body: Json = call.payload
        requester = self._requester(body, user)
        if isinstance(requester, Response):
            return requester
        title = self._title(body["mediaType"], str(body["mediaId"]))
        if title is None:
            what = "movie" if body["mediaType"] == "movie" else "TV show"
            error = f"[TMDB] Failed to fetch {what} details: Request failed with status code 404"
            return _message(500, error)
        seasons = self._seasons_to_request(title, body)
        if isinstance(seasons, Response):
            return seasons
        return self._store_request(body, user, requester, title, seasons)

    def _requester(self, body: Json, user: OverseerrUser) -> OverseerrUser | Response:
        """Who the request is for (`userId`, or the caller), if the caller may say so."""
        requester = user
        if body.get("userId"):
            if not user.has(Permission.MANAGE_USERS, Permission.MANAGE_REQUESTS):
                return _message(403, "You do not have permission to modify the request user.")
            found = USERS.get(int(body["userId"]))
            if found is None:
                return _message(500, 'Could not find any entity of type "User" matching userId')
            requester = found
        media_type, is4k = body["mediaType"], bool(body.get("is4k"))
        if not requester.has_any(*REQUEST_PERMISSION[media_type, is4k]):
            kind = ("4K " if is4k else "") + ("movie" if media_type == "movie" else "series")
            return _message(403, f"You do not have permission to make {kind} requests.")
        return requester

    def _seasons_to_request(self, title: Title, body: Json) -> list[int] | Response:
        """The seasons a new request is for (none for a movie), or why there is none to make."""
        is4k = bool(body.get("is4k"))
        media = self._media.get((title.media_type, title.tmdb_id))
        existing = [r for r in self._requests_of(media) if r.is4k == is4k] if media else []
        if title.media_type == "movie":
            if existing and existing[0].status != RequestStatus.DECLINED:
                return _message(409, "Request for this media already exists.")
            return []
        if "seasons" not in body:
            return _message(500, "Cannot read properties of undefined (reading 'filter')")
        seasons = self._seasons_left(title, media, existing, body["seasons"], is4k)
        return seasons or _message(202, "No seasons available to request")

    def _seasons_left(
        self,
        title: Title,
        media: Media | None,
        existing: list[MediaRequest],
        wanted: list[int] | str,
        is4k: bool,
    ) -> list[int]:
        """The wanted seasons not requested yet (unless declined) nor known to Overseerr."""
        numbers = [s.number for s in title.seasons if s.number] if wanted == "all" else wanted
        taken = {n for r in existing if r.status != RequestStatus.DECLINED for n in r.seasons}
        if media is not None and not is4k:
            taken |= {n for n, status in media.seasons.items() if status != MediaStatus.UNKNOWN}
        return [int(number) for number in numbers if number not in taken]

    def _store_request(
        self,
        body: Json,
        user: OverseerrUser,
        requester: OverseerrUser,
        title: Title,
        seasons: list[int],
    ) -> Response:
        """Save the request (approved when `user` may approve it), and its media."""
        is4k = bool(body.get("is4k"))
        media = self._media.get((title.media_type, title.tmdb_id))
        if media is None:
            pending, unknown = MediaStatus.PENDING, MediaStatus.UNKNOWN
            media = self._new_media(
                title, unknown if is4k else pending, pending if is4k else unknown
            )
        elif media.get_status(is4k) == MediaStatus.UNKNOWN:
            media.set_status(is4k, MediaStatus.PENDING)
        row = MediaRequest(
            self._next_request_id,
            media,
            RequestStatus.PENDING,
            requested_by=requester.id,
            created_at=_now(),
            is4k=is4k,
            seasons=dict.fromkeys(seasons, RequestStatus.PENDING),
            options={name: body[name] for name in REQUEST_OPTIONS if name in body},
        )
        self._next_request_id += 1
        self._media_requests[row.id] = row
        if user.has_any(*AUTO_APPROVAL[title.media_type, is4k], Permission.MANAGE_REQUESTS):
            self._set_request_status(row, RequestStatus.APPROVED, user.id)
        answer = self._request_json(row)
        self._created.append(answer)
        return JSONResponse(answer, status_code=201)

    def _find_request(self, call: ApiCall) -> MediaRequest | None:
        request_id = call.path_params["requestId"]
        return self._media_requests.get(int(request_id)) if request_id.isdigit() else None

    def _get_request(self, call: ApiCall, user: OverseerrUser) -> Response:
        row = self._find_request(call)
        if row is None:
            return _message(404, "Request not found.")
        if row.requested_by != user.id and not user.has_any(
            Permission.MANAGE_REQUESTS, Permission.REQUEST_VIEW
        ):
            return _message(403, "You do not have permission to view this request.")
        return JSONResponse(self._request_json(row))

    def _delete_request(self, call: ApiCall, user: OverseerrUser) -> Response:
        row = self._find_request(call)
        if row is None:
            return _message(404, "Request not found.")
        if (
            not user.has(Permission.MANAGE_REQUESTS)
            and row.requested_by != user.id
            and row.status != RequestStatus.PENDING
        ):
            return _message(401, "You do not have permission to delete this request.")
        del self._media_requests[row.id]
        media = row.media
        for is4k in (False, True):  # as Overseerr's handleRemoveParentUpdate
            left = [r for r in self._requests_of(media) if r.is4k == is4k]
            if not left and media.get_status(is4k) != MediaStatus.AVAILABLE:
                media.set_status(is4k, MediaStatus.UNKNOWN)
        return Response(status_code=204)

    def _change_status(self, call: ApiCall, user: OverseerrUser) -> Response:
        if not user.has(Permission.MANAGE_REQUESTS):
            return _forbidden()
        row = self._find_request(call)
        if row is None:
            return _message(404, "Request not found.")
        approve = call.path_params["status"] == "approve"
        status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
        self._set_request_status(row, status, user.id)
        return JSONResponse(self._request_json(row))


# ---------------------------------------------------------------------------- fixtures


def overseerr_env(fake: FakeOverseerr) -> dict[str, str]:
    """Environment variables that point a `medianest serve` process at the fake."""
    return {"OVERSEERR_URL": fake.url, "OVERSEERR_API_KEY": OVERSEERR_API_KEY}


@pytest.fixture(scope="session")
def overseerr_server() -> Iterator[FakeOverseerr]:
    """One fake Overseerr for the whole run (for fixtures wider than a test)."""
    with FakeOverseerr() as server:
        yield server


@pytest.fixture
def overseerr(overseerr_server: FakeOverseerr) -> Iterator[FakeOverseerr]:
    """The fake in its initial state, reset again after the test."""
    overseerr_server.reset()
    yield overseerr_server
    overseerr_server.reset()
