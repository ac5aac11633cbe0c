"""YouTube downloads end to end: a running MediaNest, its queue, real yt-dlp downloading
real bytes from the fake video site, the fake Plex server, and socket.io."""

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ServerEnv, StartAppServer, StartServer
from tests.downloads.conftest import YOUTUBE_SECTION, Downloading, downloads_env
from tests.fakes.plex import FakePlexServer, FakePlexTv
from tests.fakes.videos import FakeVideoSite
from tests.fixtures.accounts import bootstrap_admin, create_user
from tests.fixtures.envelope import assert_error, assert_ok
from tests.fixtures.server import start_server
from tests.fixtures.sockets import listening

FINISHED = {"completed", "failed", "cancelled"}


def queue(http: httpx.Client, headers: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    response = http.post("/api/v1/youtube/download", json={"url": url, **body}, headers=headers)
    data: dict[str, Any] = assert_ok(response, status=201)
    return data


def wait_for(
    http: httpx.Client,
    headers: dict[str, str],
    download_id: str,
    statuses: set[str],
    *,
    timeout: float = 60,
    at_least: float = 0,
) -> dict[str, Any]:
    """Poll until the download is in one of `statuses` (and has made `at_least` progress)."""
    deadline = time.monotonic() + timeout
    while True:
        data: dict[str, Any] = assert_ok(
            http.get(f"/api/v1/youtube/downloads/{download_id}", headers=headers)
        )
        if data["status"] in statuses and data["progress"] >= at_least:
            return data
        assert time.monotonic() < deadline, f"still {data['status']}: {data}"
        time.sleep(0.2)


def library_files(library: Path) -> list[str]:
    return sorted(
        path.relative_to(library).as_posix()
        for path in library.rglob("*")
        if path.is_file() and ".incomplete" not in path.parts
    )


def leftovers(library: Path) -> list[Path]:
    incomplete = library / ".incomplete"
    return [path for path in incomplete.rglob("*") if path.is_file()] if incomplete.exists() else []


# ---------------------------------------------------------------------- the happy paths


async def test_a_video_lands_in_the_library_with_live_progress_and_plex_scans_it(
    site: Downloading,
    http: httpx.Client,
    videos: FakeVideoSite,
    plex_server: FakePlexServer,
) -> None:
    user = site.user.bearer
    async with listening(site.server, "/media", token=site.user.token) as socket:
        with videos.throttle(400_000):
            download = queue(http, user, videos.media_url("large.mp4"))
            done = wait_for(http, user, download["id"], FINISHED)
        events: list[tuple[str, dict[str, Any]]] = []
        while not any(name == "download:completed" for name, _ in events):
            events.append(await socket.next_event(timeout=10))

    assert done["status"] == "completed", done
    assert done["progress"] == 100
    [file] = done["files"]
    assert file["sizeBytes"] == len(videos.media.by_name()["large.mp4"])
    assert (site.library / file["path"]).is_file()
    assert leftovers(site.library) == []

    progress = [data for name, data in events if name == "download:progress"]
    assert progress, events
    assert {data["id"] for data in progress} == {download["id"]}
    assert [data["progress"] for data in progress] == sorted(data["progress"] for data in progress)
    assert (progress[-1]["progress"], progress[-1]["status"]) == (100, "completed")
    completed = events[-1][1]
    assert completed["files"] == [file["path"]]

    folder = str(site.library / Path(file["path"]).parts[0])
    deadline = time.monotonic() + 10
    while (YOUTUBE_SECTION, folder) not in plex_server.scans:
        assert time.monotonic() < deadline, plex_server.scans
        await asyncio.sleep(0.1)


def test_a_playlist_becomes_a_folder_and_a_plex_collection(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite, plex_server: FakePlexServer
) -> None:
    user = site.user.bearer
    download = queue(http, user, videos.feed_url("playlist"))
    done = wait_for(http, user, download["id"], FINISHED)

    assert done["status"] == "completed", done
    assert done["isPlaylist"] is True
    assert len(done["files"]) == 3
    folders = {Path(file["path"]).parts[0] for file in done["files"]}
    assert len(folders) == 1
    [folder] = folders
    assert ".." not in folder
    assert "/" not in folder
    for file in done["files"]:
        resolved = (site.library / file["path"]).resolve()
        assert resolved.is_relative_to(site.library.resolve())

    deadline = time.monotonic() + 15
    while not plex_server.created_collections:
        assert time.monotonic() < deadline, plex_server.scans
        time.sleep(0.2)
    [collection] = plex_server.created_collections
    assert collection.title == done["playlistTitle"]
    assert len(collection.item_keys) == 3


def test_metadata_without_downloading(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    user = site.user.bearer
    video = assert_ok(
        http.get("/api/v1/youtube/metadata", params={"url": videos.watch_url("clip")}, headers=user)
    )
    assert video["title"] == "A tiny clip"
    assert video["isPlaylist"] is False
    playlist = assert_ok(
        http.get(
            "/api/v1/youtube/metadata", params={"url": videos.feed_url("playlist")}, headers=user
        )
    )
    assert playlist["isPlaylist"] is True
    assert playlist["entryCount"] == 3
    assert library_files(site.library) == library_files(site.library)  # nothing new written


class TestFailuresInWords:
    """yt-dlp's own text (hundreds of characters of command-line advice) stays in the log;
    users read one complete sentence, and a failed lookup is not a failed download."""

    def test_a_lookup_of_a_missing_video_is_a_lookup_failure_in_one_sentence(
        self, site: Downloading, http: httpx.Client, videos: FakeVideoSite
    ) -> None:
        url = videos.watch_url("no-such-video")
        response = http.get(
            "/api/v1/youtube/metadata", params={"url": url}, headers=site.user.bearer
        )
        body = assert_error(response, status=502, code="METADATA_LOOKUP_FAILED")
        assert body["error"]["message"] == (
            "The site answered 404 Not Found: there is no video at this address. Check the link."
        )
        logged = site.server.log_line("ytdlp.failed")
        assert "Unable to download webpage: HTTP Error 404" in logged, "the raw text is logged"

    def test_a_lookup_of_a_site_that_is_down_names_the_refused_connection(
        self, site: Downloading, http: httpx.Client, videos: FakeVideoSite
    ) -> None:
        url = videos.watch_url("clip")
        with videos.down():
            response = http.get(
                "/api/v1/youtube/metadata", params={"url": url}, headers=site.user.bearer
            )
        body = assert_error(response, status=502, code="METADATA_LOOKUP_FAILED")
        assert body["error"]["message"] == (
            f"Could not reach the video's site: connection refused at {url}."
        )

    def test_a_failed_download_says_why_completely(
        self, site: Downloading, http: httpx.Client, videos: FakeVideoSite
    ) -> None:
        user = site.user.bearer
        download = queue(http, user, videos.watch_url("no-such-video"))
        failed = wait_for(http, user, download["id"], FINISHED)
        assert failed["status"] == "failed"
        assert failed["error"] == (
            "The site answered 404 Not Found: there is no video at this address. Check the link."
        )


# ---------------------------------------------------------------------- users' control


def test_cancelling_a_running_download_stops_it_and_leaves_nothing_partial(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    user = site.user.bearer
    before = library_files(site.library)
    with videos.throttle(50_000):
        download = queue(http, user, videos.media_url("large.mp4"))
        wait_for(http, user, download["id"], {"running"}, at_least=1)
        path = f"/api/v1/youtube/downloads/{download['id']}"
        refused = http.delete(path, headers=user)
        assert_error(refused, status=409, code="CONFLICT")
        assert "cancel it first" in refused.json()["error"]["message"]
        cancelled = assert_ok(http.post(f"{path}/cancel", headers=user))
        assert cancelled["status"] in {"running", "cancelled"}
        done = wait_for(http, user, download["id"], FINISHED, timeout=30)
    assert done["status"] == "cancelled"
    assert library_files(site.library) == before
    assert leftovers(site.library) == []


async def test_the_owner_sees_progress_move_until_a_cancel_stops_it(
    site: Downloading, videos: FakeVideoSite
) -> None:
    """Live progress in order while it runs; after the cancel, `download:failed` and then
    silence: no progress event is left over from the stopped job."""
    user = site.user.bearer
    async with (
        httpx.AsyncClient(base_url=site.server.base_url, headers=user, timeout=20) as http,
        listening(site.server, "/media", token=site.user.token) as socket,
    ):
        with videos.throttle(200_000):
            queued = await http.post(
                "/api/v1/youtube/download", json={"url": videos.media_url("large.mp4")}
            )
            download = assert_ok(queued, status=201)
            running: list[float] = []
            while len(set(running)) < 2:  # it moves
                name, data = await socket.next_event(timeout=30)
                assert (name, data["id"], data["status"]) == (
                    "download:progress",
                    download["id"],
                    "running",
                ), data
                running.append(data["progress"])
            path = f"/api/v1/youtube/downloads/{download['id']}"
            assert assert_ok(await http.get(path))["status"] == "running"
            assert_ok(await http.post(f"{path}/cancel"))
            events: list[tuple[str, dict[str, Any]]] = []
            while not events or events[-1][0] != "download:failed":
                events.append(await socket.next_event(timeout=30))
            await socket.assert_nothing_received()
            done = assert_ok(await http.get(path))

    *late, (_, failed) = events
    assert failed == {"id": download["id"], "error": "Cancelled."}
    for name, data in late:  # sent before the job saw the cancel
        assert (name, data["status"]) == ("download:progress", "running"), data
        running.append(data["progress"])
    assert running == sorted(running)
    assert 0 <= running[0] < running[-1] < 100
    assert done["status"] == "cancelled"
    assert leftovers(site.library) == []


def test_deleting_takes_it_off_the_list_and_keeps_its_files_unless_asked(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    user = site.user.bearer
    kept, removed = (queue(http, user, videos.watch_url(slug)) for slug in ("clip", "dots"))
    for download in (kept, removed):
        done = wait_for(http, user, download["id"], FINISHED)
        assert done["status"] == "completed"
        download["files"] = done["files"]

    assert_ok(http.delete(f"/api/v1/youtube/downloads/{kept['id']}", headers=user))
    path = f"/api/v1/youtube/downloads/{removed['id']}"
    assert_ok(http.delete(path, params={"deleteFiles": "true"}, headers=user))

    listed = assert_ok(http.get("/api/v1/youtube/downloads", headers=user))["items"]
    assert {kept["id"], removed["id"]}.isdisjoint(item["id"] for item in listed)
    assert_error(http.get(path, headers=user), status=404, code="NOT_FOUND")
    assert_error(http.delete(path, headers=user), status=404, code="NOT_FOUND")
    assert all((site.library / file["path"]).exists() for file in kept["files"])
    assert not any((site.library / file["path"]).exists() for file in removed["files"])


def test_a_failed_download_can_be_retried(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    user = site.user.bearer
    with videos.down():
        download = queue(http, user, videos.watch_url("clip"))
        failed = wait_for(http, user, download["id"], FINISHED)
    assert failed["status"] == "failed"
    assert failed["error"]
    retried = assert_ok(
        http.post(f"/api/v1/youtube/downloads/{download['id']}/retry", headers=user)
    )
    assert retried["status"] == "queued"
    done = wait_for(http, user, download["id"], FINISHED)
    assert done["status"] == "completed"
    again = http.post(f"/api/v1/youtube/downloads/{download['id']}/retry", headers=user)
    assert_error(again, status=409, code="CONFLICT")


def test_downloads_are_private_but_admins_see_all(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    download = queue(http, site.user.bearer, videos.watch_url("clip"))
    path = f"/api/v1/youtube/downloads/{download['id']}"
    stranger = site.admin  # an admin sees it...
    assert assert_ok(http.get(path, headers=stranger.bearer))["id"] == download["id"]
    listed = assert_ok(http.get("/api/v1/youtube/downloads", headers=site.admin.bearer))
    assert download["id"] in [item["id"] for item in listed["items"]]
    wait_for(http, site.user.bearer, download["id"], FINISHED)


def test_another_user_cannot_see_or_cancel_it(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite
) -> None:
    other = create_user(http, site.admin)
    download = queue(http, site.user.bearer, videos.watch_url("clip"))
    path = f"/api/v1/youtube/downloads/{download['id']}"
    assert_error(http.get(path, headers=other.bearer), status=404, code="NOT_FOUND")
    assert_error(http.delete(path, headers=other.bearer), status=404, code="NOT_FOUND")
    assert_error(http.post(f"{path}/cancel", headers=other.bearer), status=404, code="NOT_FOUND")
    assert assert_ok(http.get("/api/v1/youtube/downloads", headers=other.bearer))["items"] == []
    wait_for(http, site.user.bearer, download["id"], FINISHED)


# ---------------------------------------------------------------------- attacks


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=1",
        "http://localhost/x.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "http://user:pass@127.0.0.1/x",
    ],
)
def test_urls_off_the_allow_list_are_refused_up_front(
    site: Downloading, http: httpx.Client, url: str
) -> None:
    response = http.post("/api/v1/youtube/download", json={"url": url}, headers=site.user.bearer)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in {"UNSAFE_URL", "VALIDATION_ERROR"}


def test_an_allowed_host_on_another_port_is_refused(make_app_server: StartAppServer) -> None:
    server = make_app_server(EMBEDDED_WORKER="false")  # YouTube's hosts, on 80 and 443
    with server.client() as http:
        admin = bootstrap_admin(http)
        answers = {
            url: http.post("/api/v1/youtube/download", json={"url": url}, headers=admin.bearer)
            for url in ("https://youtube.com:22/watch?v=x", "http://www.youtube.com:8080/watch")
        }
        assert assert_ok(http.get("/api/v1/youtube/downloads", headers=admin.bearer))["items"] == []
    for url, answer in answers.items():
        body = assert_error(answer, status=400, code="UNSAFE_URL")
        assert url.split("/")[2] in body["error"]["message"]


@pytest.mark.parametrize(
    "target", ["http://[::ffff:127.0.0.1]:{port}/media/small.mp4", "http://169.254.169.254/"]
)
def test_a_redirect_to_an_internal_address_fails_the_job(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite, target: str
) -> None:
    user = site.user.bearer
    before = library_files(site.library)
    url = videos.redirect_url(target.format(port=videos.port))
    download = queue(http, user, url)
    done = wait_for(http, user, download["id"], FINISHED)
    assert done["status"] == "failed"
    assert library_files(site.library) == before
    internal = [request for request in videos.requests if "::ffff" in str(request.headers)]
    assert internal == []


@pytest.mark.parametrize("slug", ["escape", "dots", "windows"])
def test_titles_never_write_outside_the_library(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite, slug: str
) -> None:
    user = site.user.bearer
    download = queue(http, user, videos.watch_url(slug))
    done = wait_for(http, user, download["id"], FINISHED)
    assert done["status"] == "completed", done
    for file in done["files"]:
        assert (site.library / file["path"]).resolve().is_relative_to(site.library.resolve())
        assert ".." not in Path(file["path"]).parts


@pytest.mark.parametrize(
    "body",
    [
        {"quality": "4k"},
        {"format": "avi"},
        {"format": "mp3"},
        {"audioOnly": True, "format": "mp4"},
        {"playlistItems": "1;rm -rf /"},
        {"downloadPath": "/etc"},
        {"url": "x" * 3000},
    ],
)
def test_options_are_presets_only(
    site: Downloading, http: httpx.Client, videos: FakeVideoSite, body: dict[str, Any]
) -> None:
    payload = {"url": videos.watch_url("clip"), **body}
    response = http.post("/api/v1/youtube/download", json=payload, headers=site.user.bearer)
    assert_error(response, status=400, code="VALIDATION_ERROR")


def test_the_sixth_download_in_an_hour_is_refused(
    make_server: StartServer, videos: FakeVideoSite, tmp_path: Path
) -> None:
    live = make_server(YOUTUBE_ALLOWED_HOSTS=videos.allowed_host, YOUTUBE_LIBRARY_DIR=str(tmp_path))
    with live.client() as http:
        admin = bootstrap_admin(http)
        for refused_url in ("https://example.com/watch?v=abc", "https://vimeo.com/76979871"):
            refused = http.post(
                "/api/v1/youtube/download", json={"url": refused_url}, headers=admin.bearer
            )
            # refused by the allow-list or, where the name resolves nowhere, as unsafe
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"]["code"] in {"VALIDATION_ERROR", "UNSAFE_URL"}
        untouched = assert_ok(http.get("/api/v1/youtube/quota", headers=admin.bearer))
        for _ in range(5):
            queue(http, admin.bearer, videos.watch_url("clip"))
        spent = assert_ok(http.get("/api/v1/youtube/quota", headers=admin.bearer))
        sixth = http.post(
            "/api/v1/youtube/download",
            json={"url": videos.watch_url("clip")},
            headers=admin.bearer,
        )
    body = assert_error(sixth, status=429, code="RATE_LIMIT_EXCEEDED")
    assert body["error"]["details"]["limit"] == 5
    assert body["error"]["details"]["retryAfter"] > 0
    # Readable before the first download, and never spent by reading it.
    assert (untouched["limit"], untouched["remaining"]) == (5, 5)
    assert (spent["limit"], spent["remaining"]) == (5, 0)
    assert spent["resetAt"] > time.time()


# ---------------------------------------------------------------------- durability


def test_killing_the_server_mid_download_loses_nothing(
    server_env: ServerEnv,
    plex_tv: FakePlexTv,
    plex_server: FakePlexServer,
    videos: FakeVideoSite,
    tmp_path: Path,
) -> None:
    library = tmp_path / "library"
    env = downloads_env(server_env, library, plex_tv, plex_server, videos)
    first = start_server(env, workdir=tmp_path)
    with first.client() as http:
        admin = bootstrap_admin(http)
        with videos.throttle(60_000):
            download = queue(http, admin.bearer, videos.media_url("large.mp4"))
            wait_for(http, admin.bearer, download["id"], {"running"}, at_least=1)
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait()

    second = start_server(env, workdir=tmp_path)
    try:
        with second.client() as http:
            done = wait_for(http, admin.bearer, download["id"], FINISHED, timeout=90)
    finally:
        second.stop()
    assert done["status"] == "completed", done
    assert done["attempts"] == 2
    assert len(library_files(library)) == 1
    assert leftovers(library) == []


def test_formats_that_need_ffmpeg_are_refused_without_it(
    make_server: StartServer, videos: FakeVideoSite, tmp_path: Path
) -> None:
    live = make_server(
        YOUTUBE_ALLOWED_HOSTS=videos.allowed_host,
        YOUTUBE_LIBRARY_DIR=str(tmp_path),
        FFMPEG_PATH=str(tmp_path / "no-ffmpeg-here"),
    )
    with live.client() as http:
        admin = bootstrap_admin(http)
        mkv = http.post(
            "/api/v1/youtube/download",
            json={"url": videos.watch_url("clip"), "format": "mkv"},
            headers=admin.bearer,
        )
        mp4 = http.post(
            "/api/v1/youtube/download",
            json={"url": videos.watch_url("clip"), "format": "mp4"},
            headers=admin.bearer,
        )
    assert "ffmpeg" in assert_error(mkv, status=400, code="FFMPEG_REQUIRED")["error"]["message"]
    assert mp4.status_code == 201


def test_the_concurrency_limit_holds(
    make_server: StartServer, videos: FakeVideoSite, tmp_path: Path
) -> None:
    live = make_server(
        YOUTUBE_ALLOWED_HOSTS=videos.allowed_host,
        YOUTUBE_LIBRARY_DIR=str(tmp_path),
        MAX_CONCURRENT_DOWNLOADS="1",
        EMBEDDED_WORKER="true",
    )
    with live.client() as http, videos.throttle(1_000_000):
        admin = bootstrap_admin(http)
        ids = [
            queue(http, admin.bearer, videos.media_url(name))["id"]
            for name in ("large.mp4", "small.mp4")
        ]
        most_running = 0
        deadline = time.monotonic() + 90
        while True:
            listed = assert_ok(http.get("/api/v1/youtube/downloads", headers=admin.bearer))
            statuses = [item["status"] for item in listed["items"]]
            most_running = max(most_running, statuses.count("running"))
            if all(status in FINISHED for status in statuses) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert most_running == 1
    assert statuses == ["completed", "completed"], ids
