"""MediaNest filled with content, without a Plex server: the test fakes stand in for the world.

Starts the fakes of plex.tv, a Plex server, Overseerr, TMDB's image host and a video site on
loopback, runs `medianest serve` on the embedded defaults (SQLite, in-process worker) in a
data dir pointed at them, seeds it through the real API (an admin, friends, requests in
several statuses, a finished download) and prints where to sign in. Ctrl-C stops it all.

python scripts/demo.py [--port 8000] [--data-dir DIR]   (or ./scripts/demo)

Without --data-dir the data lives in a temporary folder, removed at exit. An existing data
dir that has been seeded is not seeded again, so a demo can be restarted with its changes
(the fakes start afresh, though: Overseerr forgets what was asked of it).
"""

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# `python scripts/demo.py` puts only scripts/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fakes.overseerr import (
    FURIOSA,
    NEW_MOVIE,
    NEW_SHOW,
    OVERSEERR_API_KEY,
    SHOGUN,
    UPCOMING_MOVIE,
    FakeOverseerr,
    MediaStatus,
)
from tests.fakes.plex import PLEX_FRIEND, FakePlexServer, FakePlexTv, plex_env
from tests.fakes.tmdb import FakeTmdbImages, tmdb_env
from tests.fakes.videos import FakeVideoSite, Media, make_media

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Copper-Harbour-Lantern-2026!"  # noqa: S105 - printed for anyone to use
FRIEND_EMAIL = "fran@example.com"
FRIEND_NAME = "Fran Friend"
FRIEND_PASSWORD = "Amber-Otter-Sings-42!"  # noqa: S105 - printed for anyone to use
WEBHOOK_SECRET = "Bearer demo-webhook-secret-0123456789"  # noqa: S105 - a demo's
STARTUP_SECONDS = 60
DOWNLOAD_SECONDS = 60
YOUTUBE_SECTION = "3"
SEEDED_MARKER = ".demo-seeded"
PIN_APPROVAL_SECONDS = 2.0
"""How long the demo's stand-in takes to approve a Plex PIN, so the pending state shows."""


@dataclass
class Fakes:
    plex_server: FakePlexServer
    plex_tv: FakePlexTv
    overseerr: FakeOverseerr
    tmdb: FakeTmdbImages
    videos: FakeVideoSite


@dataclass(frozen=True)
class Seeded:
    admin_token: str
    friend_token: str
    plex_friend_token: str
    request_ids: dict[str, str]
    download_id: str


def _media(workdir: Path) -> Media:
    """Real clips when ffmpeg is installed; otherwise a few bytes yt-dlp downloads the same."""
    if shutil.which("ffmpeg"):
        return make_media(workdir / "video-media")
    placeholder = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096)
    return Media(small=placeholder, large=placeholder * 64)


@contextlib.contextmanager
def running_fakes(workdir: Path) -> Iterator[Fakes]:
    """Every fake, started on a free loopback port, stopped at exit."""
    with contextlib.ExitStack() as stack:
        plex_server = stack.enter_context(FakePlexServer())
        fakes = Fakes(
            plex_server=plex_server,
            plex_tv=stack.enter_context(FakePlexTv(plex_server)),
            overseerr=stack.enter_context(FakeOverseerr()),
            tmdb=stack.enter_context(FakeTmdbImages()),
            videos=stack.enter_context(FakeVideoSite(_media(workdir))),
        )
        yield fakes


def demo_env(fakes: Fakes, data_dir: Path) -> dict[str, str]:
    """The settings of a MediaNest pointed at the fakes, on the embedded defaults."""
    library = data_dir / "youtube"
    library.mkdir(parents=True, exist_ok=True)
    fakes.plex_server.mount(YOUTUBE_SECTION, str(library))
    return {
        "MEDIANEST_ENV": "development",
        "MEDIANEST_DATA_DIR": str(data_dir),
        "APP_TITLE": "MediaNest Demo",
        "OVERSEERR_URL": fakes.overseerr.url,
        "OVERSEERR_API_KEY": OVERSEERR_API_KEY,
        "OVERSEERR_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "YOUTUBE_ALLOWED_HOSTS": fakes.videos.allowed_host,
        "YOUTUBE_LIBRARY_DIR": str(library),
        "EMBEDDED_WORKER": "true",
        "RATE_LIMIT_LOGIN": "1000/minute",
        **plex_env(fakes.plex_tv, fakes.plex_server),
        **tmdb_env(fakes.tmdb),
    }


# ---------------------------------------------------------------------------- seeding


def _data(response: httpx.Response, status: int = 200) -> Any:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.url} answered {response.status_code}: {response.text}"
        )
    return response.json()["data"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _request(http: httpx.Client, token: str, body: dict[str, Any]) -> dict[str, Any]:
    made: dict[str, Any] = _data(
        http.post("/api/v1/media/request", json=body, headers=_bearer(token)), 201
    )
    return made


def _sign_in_with_plex(http: httpx.Client, fakes: Fakes) -> str:
    pin = _data(http.post("/api/v1/auth/plex/pin"), 201)
    fakes.plex_tv.claim(pin["id"], PLEX_FRIEND)
    signed_in = _data(http.post("/api/v1/auth/plex/verify", json={"pinId": pin["id"]}))
    token: str = signed_in["token"]
    return token


def _finished_download(http: httpx.Client, token: str, url: str) -> str:
    queued = _data(
        http.post("/api/v1/youtube/download", json={"url": url}, headers=_bearer(token)), 201
    )
    deadline = time.monotonic() + DOWNLOAD_SECONDS
    while time.monotonic() < deadline:
        download = _data(
            http.get(f"/api/v1/youtube/downloads/{queued['id']}", headers=_bearer(token))
        )
        if download["status"] in {"completed", "failed", "cancelled"}:
            if download["status"] != "completed":
                raise RuntimeError(f"the demo download ended {download['status']}: {download}")
            download_id: str = download["id"]
            return download_id
        time.sleep(0.3)
    raise RuntimeError("the demo download did not finish in time")


def _report_crash(http: httpx.Client, token: str) -> None:
    """What the web app's error boundary sends when a page crashes (app/errorReporting.ts)."""
    crash = {
        "message": "Cannot read properties of undefined (reading 'seasons')",
        "level": "error",
        "error": {
            "message": "Cannot read properties of undefined (reading 'seasons')",
            "stack": "TypeError: Cannot read properties of undefined (reading 'seasons')\n"
            "    at SeasonList (SeasonList.tsx:41:22)",
        },
        "context": {"component": "ErrorBoundary"},
    }
    report = {"errors": [crash], "url": "/discover/tv/136315", "userAgent": "Mozilla/5.0 (demo)"}
    _data(http.post("/api/v1/errors/report", json=report, headers=_bearer(token)), 201)


def seed(http: httpx.Client, fakes: Fakes) -> Seeded:
    """Fill an empty MediaNest through its API, as people using it would."""
    admin = _data(
        http.post(
            "/api/v1/auth/admin",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "name": "Ada Admin"},
        ),
        201,
    )["token"]
    _data(
        http.post(
            "/api/v1/admin/users",
            json={
                "email": FRIEND_EMAIL,
                "name": FRIEND_NAME,
                "role": "user",
                "password": FRIEND_PASSWORD,
            },
            headers=_bearer(admin),
        ),
        201,
    )
    friend = _data(
        http.post("/api/v1/auth/login", json={"email": FRIEND_EMAIL, "password": FRIEND_PASSWORD})
    )["token"]
    http.cookies.clear()
    plex_friend = _sign_in_with_plex(http, fakes)
    http.cookies.clear()

    # Fran has no Overseerr account: her requests wait for the admin here.
    pending = _request(
        http,
        friend,
        {
            "mediaType": "tv",
            "tmdbId": NEW_SHOW.tmdb_id,
            "seasons": [1, 2],
            "comment": "Season 3 can wait: the first two are enough for the holidays.",
        },
    )
    approved = _request(http, friend, {"mediaType": "movie", "tmdbId": FURIOSA.tmdb_id})
    _data(http.post(f"/api/v1/admin/requests/{approved['id']}/approve", headers=_bearer(admin)))
    declined = _request(http, friend, {"mediaType": "tv", "tmdbId": SHOGUN.tmdb_id})
    _data(
        http.post(
            f"/api/v1/admin/requests/{declined['id']}/decline",
            json={"reason": "It is on the other server already: ask me for an invite."},
            headers=_bearer(admin),
        )
    )
    # The Plex friend has an Overseerr account: theirs go to Overseerr as theirs.
    coming = _request(http, plex_friend, {"mediaType": "movie", "tmdbId": UPCOMING_MOVIE.tmdb_id})
    arrived = _request(http, plex_friend, {"mediaType": "movie", "tmdbId": NEW_MOVIE.tmdb_id})
    _data(http.post(f"/api/v1/admin/requests/{arrived['id']}/approve", headers=_bearer(admin)))
    fakes.overseerr.set_media_status(NEW_MOVIE.tmdb_id, "movie", MediaStatus.AVAILABLE)
    webhook = fakes.overseerr.send_webhook(
        f"{http.base_url}/api/v1/webhooks/overseerr",
        "MEDIA_AVAILABLE",
        arrived["overseerrRequestId"],
        authorization=WEBHOOK_SECRET,
    )
    webhook.raise_for_status()

    download = _finished_download(http, plex_friend, fakes.videos.watch_url("clip"))
    _finished_download(http, friend, fakes.videos.watch_url("clip"))  # Fran's queue not empty
    _report_crash(http, friend)
    return Seeded(
        admin_token=admin,
        friend_token=friend,
        plex_friend_token=plex_friend,
        request_ids={
            "pending": pending["id"],
            "approved": approved["id"],
            "declined": declined["id"],
            "upcoming": coming["id"],
            "available": arrived["id"],
        },
        download_id=download,
    )


# ---------------------------------------------------------------------------- running it


def approve_plex_pins(plex_tv: FakePlexTv, stop: threading.Event) -> None:
    """Stands in for the person approving on plex.tv: "Sign in with Plex" in the demo signs
    the Plex friend in a moment after the PIN is made (the pop-up itself cannot load)."""
    while not stop.wait(1.0):
        for pin in plex_tv.pins.values():
            if (
                pin.auth_token is None
                and not pin.expired
                and time.time() - pin.created_at > PIN_APPROVAL_SECONDS
            ):
                plex_tv.claim(pin.id, PLEX_FRIEND)


def start_medianest(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "medianest", "serve", "--port", str(port)],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"medianest exited with {process.returncode}; see {log_path}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).is_success:
                return process
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"medianest did not start in {STARTUP_SECONDS} s; see {log_path}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _announce(url: str, data_dir: Path, fakes: Fakes) -> None:
    print(
        f"""
MediaNest demo: {url}

  Admin:           {ADMIN_EMAIL} / {ADMIN_PASSWORD}
  Friend:          {FRIEND_EMAIL} / {FRIEND_PASSWORD}
  Sign in with Plex signs in as the Plex friend "{PLEX_FRIEND.username}" (approved for you).
  YouTube:         downloads from the fake video site, e.g. {fakes.videos.watch_url("large")}

  API docs:        {url}/docs
  Data dir:        {data_dir}  (server log: {data_dir / "medianest.log"})
  Fakes:           Plex {fakes.plex_server.url}, plex.tv {fakes.plex_tv.url},
                   Overseerr {fakes.overseerr.url}, TMDB images {fakes.tmdb.base_url}

Ctrl-C stops the demo.""",
        flush=True,
    )


@dataclass(frozen=True)
class Demo:
    url: str
    data_dir: Path
    fakes: Fakes
    process: subprocess.Popen[bytes]
    seeded: Seeded | None
    """None when the data dir had been seeded by an earlier run."""


@contextlib.contextmanager
def running_demo(
    data_dir: Path, port: int, extra_env: dict[str, str] | None = None
) -> Iterator[Demo]:
    """The fakes and a seeded MediaNest on `port` (what `./scripts/demo` shows), with the
    stand-in that approves Plex PINs; all stopped at exit. Also used by bench/ and
    scripts/screenshots.py, which pass `extra_env` (more settings)."""
    with contextlib.ExitStack() as stack:
        fakes = stack.enter_context(running_fakes(data_dir))
        env = {**demo_env(fakes, data_dir), **(extra_env or {})}
        process = start_medianest(env, port, data_dir / "medianest.log")
        stack.callback(stop, process)
        url = f"http://127.0.0.1:{port}"
        seeded = None
        if not (data_dir / SEEDED_MARKER).exists():
            print("Seeding it through the API...", flush=True)
            with httpx.Client(base_url=url, timeout=30) as http:
                seeded = seed(http, fakes)
            (data_dir / SEEDED_MARKER).touch()
        stop_pins = threading.Event()
        stack.callback(stop_pins.set)
        threading.Thread(
            target=approve_plex_pins, args=(fakes.plex_tv, stop_pins), daemon=True
        ).start()
        yield Demo(url=url, data_dir=data_dir, fakes=fakes, process=process, seeded=seeded)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up as Ctrl-C does
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", type=Path, help="keep the demo's data here")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if args.data_dir is None:
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="medianest-demo-"))
            )
        else:
            data_dir = args.data_dir.resolve()
            data_dir.mkdir(parents=True, exist_ok=True)
        print("Starting the fakes and MediaNest...", flush=True)
        demo = stack.enter_context(running_demo(data_dir, args.port))
        _announce(demo.url, data_dir, demo.fakes)
        with contextlib.suppress(KeyboardInterrupt):
            demo.process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
