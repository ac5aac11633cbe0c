"""Local fakes of plex.tv and of a Plex Media Server: real HTTP servers on 127.0.0.1.

Each fake is a Starlette app that uvicorn serves on a daemon thread, bound to a free port it
keeps across stop()/start(), so "down" is a refused connection. Their answers follow the
published API description (LukeHagar/plex-api-spec); tests/contracts/test_plex_fakes.py checks
them against the schemas in tests/fakes/specs/plex-schemas.json and parses the XML with
python-plexapi, as MediaNest does.

- `FakePlexTv`: plex.tv's API v2 (JSON): PIN sign-in, the account, its resources.
- `FakePlexServer`: the Plex Media Server of `PLEX_OWNER`, shared with `PLEX_FRIEND`, with a
  fixed dataset (movies, shows, an empty "YouTube" library, one collection). JSON when the
  client accepts it, XML otherwise, both built from one dict.

`plex_tv` and `plex_server` run once per session; the `plex` fixture hands both to a test and
resets them around it. `plex_env(tv, server)` points a `medianest serve` process at them.
"""

import asyncio
import hashlib
import random
import re
import socket
import string
import struct
import threading
import time
import uuid
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlparse

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

Json = dict[str, Any]
Handler = Callable[[Request], Response]

# ---------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class PlexAccount:
    """A plex.tv account; `token` is what plex.tv issues when it signs in."""

    id: int
    uuid: str
    username: str
    email: str
    thumb: str
    token: str


def _account(id_: int, uuid_: str, username: str, token: str) -> PlexAccount:
    thumb = f"https://plex.tv/users/{uuid_}/avatar?c=1700000000"
    return PlexAccount(id_, uuid_, username, f"{username}@example.test", thumb, token)


PLEX_OWNER = _account(1001, "579233b2c4792415", "nest-owner", "fakeOwnerToken000001")
PLEX_FRIEND = _account(1002, "e69867ca7d5a7b0a", "nest-friend", "fakeFriendToken00002")
PLEX_STRANGER = _account(1003, "ed5acfe897a4c94a", "nest-stranger", "fakeStrangerToken004")
ACCOUNTS = (PLEX_OWNER, PLEX_FRIEND, PLEX_STRANGER)

ADMIN_TOKEN = PLEX_OWNER.token
"""The owner's token, which MediaNest is configured with (PLEX_TOKEN)."""
FRIEND_SERVER_TOKEN = "fakeFriendServer0003"
"""The access token plex.tv gives PLEX_FRIEND for the shared server (in their resources)."""

MACHINE_ID = "c7cc8690dfc16bc5f7b6af016ccf8a42ba86f9c6"
OTHER_MACHINE_ID = "02e0340dbe03d40df7eda11f3c3fde2fba7fccea"
SERVER_NAME = "MediaNest Test Server"
SERVER_VERSION = "1.41.3.9314-a0bfb8370"
PIN_LIFETIME_SECONDS = 900

# ---------------------------------------------------------------------------- HTTP server base


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased


class FakeHttpServer:
    """A Starlette app on uvicorn in a thread, with knobs tests turn from the main thread.

    Subclasses give `_routes()`, `_error_response()` and `_reset_state()`; state they share
    with the server thread is guarded by `self._lock` (handlers never await while holding it).
    """

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._delay = 0.0
        self._refuse_all = False
        self._gate: threading.Event | None = None
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        app = Starlette(
            routes=self._routes(), exception_handlers={HTTPException: self._http_exception}
        )
        self._app = _Controls(self, app)

    # -- subclass hooks

    def _routes(self) -> list[Route]:
        raise NotImplementedError

    def _error_response(self, status: int, message: str) -> Response:
        return Response(message, status_code=status, media_type="text/plain")

    def _reset_state(self) -> None:
        """Put the data back as it was at construction (called with the lock held)."""

    # -- inspection

    @property
    def port(self) -> int:
        assert self._port is not None, f"{type(self).__name__} was never started"
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the requests received since the last reset(), oldest first."""
        with self._lock:
            return list(self._requests)

    # -- lifecycle

    def start(self) -> None:
        """Serve on the port of the previous start (a free one the first time)."""
        if self._thread is not None:
            return
        # IPPROTO_TCP explicitly: asyncio turns Nagle's algorithm off only for sockets that
        # say they are TCP, and with it on every reused connection stalls ~40 ms.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self._port or 0))
        except OSError:
            sock.close()
            raise
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self._app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"{type(self).__name__}:{self._port}",
            daemon=True,
        )
        self._server, self._thread, self._socket = server, thread, sock
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{type(self).__name__} did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving: connections to the port are refused until start()."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server, self._thread, self._socket = None, None, None
        if server is None or thread is None or sock is None:
            return
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        _exc_type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- modes

    @contextmanager
    def down(self) -> Iterator[None]:
        """The server is stopped (connection refused) inside the block."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    @contextmanager
    def slow(self, seconds: float) -> Iterator[None]:
        """Every response is delayed by `seconds` inside the block."""
        with self._lock:
            previous, self._delay = self._delay, seconds
        try:
            yield
        finally:
            with self._lock:
                self._delay = previous

    @contextmanager
    def held(self) -> Iterator[None]:
        """Requests that arrive inside the block get no answer until it ends (a hung server
        that does answer in the end)."""
        gate = threading.Event()
        with self._lock:
            self._gate = gate
        try:
            yield
        finally:
            with self._lock:
                self._gate = None
            gate.set()

    @contextmanager
    def unauthorized(self) -> Iterator[None]:
        """Every request is answered 401 inside the block, whatever its token."""
        with self._lock:
            previous, self._refuse_all = self._refuse_all, True
        try:
            yield
        finally:
            with self._lock:
                self._refuse_all = previous

    def reset(self) -> None:
        """Normal mode, the initial data, no recorded requests; running."""
        with self._lock:
            self._requests.clear()
            self._delay = 0.0
            self._refuse_all = False
            self._reset_state()
        self.start()

    # -- plumbing

    def _admit(self, request: Request) -> tuple[float, bool, threading.Event | None]:
        """Record the request; the delay to apply, whether to refuse it, and the gate it
        waits at (see `held`)."""
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={name.lower(): value for name, value in request.headers.items()},
        )
        with self._lock:
            self._requests.append(recorded)
            return self._delay, self._refuse_all, self._gate

    def _http_exception(self, _request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return self._error_response(exc.status_code, exc.detail)


class _Controls:
    """ASGI wrapper applying the fake's modes before its routes see the request."""

    def __init__(self, fake: FakeHttpServer, app: ASGIApp) -> None:
        self._fake = fake
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        delay, refuse, gate = self._fake._admit(Request(scope))
        if gate is not None:
            await asyncio.to_thread(gate.wait)
        if delay:
            await asyncio.sleep(delay)
        if refuse:
            response = self._fake._error_response(401, "Unauthorized")
            await response(scope, receive, send)
            return
        await self._app(scope, receive, send)


def _param(request: Request, name: str) -> str | None:
    """A value given as query parameter or as header (Plex accepts both for X-Plex-*)."""
    return request.query_params.get(name) or request.headers.get(name)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- rendering

METADATA_TAGS = {
    "movie": "Video",
    "episode": "Video",
    "clip": "Video",
    "show": "Directory",
    "season": "Directory",
    "collection": "Directory",
    "artist": "Directory",
    "album": "Directory",
    "photoalbum": "Directory",
    "track": "Track",
    "photo": "Photo",
}


def render_xml(document: Mapping[str, Any]) -> bytes:
    """Plex's XML for a JSON document `{"MediaContainer": {...}}`.

    Scalars become attributes (booleans "1"/"0", None left out), a dict one child element, a
    list of dicts one child element each, named by the key, except `Metadata` items, whose
    tag follows their type (Video, Directory, Track, Photo), as in Plex's XML.
    """
    ((tag, body),) = document.items()
    text = ET.tostring(_element(tag, body), encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode()


def _element(tag: str, fields: Mapping[str, Any]) -> ET.Element:
    element = ET.Element(tag)
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            element.append(_element(key, value))
        elif isinstance(value, list):
            for child in value:
                name = METADATA_TAGS[child["type"]] if key == "Metadata" else key
                element.append(_element(name, child))
        elif isinstance(value, bool):
            element.set(key, "1" if value else "0")
        elif isinstance(value, int | float | str):
            element.set(key, str(value))
        else:
            raise TypeError(f"cannot render {key}={value!r} as XML")
    return element


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png(width: int, height: int, rows: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


def png(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (42, 111, 151)) -> bytes:
    """A valid PNG of one colour."""
    return _png(width, height, b"".join(b"\x00" + bytes(rgb) * width for _ in range(height)))


def gradient_png(seed: str, width: int, height: int) -> bytes:
    """A valid PNG fading top to bottom between two colours chosen by `seed` (a poster)."""
    digest = hashlib.sha256(seed.encode()).digest()
    top, bottom = digest[0:3], digest[3:6]
    rows = bytearray()
    for y in range(height):
        mix = y / max(1, height - 1)
        colour = bytes(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        rows += b"\x00" + colour * width
    return _png(width, height, bytes(rows))


# ---------------------------------------------------------------------------- plex.tv


@dataclass(frozen=True)
class PlexPin:
    id: int
    code: str
    product: str
    client_identifier: str
    created_at: float
    expires_at: float
    auth_token: str | None = None

    @property
    def expired(self) -> bool:
        return time.time() >= self.expires_at


PIN_LOCATION: Json = {
    "code": "NL",
    "european_union_member": True,
    "continent_code": "EU",
    "country": "Netherlands",
    "city": "Amsterdam",
    "time_zone": "Europe/Amsterdam",
    "postal_code": "1012",
    "in_privacy_restricted_country": True,
    "in_privacy_restricted_region": True,
    "subdivisions": "North Holland",
    "coordinates": "52.3740, 4.8897",
}


class FakePlexTv(FakeHttpServer):
    """plex.tv's API v2: `/api/v2/pins`, `/api/v2/user`, `/api/v2/resources` (JSON)."""

    def __init__(self, server: "FakePlexServer | None" = None) -> None:
        self.server = server
        self._pins: dict[int, PlexPin] = {}
        self._next_pin_id = 400_000_001  # never reset: ids stay unique for the whole run
        super().__init__()

    # -- controls

    @property
    def pins(self) -> dict[int, PlexPin]:
        with self._lock:
            return dict(self._pins)

    def claim(self, pin_id: int, account: PlexAccount) -> None:
        """The user approved the PIN on app.plex.tv: it now carries their token."""
        with self._lock:
            self._pins[pin_id] = replace(self._pins[pin_id], auth_token=account.token)

    def expire(self, pin_id: int) -> None:
        with self._lock:
            self._pins[pin_id] = replace(self._pins[pin_id], expires_at=time.time())

    def _reset_state(self) -> None:
        self._pins.clear()

    # -- HTTP

    def _routes(self) -> list[Route]:
        return [
            Route("/api/v2/pins", self._create_pin, methods=["POST"]),
            Route("/api/v2/pins/{pin_id:int}", self._get_pin, methods=["GET"]),
            Route("/api/v2/user", self._user, methods=["GET"]),
            Route("/api/v2/resources", self._resources, methods=["GET"]),
        ]

    def _error_response(self, status: int, message: str) -> Response:
        code = {400: 1000, 401: 1001, 404: 1020}.get(status, 1000 + status)
        errors = [{"code": code, "message": message, "status": status}]
        return JSONResponse({"errors": errors}, status_code=status)

    async def _create_pin(self, request: Request) -> Response:
        client_id = _require_header(request, "X-Plex-Client-Identifier")
        product = _require_header(request, "X-Plex-Product")
        strong = request.query_params.get("strong", "false").lower() in {"true", "1"}
        with self._lock:
            pin_id = self._next_pin_id
            self._next_pin_id += 1
            now = time.time()
            pin = PlexPin(
                id=pin_id,
                code=_pin_code(pin_id, strong=strong),
                product=product,
                client_identifier=client_id,
                created_at=now,
                expires_at=now + PIN_LIFETIME_SECONDS,
            )
            self._pins[pin_id] = pin
        return JSONResponse(_pin_json(pin), status_code=201)

    async def _get_pin(self, request: Request) -> Response:
        client_id = _require_header(request, "X-Plex-Client-Identifier")
        with self._lock:
            pin = self._pins.get(request.path_params["pin_id"])
        if pin is None or pin.client_identifier != client_id or pin.expired:
            raise HTTPException(404, "Code not found or expired")
        return JSONResponse(_pin_json(pin))

    async def _user(self, request: Request) -> Response:
        return JSONResponse(_user_json(self._account(request)))

    async def _resources(self, request: Request) -> Response:
        _require_header(request, "X-Plex-Client-Identifier")
        account = self._account(request)
        server_url = self.server.url if self.server is not None else "http://127.0.0.1:32400"
        return JSONResponse(_resources_json(account, server_url))

    def _account(self, request: Request) -> PlexAccount:
        token = _param(request, "X-Plex-Token")
        for account in ACCOUNTS:
            if token == account.token:
                return account
        raise HTTPException(401, "User could not be authenticated")


def _require_header(request: Request, name: str) -> str:
    value = request.headers.get(name)
    if not value:
        raise HTTPException(400, f"{name} is missing")
    return value


def _pin_code(pin_id: int, *, strong: bool) -> str:
    """Strong codes (PIN sign-in) are 25 characters; others (plex.tv/link) 4."""
    chooser = random.Random(pin_id)  # noqa: S311 - deterministic test data, not a secret
    if strong:
        return "".join(chooser.choices(string.ascii_lowercase + string.digits, k=25))
    return "".join(chooser.choices(string.ascii_uppercase + string.digits, k=4))


def _pin_json(pin: PlexPin) -> Json:
    return {
        "id": pin.id,
        "code": pin.code,
        "product": pin.product,
        "trusted": False,
        "qr": f"https://plex.tv/api/v2/pins/qr/{pin.code}",
        "clientIdentifier": pin.client_identifier,
        "location": PIN_LOCATION,
        "expiresIn": max(0, round(pin.expires_at - time.time())),
        "createdAt": _iso(pin.created_at),
        "expiresAt": _iso(pin.expires_at),
        "authToken": pin.auth_token,
        "newRegistration": None,
    }


def _user_json(account: PlexAccount) -> Json:
    owner = account == PLEX_OWNER
    subscription = {
        "features": ["collections", "webhooks"] if owner else [],
        "active": owner,
        "subscribedAt": "2024-01-01T00:00:00Z" if owner else None,
        "status": "Active" if owner else "Inactive",
        "paymentService": "stripe" if owner else None,
        "plan": "lifetime" if owner else None,
    }
    profile = {
        "autoSelectAudio": True,
        "defaultAudioLanguage": "en",
        "defaultSubtitleLanguage": None,
        "autoSelectSubtitle": 0,
        "defaultSubtitleAccessibility": 0,
        "defaultSubtitleForced": 1,
        "watchedIndicator": 1,
        "mediaReviewsVisibility": 0,
    }
    return {
        "id": account.id,
        "uuid": account.uuid,
        "username": account.username,
        "title": account.username,
        "email": account.email,
        "friendlyName": account.username,
        "locale": None,
        "confirmed": True,
        "joinedAt": 1_600_000_000 + account.id,
        "emailOnlyAuth": False,
        "hasPassword": True,
        "protected": False,
        "thumb": account.thumb,
        "authToken": account.token,
        "mailingListStatus": "unsubscribed",
        "mailingListActive": False,
        "scrobbleTypes": "",
        "country": "NL",
        "subscription": subscription,
        "subscriptionDescription": "Lifetime Plex Pass" if owner else None,
        "restricted": False,
        "anonymous": None,
        "home": owner,
        "guest": False,
        "homeSize": 1 if owner else 0,
        "homeAdmin": owner,
        "maxHomeSize": 15,
        "rememberExpiresAt": 1_900_000_000,
        "profile": profile,
        "entitlements": ["all"] if owner else [],
        "roles": ["plexpass"] if owner else [],
        "services": [],
        "adsConsent": None,
        "adsConsentSetAt": None,
        "adsConsentReminderAt": None,
        "experimentalFeatures": False,
        "twoFactorEnabled": False,
        "backupCodesCreated": False,
        "attributionPartner": None,
    }


def _resources_json(account: PlexAccount, server_url: str) -> list[Json]:
    """What each account's devices list holds: the owner's and friend's include our server."""
    parsed = urlparse(server_url)
    ours = {
        "protocol": parsed.scheme,
        "address": parsed.hostname,
        "port": parsed.port,
        "uri": server_url,
        "local": True,
        "relay": False,
        "IPv6": False,
    }
    if account == PLEX_OWNER:
        return [
            _server_resource(SERVER_NAME, MACHINE_ID, ADMIN_TOKEN, [ours], owner=None),
            _player_resource(account, "Plex Web", "Chrome", "Linux"),
        ]
    if account == PLEX_FRIEND:
        return [_server_resource(SERVER_NAME, MACHINE_ID, FRIEND_SERVER_TOKEN, [ours], PLEX_OWNER)]
    elsewhere = {
        "protocol": "http",
        "address": "192.0.2.50",
        "port": 32400,
        "uri": "http://192.0.2.50:32400",
        "local": True,
        "relay": False,
        "IPv6": False,
    }
    return [
        _player_resource(account, "Plex for iOS", "iPhone", "iOS"),
        _server_resource(
            "Stranger's Server", OTHER_MACHINE_ID, "fakeStrangerServer05", [elsewhere], owner=None
        ),
    ]


def _server_resource(
    name: str, machine_id: str, token: str, connections: list[Json], owner: PlexAccount | None
) -> Json:
    return {
        "name": name,
        "product": "Plex Media Server",
        "productVersion": SERVER_VERSION,
        "platform": "Linux",
        "platformVersion": "6.8.0-49-generic",
        "device": "PC",
        "clientIdentifier": machine_id,
        "createdAt": "2024-01-01T00:00:00Z",
        "lastSeenAt": _iso(time.time()),
        "provides": "server",
        "ownerId": None if owner is None else owner.id,
        "sourceTitle": None if owner is None else owner.username,
        "publicAddress": "203.0.113.10",
        "accessToken": token,
        "owned": owner is None,
        "home": False,
        "synced": False,
        "relay": True,
        "presence": True,
        "httpsRequired": False,
        "publicAddressMatches": True,
        "dnsRebindingProtection": False,
        "natLoopbackSupported": True,
        "connections": connections,
    }


def _player_resource(account: PlexAccount, product: str, device: str, platform: str) -> Json:
    return {
        "name": f"{account.username}'s {device}",
        "product": product,
        "productVersion": "4.145.0",
        "platform": platform,
        "platformVersion": "17.5",
        "device": device,
        "clientIdentifier": _hash(account.uuid + product, 24),
        "createdAt": "2024-02-01T00:00:00Z",
        "lastSeenAt": _iso(time.time()),
        "provides": "client,player",
        "ownerId": None,
        "sourceTitle": None,
        "publicAddress": "198.51.100.7",
        "accessToken": account.token,
        "owned": True,
        "home": False,
        "synced": False,
        "relay": False,
        "presence": False,
        "httpsRequired": False,
        "publicAddressMatches": False,
        "dnsRebindingProtection": False,
        "natLoopbackSupported": False,
        "connections": [],
    }


# ---------------------------------------------------------------------------- PMS dataset


@dataclass(frozen=True)
class LibrarySection:
    key: str
    title: str
    type: str  # movie | show
    location: str
    agent: str
    scanner: str

    @property
    def uuid(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"medianest-fake-section-{self.key}"))


@dataclass(frozen=True)
class LibraryItem:
    """A movie (with one file) or a show (with its folder) of a library section."""

    rating_key: str
    section_key: str
    type: str
    title: str
    year: int | None
    added_at: int
    duration_ms: int
    summary: str
    rating: float
    content_rating: str
    genres: tuple[str, ...]
    path: str  # the movie's file, or the show's folder
    seasons: int = 0
    episodes: int = 0


@dataclass(frozen=True)
class LibraryCollection:
    rating_key: str
    section_key: str
    title: str
    subtype: str
    item_keys: tuple[str, ...]
    added_at: int
    updated_at: int


SECTIONS = (
    LibrarySection(
        "1", "Movies", "movie", "/data/media/movies", "tv.plex.agents.movie", "Plex Movie"
    ),
    LibrarySection(
        "2", "TV Shows", "show", "/data/media/tv", "tv.plex.agents.series", "Plex TV Series"
    ),
    LibrarySection(
        "3",
        "YouTube",
        "movie",
        "/data/media/youtube",
        "tv.plex.agents.none",
        "Plex Video Files Scanner",
    ),
)

DATASET_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: addedAt of the dataset counts from here
DAY = 86_400
CONTENT_RATINGS = ("PG-13", "R", "PG", "G")

# (title, year, genres), rating keys 101...
MOVIES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("Batman Begins", 2005, ("Action", "Crime")),
    ("The Batman", 2022, ("Action", "Crime", "Mystery")),
    ("Inception", 2010, ("Action", "Science Fiction")),
    ("Interstellar", 2014, ("Drama", "Science Fiction")),
    ("The Matrix", 1999, ("Action", "Science Fiction")),
    ("Blade Runner 2049", 2017, ("Drama", "Science Fiction")),
    ("Arrival", 2016, ("Drama", "Science Fiction")),
    ("Dune", 2021, ("Adventure", "Science Fiction")),
    ("Mad Max: Fury Road", 2015, ("Action", "Adventure")),
    ("Parasite", 2019, ("Comedy", "Drama", "Thriller")),
    ("Spirited Away", 2001, ("Animation", "Fantasy")),
    ("The Grand Budapest Hotel", 2014, ("Comedy", "Drama")),
    ("Whiplash", 2014, ("Drama", "Music")),
    ("Her", 2013, ("Drama", "Romance")),
    ("Gravity", 2013, ("Drama", "Science Fiction")),
    ("Alien", 1979, ("Horror", "Science Fiction")),
    ("Amélie", 2001, ("Comedy", "Romance")),
    ("Up", 2009, ("Adventure", "Animation")),
    ("WALL·E", 2008, ("Animation", "Science Fiction")),
    ("Heat", 1995, ("Action", "Crime", "Drama")),
    ("Se7en", 1995, ("Crime", "Mystery", "Thriller")),
    ("Memento", 2000, ("Mystery", "Thriller")),
    ("The Prestige", 2006, ("Drama", "Mystery")),
    ("Oldboy", 2003, ("Action", "Drama", "Mystery")),
    ("Akira", 1988, ("Animation", "Science Fiction")),
    ("Jaws", 1975, ("Adventure", "Thriller")),
    ("Fargo", 1996, ("Crime", "Drama")),
    ("Moon", 2009, ("Drama", "Science Fiction")),
    ("Drive", 2011, ("Crime", "Drama")),
    ("The Thing", 1982, ("Horror", "Mystery")),
)
# (title, year, seasons, episodes, genres), rating keys 201...
SHOWS: tuple[tuple[str, int, int, int, tuple[str, ...]], ...] = (
    ("Breaking Bad", 2008, 5, 62, ("Crime", "Drama")),
    ("The Expanse", 2015, 6, 62, ("Drama", "Science Fiction")),
    ("Dark", 2017, 3, 26, ("Mystery", "Science Fiction")),
    ("Severance", 2022, 2, 19, ("Drama", "Mystery")),
    ("The Wire", 2002, 5, 60, ("Crime", "Drama")),
)
BATMAN_COLLECTION = LibraryCollection(
    "301", "1", "Batman Collection", "movie", ("101", "102"), DATASET_EPOCH, DATASET_EPOCH
)
GENRES = sorted(
    {genre for *_, genres in MOVIES for genre in genres} | {g for *_, gs in SHOWS for g in gs}
)


def initial_items() -> dict[str, LibraryItem]:
    """The dataset: ratings, dates and durations vary with the index, deterministically."""
    items: dict[str, LibraryItem] = {}
    for index, (title, year, genres) in enumerate(MOVIES):
        key = str(101 + index)
        folder = f"{title} ({year})"
        items[key] = LibraryItem(
            rating_key=key,
            section_key="1",
            type="movie",
            title=title,
            year=year,
            added_at=DATASET_EPOCH + (index * 11 % 30) * DAY + index * 60,
            duration_ms=(85 + index * 7 % 80) * 60_000,
            summary=f"{title} ({year}), a film of the MediaNest test library.",
            rating=round(5.5 + index * 37 % 45 / 10, 1),
            content_rating=CONTENT_RATINGS[index % len(CONTENT_RATINGS)],
            genres=genres,
            path=f"/data/media/movies/{folder}/{folder}.mkv",
        )
    for index, (title, year, seasons, episodes, genres) in enumerate(SHOWS):
        key = str(201 + index)
        items[key] = LibraryItem(
            rating_key=key,
            section_key="2",
            type="show",
            title=title,
            year=year,
            added_at=DATASET_EPOCH + (index * 7 + 3) * DAY,
            duration_ms=(45 + index * 5) * 60_000,
            summary=f"{title} ({year}), a series of the MediaNest test library.",
            rating=round(8.0 + index * 3 % 10 / 10, 1),
            content_rating="TV-MA",
            genres=genres,
            path=f"/data/media/tv/{title}",
            seasons=seasons,
            episodes=episodes,
        )
    return items


# ---------------------------------------------------------------------------- PMS JSON

IDENTIFIER = "com.plexapp.plugins.library"
MEDIA_TAG_PREFIX = "/system/bundle/media/flags/"
MEDIA_TAG_VERSION = 1_734_362_000
SEARCH_TYPES = {"movie": 1, "show": 2, "season": 3, "episode": 4, "collection": 18}
SORTS = {  # key: (title, default direction)
    "titleSort": ("Title", "asc"),
    "title": ("Title (exact)", "asc"),
    "addedAt": ("Date Added", "desc"),
    "year": ("Year", "desc"),
    "rating": ("Critic Rating", "desc"),
    "originallyAvailableAt": ("Release Date", "desc"),
    "duration": ("Duration", "desc"),
}
ARTICLES = re.compile(r"^(the|a|an) ", re.IGNORECASE)


def _title_sort(title: str) -> str:
    return ARTICLES.sub("", title)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _hash(text: str, length: int) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:length]  # noqa: S324 - an identifier


def _section_fields(section: LibrarySection) -> Json:
    return {
        "librarySectionID": int(section.key),
        "librarySectionTitle": section.title,
        "librarySectionKey": f"/library/sections/{section.key}",
        "librarySectionUUID": section.uuid,
    }


def _tags(names: Sequence[str]) -> list[Json]:
    return [
        {"id": GENRES.index(name) + 1, "tag": name, "filter": f"genre={GENRES.index(name) + 1}"}
        for name in names
    ]


def _item_json(item: LibraryItem, section: LibrarySection | None = None) -> Json:
    """One Metadata entry; `section` adds the librarySection* fields (not in section listings)."""
    rk = item.rating_key
    movie = item.type == "movie"
    thumb = f"/library/metadata/{rk}/thumb/{item.added_at}"
    art = f"/library/metadata/{rk}/art/{item.added_at}"
    data: Json = {
        "ratingKey": rk,
        "key": f"/library/metadata/{rk}" if movie else f"/library/metadata/{rk}/children",
        "guid": f"plex://{item.type}/{_hash(item.title, 24)}",
        "slug": _slug(item.title),
        "studio": "MediaNest Studios",
        "type": item.type,
        "title": item.title,
        "titleSort": _title_sort(item.title),
        "contentRating": item.content_rating,
        "summary": item.summary,
        "rating": item.rating,
        "audienceRating": round(min(10.0, item.rating + 0.3), 1),
        "year": item.year,
        "tagline": "",
        "thumb": thumb,
        "art": art,
        "theme": f"/library/metadata/{rk}/theme/{item.added_at}",
        # The published schema requires index, childCount and seasonCount of every item.
        "index": 1,
        "childCount": item.seasons,
        "seasonCount": item.seasons,
        "duration": item.duration_ms,
        "originallyAvailableAt": f"{item.year or 2024}-{int(rk) % 12 + 1:02d}-15",
        "addedAt": item.added_at,
        "updatedAt": item.added_at + DAY,
        "Image": [
            {"alt": item.title, "type": "coverPoster", "url": thumb},
            {"alt": item.title, "type": "background", "url": art},
        ],
        "Guid": [{"id": f"tmdb://{900_000 + int(rk)}"}],
        "Genre": _tags(item.genres),
    }
    if movie:
        data["Media"] = [_media_json(item)]
    else:
        data |= {"leafCount": item.episodes, "viewedLeafCount": 0}
        data["Location"] = [{"path": item.path}]
    if data["year"] is None:
        del data["year"]
    if section is not None:
        data |= _section_fields(section)
    return data


def _media_json(item: LibraryItem) -> Json:
    media_id = int(item.rating_key) * 10 + 1
    extension = item.path.rsplit(".", 1)[-1] if "." in item.path else "mkv"
    part = {
        "id": media_id,
        "key": f"/library/parts/{media_id}/{item.added_at}/file.{extension}",
        "duration": item.duration_ms,
        "file": item.path,
        "size": item.duration_ms * 1000,
        "container": extension,
    }
    return {
        "id": media_id,
        "duration": item.duration_ms,
        "bitrate": 8000,
        "width": 1920,
        "height": 1080,
        "aspectRatio": 1.78,
        "audioChannels": 6,
        "audioCodec": "eac3",
        "videoCodec": "h264",
        "container": extension,
        "videoFrameRate": "24p",
        "Part": [part],
    }


def _collection_json(
    collection: LibraryCollection, section: LibrarySection, items: Mapping[str, LibraryItem]
) -> Json:
    rk = collection.rating_key
    members = [items[key] for key in collection.item_keys if key in items]
    rating = round(sum(m.rating for m in members) / len(members), 1) if members else 0.0
    return {
        "ratingKey": rk,
        "key": f"/library/collections/{rk}/children",
        "guid": f"collection://{_hash(collection.title + rk, 32)}",
        "slug": _slug(collection.title),
        "type": "collection",
        "title": collection.title,
        "titleSort": collection.title,
        "subtype": collection.subtype,
        "summary": "",
        "smart": False,
        # The published schema requires these of every item, collections included.
        "rating": rating,
        "audienceRating": rating,
        "tagline": "",
        "theme": "",
        "index": 1,
        "seasonCount": 0,
        "duration": sum(m.duration_ms for m in members),
        "thumb": f"/library/metadata/{rk}/thumb/{collection.updated_at}",
        "art": f"/library/metadata/{rk}/art/{collection.updated_at}",
        "composite": f"/library/collections/{rk}/composite/{collection.updated_at}",
        "childCount": len(members),
        "addedAt": collection.added_at,
        "updatedAt": collection.updated_at,
        **_section_fields(section),
    }


def _library_container(section: LibrarySection | None = None) -> Json:
    container: Json = {
        "allowSync": True,
        "identifier": IDENTIFIER,
        "mediaTagPrefix": MEDIA_TAG_PREFIX,
        "mediaTagVersion": MEDIA_TAG_VERSION,
    }
    if section is not None:
        container |= {
            "librarySectionID": int(section.key),
            "librarySectionTitle": section.title,
            "librarySectionUUID": section.uuid,
        }
    return container


def _meta_json(section: LibrarySection) -> Json:
    """The `Meta` element of `includeMeta=1`: what python-plexapi reads the sorts from."""
    types = []
    for libtype in (section.type, "collection"):
        sorts = [
            {"defaultDirection": direction, "descKey": f"{key}:desc", "key": key, "title": title}
            | ({"default": "asc"} if key == "titleSort" else {})
            for key, (title, direction) in SORTS.items()
        ]
        fields = [
            {"key": "title", "title": "Title", "type": "string"},
            {"key": "year", "title": "Year", "type": "integer"},
            {"key": "addedAt", "title": "Date Added", "type": "date"},
        ]
        search_type = SEARCH_TYPES[libtype]
        types.append(
            {
                "key": f"/library/sections/{section.key}/all?type={search_type}",
                "type": libtype,
                "title": libtype.title() + "s",
                "active": libtype == section.type,
                "Sort": sorts,
                "Field": fields,
            }
        )
    operators = {
        "string": [("=", "contains"), ("!=", "does not contain"), ("==", "is")],
        "integer": [("=", "is"), ("!=", "is not"), (">>=", "is greater than")],
        "date": [("<<=", "is before"), (">>=", "is after")],
    }
    field_types = [
        {"type": kind, "Operator": [{"key": key, "title": title} for key, title in pairs]}
        for kind, pairs in operators.items()
    ]
    return {"Type": types, "FieldType": field_types}


def _sort_key(field_name: str) -> Callable[[Json], Any]:
    def key(entry: Json) -> Any:
        value = entry.get(field_name)
        return value.casefold() if isinstance(value, str) else value

    return key


def _sort_entries(entries: list[Json], sort: str | None) -> list[Json]:
    """Plex's `sort` parameter: `field`, `field:asc|desc`, optionally `libtype.field`, comma lists.

    Items lacking the field come last either way.
    """
    ordered = sorted(
        entries, key=lambda e: (_title_sort(e["title"]).casefold(), int(e["ratingKey"]))
    )
    if not sort:
        return ordered
    criteria = []
    for part in sort.split(","):
        match = re.fullmatch(r"(?:[a-zA-Z]+\.)?([a-zA-Z]+)(?::(asc|desc|nullsLast))?", part.strip())
        if match is None or match.group(1) not in SORTS:
            raise HTTPException(400, f"Unknown sort: {part}")
        criteria.append((match.group(1), match.group(2) == "desc"))
    for field_name, descending in reversed(criteria):
        present = [e for e in ordered if e.get(field_name) is not None]
        missing = [e for e in ordered if e.get(field_name) is None]
        ordered = sorted(present, key=_sort_key(field_name), reverse=descending) + missing
    return ordered


def _int_param(request: Request, name: str, *, header: bool = False) -> int | None:
    """A non-negative integer query parameter (or header, when Plex takes it as either)."""
    value = _param(request, name) if header else request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise HTTPException(400, f"Bad {name}")
    return int(value)


def _paginate(request: Request, entries: list[Json], container: Json) -> Json:
    """Page by X-Plex-Container-Start/-Size (query or headers): size 0 gives only the counts."""
    start = _int_param(request, "X-Plex-Container-Start", header=True) or 0
    size = _int_param(request, "X-Plex-Container-Size", header=True)
    limit = _int_param(request, "limit")
    if limit is not None:
        entries = entries[:limit]
    page = entries[start:] if size is None else entries[start : start + size]
    result = {**container, "size": len(page), "totalSize": len(entries), "offset": start}
    if page:
        result["Metadata"] = page
    return result


# ---------------------------------------------------------------------------- PMS


def _parse_uri(uri: str | None) -> list[str]:
    """Rating keys of `server://<machine>/com.plexapp.plugins.library/library/metadata/1,2`."""
    prefix = f"server://{MACHINE_ID}/{IDENTIFIER}/library/metadata/"
    if not uri or not uri.startswith(prefix):
        raise HTTPException(400, "Bad uri")
    keys = uri.removeprefix(prefix).split(",")
    if not all(key.isdigit() for key in keys):
        raise HTTPException(400, "Bad uri")
    return keys


@dataclass
class _ServerState:
    items: dict[str, LibraryItem] = field(default_factory=initial_items)
    collections: dict[str, LibraryCollection] = field(
        default_factory=lambda: {BATMAN_COLLECTION.rating_key: BATMAN_COLLECTION}
    )
    created: list[str] = field(default_factory=list)
    scans: list[tuple[str, str | None]] = field(default_factory=list)


MEDIA_SUFFIXES = frozenset({".mp4", ".mkv", ".webm", ".m4a", ".mp3"})


class FakePlexServer(FakeHttpServer):
    """A Plex Media Server of PLEX_OWNER, shared with PLEX_FRIEND (see module docstring)."""

    def __init__(self) -> None:
        self.sections = {section.key: section for section in SECTIONS}
        self.indexes_on_scan = False
        self._state = _ServerState()
        self._next_key = 1000  # never reset: keys made during the run stay unique
        super().__init__()

    # -- controls and inspection

    @property
    def items(self) -> dict[str, LibraryItem]:
        with self._lock:
            return dict(self._state.items)

    @property
    def collections(self) -> dict[str, LibraryCollection]:
        """Every collection by rating key, the dataset's and those made over HTTP."""
        with self._lock:
            return dict(self._state.collections)

    @property
    def created_collections(self) -> list[LibraryCollection]:
        """The collections made with POST /library/collections since the last reset()."""
        with self._lock:
            return [self._state.collections[key] for key in self._state.created]

    @property
    def scans(self) -> list[tuple[str, str | None]]:
        """(section key, path or None) of every scan asked for, oldest first."""
        with self._lock:
            return list(self._state.scans)

    def mount(self, section_key: str, location: str, *, index_on_scan: bool = True) -> None:
        """Point a section at a real folder (as if Plex saw the same disk) and, with
        `index_on_scan`, index the media files a scan of a folder under it finds."""
        self.sections[section_key] = replace(self.sections[section_key], location=location)
        self.indexes_on_scan = index_on_scan

    def add_item(
        self, section_key: str, title: str, file_path: str, *, year: int | None = None
    ) -> str:
        """Index an item in a section, as Plex does once it scanned a new file; its ratingKey."""
        section = self.sections[section_key]
        with self._lock:
            rating_key = self._new_key()
            self._state.items[rating_key] = LibraryItem(
                rating_key=rating_key,
                section_key=section_key,
                type=section.type,
                title=title,
                year=year,
                added_at=int(time.time()),
                duration_ms=600_000,
                summary="",
                rating=0.0,
                content_rating="",
                genres=(),
                path=file_path,
                seasons=1 if section.type == "show" else 0,
                episodes=1 if section.type == "show" else 0,
            )
        return rating_key

    def _new_key(self) -> str:
        self._next_key += 1
        return str(self._next_key)

    def _reset_state(self) -> None:
        self._state = _ServerState()
        self.sections = {section.key: section for section in SECTIONS}
        self.indexes_on_scan = False

    # -- HTTP plumbing

    def _routes(self) -> list[Route]:
        handlers: list[tuple[str, Handler, list[str], str]] = [
            ("/", self._root, ["GET"], "token"),
            ("/identity", self._identity, ["GET"], "public"),
            ("/library", self._library, ["GET"], "token"),
            ("/library/sections", self._sections, ["GET"], "token"),
            ("/library/sections/{key}/all", self._section_all, ["GET"], "token"),
            ("/library/sections/{key}/collections", self._section_collections, ["GET"], "token"),
            ("/library/sections/{key}/refresh", self._refresh, ["GET", "POST"], "owner"),
            ("/library/metadata/{keys}", self._metadata, ["GET"], "token"),
            ("/library/collections", self._create_collection, ["POST"], "owner"),
            ("/library/collections/{key}", self._collection, ["GET"], "token"),
            ("/library/collections/{key}/children", self._collection_items, ["GET"], "token"),
            ("/library/collections/{key}/items", self._collection_items, ["GET"], "token"),
            ("/library/collections/{key}/items", self._add_to_collection, ["PUT"], "owner"),
            ("/hubs/search", self._search, ["GET"], "token"),
            ("/library/recentlyAdded", self._recently_added, ["GET"], "token"),
            ("/photo/:/transcode", self._transcode, ["GET"], "token"),
            ("/library/metadata/{key}/{kind}/{stamp}", self._image, ["GET"], "token"),
            ("/library/collections/{key}/composite/{stamp}", self._image, ["GET"], "token"),
        ]
        return [
            Route(path, self._guarded(handler, access), methods=methods)
            for path, handler, methods, access in handlers
        ]

    def _guarded(self, handler: Handler, access: str) -> Callable[[Request], Any]:
        """Check the token first: the owner's, or (except for changes) the friend's."""
        allowed = {
            "public": None,
            "token": {ADMIN_TOKEN, FRIEND_SERVER_TOKEN},
            "owner": {ADMIN_TOKEN},
        }
        tokens = allowed[access]

        async def endpoint(request: Request) -> Response:
            if tokens is not None and _param(request, "X-Plex-Token") not in tokens:
                raise HTTPException(401, "Unauthorized")
            return handler(request)

        return endpoint

    def _error_response(self, status: int, message: str) -> Response:
        reason = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}.get(status, message)
        body = (
            f"<html><head><title>{reason}</title></head>"
            f"<body><h1>{status} {reason}</h1></body></html>"
        )
        return HTMLResponse(body, status_code=status)

    def _answer(self, request: Request, container: Json) -> Response:
        document = {"MediaContainer": container}
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse(document)
        return Response(render_xml(document), media_type="text/xml")

    def _section(self, request: Request) -> LibrarySection:
        section = self.sections.get(request.path_params["key"])
        if section is None:
            raise HTTPException(404, "Not Found")
        return section

    def _collection_of(self, request: Request) -> LibraryCollection:
        collection = self._state.collections.get(request.path_params["key"])
        if collection is None:
            raise HTTPException(404, "Not Found")
        return collection

    def _entry(self, rating_key: str) -> Json | None:
        """The full Metadata of an item or collection (with its section's fields)."""
        item = self._state.items.get(rating_key)
        if item is not None:
            return _item_json(item, self.sections[item.section_key])
        collection = self._state.collections.get(rating_key)
        if collection is not None:
            section = self.sections[collection.section_key]
            return _collection_json(collection, section, self._state.items)
        return None

    # -- endpoints

    def _root(self, request: Request) -> Response:
        return self._answer(request, _root_json())

    def _identity(self, request: Request) -> Response:
        identity = {"size": 0, "claimed": True, "machineIdentifier": MACHINE_ID}
        return self._answer(request, identity | {"version": SERVER_VERSION})

    def _library(self, request: Request) -> Response:
        directories = [
            {"key": "sections", "title": "Library Sections"},
            {"key": "recentlyAdded", "title": "Recently Added Content"},
            {"key": "onDeck", "title": "On Deck Content"},
        ]
        container = _library_container() | {
            "size": len(directories),
            "art": "/:/resources/library-art.jpg",
            "content": "",
            "title1": "Plex Library",
            "title2": "",
            "Directory": directories,
        }
        return self._answer(request, container)

    def _sections(self, request: Request) -> Response:
        directories = [_section_json(section) for section in self.sections.values()]
        container = {
            "size": len(directories),
            "allowSync": False,
            "title1": "Plex Library",
            "Directory": directories,
        }
        return self._answer(request, container)

    def _section_all(self, request: Request) -> Response:
        section = self._section(request)
        search_type = _int_param(request, "type") or SEARCH_TYPES[section.type]
        with self._lock:
            if search_type == SEARCH_TYPES["collection"]:
                entries = self._collection_entries(section)
            else:
                entries = [
                    _item_json(item)
                    for item in self._state.items.values()
                    if item.section_key == section.key and SEARCH_TYPES[item.type] == search_type
                ]
        title = request.query_params.get("title")
        if title:
            entries = [e for e in entries if title.casefold() in e["title"].casefold()]
        entries = _sort_entries(entries, request.query_params.get("sort"))
        plural = "Movies" if section.type == "movie" else "Shows"
        container = _library_container(section) | {
            "art": f"/:/resources/{section.type}-fanart.jpg",
            "content": "secondary",
            "nocache": True,
            "thumb": f"/:/resources/{section.type}.png",
            "title1": section.title,
            "title2": f"All {plural}",
            "viewGroup": section.type,
        }
        if request.query_params.get("includeMeta") == "1":
            container["Meta"] = _meta_json(section)
        return self._answer(request, _paginate(request, entries, container))

    def _collection_entries(self, section: LibrarySection) -> list[Json]:
        return [
            _collection_json(collection, section, self._state.items)
            for collection in self._state.collections.values()
            if collection.section_key == section.key
        ]

    def _section_collections(self, request: Request) -> Response:
        section = self._section(request)
        with self._lock:
            entries = _sort_entries(
                self._collection_entries(section), request.query_params.get("sort")
            )
        container = _library_container(section) | {
            "title1": section.title,
            "title2": "Collections",
            "viewGroup": "secondary",
        }
        if request.query_params.get("includeMeta") == "1":
            container["Meta"] = _meta_json(section)
        return self._answer(request, _paginate(request, entries, container))

    def _refresh(self, request: Request) -> Response:
        section = self._section(request)
        folder = request.query_params.get("path")
        with self._lock:
            self._state.scans.append((section.key, folder))
            indexed = {item.path for item in self._state.items.values()}
        if self.indexes_on_scan and folder:
            for file in sorted(Path(folder).rglob("*")):
                if file.is_file() and file.suffix in MEDIA_SUFFIXES and str(file) not in indexed:
                    self.add_item(section.key, file.stem, str(file))
        return Response(status_code=200)

    def _metadata(self, request: Request) -> Response:
        keys = request.path_params["keys"].split(",")
        with self._lock:
            entries = [entry for key in keys if (entry := self._entry(key)) is not None]
        if not entries:
            raise HTTPException(404, "Not Found")
        section = self.sections[str(entries[0]["librarySectionID"])]
        container = _library_container(section) | {"size": len(entries), "Metadata": entries}
        return self._answer(request, container)

    def _collection(self, request: Request) -> Response:
        with self._lock:
            collection = self._collection_of(request)
            entry = self._entry(collection.rating_key)
        section = self.sections[collection.section_key]
        return self._answer(request, _library_container(section) | {"size": 1, "Metadata": [entry]})

    def _collection_items(self, request: Request) -> Response:
        with self._lock:
            collection = self._collection_of(request)
            entries = [
                entry for key in collection.item_keys if (entry := self._entry(key)) is not None
            ]
        section = self.sections[collection.section_key]
        container = _library_container(section) | {"title1": collection.title}
        return self._answer(request, _paginate(request, entries, container))

    def _create_collection(self, request: Request) -> Response:
        query = request.query_params
        section = self.sections.get(query.get("sectionId", ""))
        title = (query.get("title") or "").strip()
        if section is None or not title or query.get("smart", "0") != "0":
            raise HTTPException(400, "Bad Request")  # smart collections are not modelled
        keys = _parse_uri(query.get("uri"))
        with self._lock:
            self._require_items(keys, section)
            now = int(time.time())
            rating_key = self._new_key()
            subtype = self._state.items[keys[0]].type
            collection = LibraryCollection(
                rating_key, section.key, title, subtype, tuple(dict.fromkeys(keys)), now, now
            )
            self._state.collections[rating_key] = collection
            self._state.created.append(rating_key)
            entry = _collection_json(collection, section, self._state.items)
        return self._answer(request, _library_container(section) | {"size": 1, "Metadata": [entry]})

    def _add_to_collection(self, request: Request) -> Response:
        keys = _parse_uri(request.query_params.get("uri"))
        with self._lock:
            collection = self._collection_of(request)
            section = self.sections[collection.section_key]
            self._require_items(keys, section)
            collection = replace(
                collection,
                item_keys=tuple(dict.fromkeys((*collection.item_keys, *keys))),
                updated_at=int(time.time()),
            )
            self._state.collections[collection.rating_key] = collection
            entry = _collection_json(collection, section, self._state.items)
        return self._answer(request, _library_container(section) | {"size": 1, "Metadata": [entry]})

    def _require_items(self, keys: list[str], section: LibrarySection) -> None:
        for key in keys:
            item = self._state.items.get(key)
            if item is None or item.section_key != section.key:
                raise HTTPException(400, f"No item {key} in section {section.key}")

    def _search(self, request: Request) -> Response:
        query = (request.query_params.get("query") or "").casefold()
        if not query:
            raise HTTPException(400, "Bad Request")
        limit = _int_param(request, "limit") or 3
        section_key = request.query_params.get("sectionId")
        with self._lock:
            found = [
                entry
                for key in [*self._state.items, *self._state.collections]
                if (entry := self._entry(key)) is not None
                and query in entry["title"].casefold()
                and (section_key is None or str(entry["librarySectionID"]) == section_key)
            ]
        hubs = [
            _hub_json(libtype, _sort_entries(found, None), limit)
            for libtype in ("movie", "show", "collection")
        ]
        return self._answer(request, {"size": len(hubs), "Hub": hubs})

    def _recently_added(self, request: Request) -> Response:
        with self._lock:
            entries = [self._entry(key) for key in self._state.items]
        present = [entry for entry in entries if entry is not None]
        recent = sorted(present, key=lambda e: (e["addedAt"], int(e["ratingKey"])), reverse=True)
        container = _library_container() | {"mixedParents": True}
        return self._answer(request, _paginate(request, recent, container))

    def _transcode(self, request: Request) -> Response:
        url = request.query_params.get("url")
        if not url:
            raise HTTPException(400, "Bad Request")
        self._require_image(urlparse(url).path)
        width = min(_int_param(request, "width") or 1, 1024)
        height = min(_int_param(request, "height") or 1, 1024)
        return Response(gradient_png(urlparse(url).path, width, height), media_type="image/png")

    def _image(self, request: Request) -> Response:
        self._require_image(request.url.path)
        return Response(gradient_png(request.url.path, 2, 3), media_type="image/png")

    def _require_image(self, path: str) -> None:
        with self._lock:
            entries = [self._entry(key) for key in [*self._state.items, *self._state.collections]]
        known = {
            entry[name]
            for entry in entries
            if entry is not None
            for name in ("thumb", "art", "composite")
            if name in entry
        }
        if path not in known:
            raise HTTPException(404, "Not Found")


def _root_json() -> Json:
    return {
        "size": 3,
        "allowCameraUpload": False,
        "allowChannelAccess": True,
        "allowMediaDeletion": True,
        "allowSharing": True,
        "allowSync": False,
        "allowTuners": False,
        "backgroundProcessing": True,
        "certificate": True,
        "companionProxy": True,
        "countryCode": "nld",
        "diagnostics": "logs,databases,streaminglogs",
        "eventStream": True,
        "friendlyName": SERVER_NAME,
        "hubSearch": True,
        "itemClusters": True,
        "livetv": 7,
        "machineIdentifier": MACHINE_ID,
        "mediaProviders": True,
        "multiuser": True,
        "musicAnalysis": 2,
        "myPlex": True,
        "myPlexMappingState": "mapped",
        "myPlexSigninState": "ok",
        "myPlexSubscription": True,
        "myPlexUsername": PLEX_OWNER.username,
        "offlineTranscode": 1,
        "ownerFeatures": "collections,webhooks",
        "photoAutoTag": True,
        "platform": "Linux",
        "platformVersion": "6.8.0-49-generic",
        "pluginHost": True,
        "pushNotifications": False,
        "readOnlyLibraries": False,
        "streamingBrainABRVersion": 3,
        "streamingBrainVersion": 2,
        "sync": True,
        "transcoderActiveVideoSessions": 0,
        "transcoderAudio": True,
        "transcoderLyrics": True,
        "transcoderPhoto": True,
        "transcoderSubtitles": True,
        "transcoderVideo": True,
        "transcoderVideoBitrates": "64,96,208,320,720,1500,2000,3000,4000,8000,10000,12000,20000",
        "transcoderVideoQualities": "0,1,2,3,4,5,6,7,8,9,10,11,12",
        "transcoderVideoResolutions": "128,128,160,240,320,480,768,720,720,1080,1080,1080,1080",
        "updatedAt": DATASET_EPOCH,
        "updater": True,
        "version": SERVER_VERSION,
        "voiceSearch": True,
        "Directory": [
            {"count": 1, "key": "hubs", "title": "hubs"},
            {"count": 1, "key": "identity", "title": "identity"},
            {"count": 1, "key": "library", "title": "library"},
        ],
    }


def _section_json(section: LibrarySection) -> Json:
    return {
        "allowSync": True,
        "art": f"/:/resources/{section.type}-fanart.jpg",
        "composite": f"/library/sections/{section.key}/composite/{DATASET_EPOCH}",
        "filters": True,
        "refreshing": False,
        "thumb": f"/:/resources/{section.type}.png",
        "key": section.key,
        "type": section.type,
        "title": section.title,
        "agent": section.agent,
        "scanner": section.scanner,
        "language": "en-US",
        "uuid": section.uuid,
        "updatedAt": DATASET_EPOCH,
        "createdAt": DATASET_EPOCH,
        "scannedAt": DATASET_EPOCH,
        "content": True,
        "directory": True,
        "contentChangedAt": DATASET_EPOCH,
        "hidden": 0,
        "Location": [{"id": int(section.key), "path": section.location}],
    }


def _hub_json(libtype: str, found: list[Json], limit: int) -> Json:
    matches = [entry for entry in found if entry["type"] == libtype]
    hub: Json = {
        "title": {"movie": "Movies", "show": "Shows", "collection": "Collections"}[libtype],
        "type": libtype,
        "hubIdentifier": libtype,
        "context": "",
        "size": min(len(matches), limit),
        "more": len(matches) > limit,
        "style": "shelf",
    }
    if matches:
        hub["Metadata"] = matches[:limit]
    return hub


# ---------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class PlexFakes:
    tv: FakePlexTv
    server: FakePlexServer


def plex_env(tv: FakePlexTv, server: FakePlexServer) -> dict[str, str]:
    """Environment variables that point a `medianest serve` process at the fakes."""
    return {"PLEX_URL": server.url, "PLEX_TOKEN": ADMIN_TOKEN, "PLEX_TV_URL": tv.url}


@pytest.fixture(scope="session")
def plex_server() -> Iterator[FakePlexServer]:
    """One fake Plex Media Server for the whole run (for fixtures wider than a test)."""
    with FakePlexServer() as server:
        yield server


@pytest.fixture(scope="session")
def plex_tv(plex_server: FakePlexServer) -> Iterator[FakePlexTv]:
    """One fake plex.tv for the whole run; its resources point at `plex_server`."""
    with FakePlexTv(plex_server) as tv:
        yield tv


@pytest.fixture
def plex(plex_tv: FakePlexTv, plex_server: FakePlexServer) -> Iterator[PlexFakes]:
    """Both fakes, in their initial state, reset again after the test."""
    plex_tv.reset()
    plex_server.reset()
    yield PlexFakes(plex_tv, plex_server)
    plex_tv.reset()
    plex_server.reset()
