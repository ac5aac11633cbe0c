"""A local video site for the yt-dlp tests: real media over HTTP, pages, a feed, and traps.

yt-dlp's generic extractor understands everything served here, so tests run the real
yt-dlp against real bytes without touching the internet (allow-list `127.0.0.1`):

- `/media/<file>`: small real videos made at session start with ffmpeg (`make_media`):
  `small.mp4` (2 s, 160x120, H.264 + AAC) and `large.mp4` (several MB). Range requests are
  honoured; `throttle(bytes_per_second)` slows every media response so a test can watch
  progress or kill a process mid-download.
- `/watch/<slug>`: a page describing one video in JSON-LD (`VideoObject`: title, author,
  contentUrl, thumbnail), some with hostile titles and uploaders (`..`, `/etc/passwd`).
- `/page?media=<url>&title=<t>`: the same kind of page pointing at any URL (attacks).
- `/feeds/<name>.xml`: an RSS feed yt-dlp reads as a playlist; the feed title and the items'
  titles and guids (which become ids) try to climb out of the library.
- `/redirect?to=<url>`: a 302 to anywhere, such as `http://[::ffff:127.0.0.1]:port/`.

`video_site` runs once per session; the `videos` fixture resets it around a test.
"""

import asyncio
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import pytest
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.plex import FakeHttpServer, png

# ---------------------------------------------------------------------------- media files


@dataclass(frozen=True)
class Media:
    small: bytes
    large: bytes

    def by_name(self) -> dict[str, bytes]:
        return {"small.mp4": self.small, "large.mp4": self.large}


_FFMPEG_INPUTS = {
    # name: (video source, audio source, extra encoder options)
    "small.mp4": (
        "testsrc=size=160x120:rate=15:duration=2",
        "sine=frequency=440:duration=2",
        ["-b:a", "64k"],
    ),
    "large.mp4": (
        "testsrc2=size=320x240:rate=25:duration=16",
        "sine=frequency=220:duration=16",
        ["-b:v", "3M", "-maxrate", "3M", "-bufsize", "1M", "-b:a", "128k"],
    ),
}


def ffmpeg_or_skip() -> str:
    """The ffmpeg program; CI must have it (a skip there would hide missing coverage)."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("ffmpeg is required in CI (.ci/run installs it)")
    pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")


def make_media(directory: Path) -> Media:
    """Encode the test videos with ffmpeg into `directory` and return their bytes."""
    ffmpeg = ffmpeg_or_skip()
    directory.mkdir(parents=True, exist_ok=True)
    for name, (video, audio, options) in _FFMPEG_INPUTS.items():
        command = [ffmpeg, "-nostdin", "-loglevel", "error", "-y"]
        command += ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio]
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        command += ["-c:a", "aac", *options, "-shortest", "-movflags", "+faststart"]
        subprocess.run([*command, str(directory / name)], check=True, timeout=120)
    return Media(
        small=(directory / "small.mp4").read_bytes(),
        large=(directory / "large.mp4").read_bytes(),
    )


# ---------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class FakeVideo:
    slug: str
    title: str
    uploader: str
    media: str  # a file under /media/


@dataclass(frozen=True)
class FeedItem:
    title: str
    guid: str
    media: str  # a file under /media/, optionally with a query to make the URL unique


@dataclass(frozen=True)
class FakeFeed:
    title: str
    items: tuple[FeedItem, ...]


VIDEOS = {
    video.slug: video
    for video in (
        FakeVideo("clip", "A tiny clip", "Test Channel", "small.mp4"),
        FakeVideo("large", "A larger clip", "Test Channel", "large.mp4"),
        FakeVideo("escape", "/etc/passwd", "../../Uploader", "small.mp4"),
        FakeVideo("dots", "..", "..", "small.mp4"),
        FakeVideo("windows", 'CON: <a> "b" | c? *d*', "C:\\Users\\..\\evil", "small.mp4"),
    )
}
FEEDS = {
    "playlist": FakeFeed(
        "../../etc/My Playlist",
        (
            FeedItem("First ../ item", "first-item", "small.mp4"),
            FeedItem("/absolute/second", "../../second", "small.mp4?copy=2"),
            FeedItem("..", "/etc/third", "small.mp4?copy=3"),
        ),
    ),
    "dots": FakeFeed("..", (FeedItem("Only item", "only", "small.mp4"),)),
}


# ---------------------------------------------------------------------------- the site


class FakeVideoSite(FakeHttpServer):
    """The site; knobs: `throttle()`; inspection: `requests` (from FakeHttpServer)."""

    def __init__(self, media: Media) -> None:
        self.media = media
        self._bytes_per_second: int | None = None
        self._media_lock = threading.Lock()
        super().__init__()

    # -- addresses

    @property
    def allowed_host(self) -> str:
        """This site as a YOUTUBE_ALLOWED_HOSTS entry (its port is not 80 or 443)."""
        return f"{self.host}:{self.port}"

    def watch_url(self, slug: str) -> str:
        return f"{self.url}/watch/{slug}"

    def feed_url(self, name: str) -> str:
        return f"{self.url}/feeds/{name}.xml"

    def media_url(self, name: str = "small.mp4", *, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}/media/{name}"

    def redirect_url(self, to: str) -> str:
        return f"{self.url}/redirect?{urlencode({'to': to})}"

    def page_url(self, media: str, *, title: str = "A page") -> str:
        return f"{self.url}/page?{urlencode({'media': media, 'title': title})}"

    # -- knobs

    @contextmanager
    def throttle(self, bytes_per_second: int) -> Iterator[None]:
        """Media responses trickle at `bytes_per_second` inside the block."""
        with self._media_lock:
            previous, self._bytes_per_second = self._bytes_per_second, bytes_per_second
        try:
            yield
        finally:
            with self._media_lock:
                self._bytes_per_second = previous

    def _reset_state(self) -> None:
        with self._media_lock:
            self._bytes_per_second = None

    # -- routes

    def _routes(self) -> list[Route]:
        return [
            Route("/media/{name}", self._media, methods=["GET", "HEAD"]),
            Route("/watch/{slug}", self._watch),
            Route("/page", self._page),
            Route("/feeds/{name}.xml", self._feed),
            Route("/redirect", self._redirect),
            Route("/thumb.png", self._thumbnail),
        ]

    async def _watch(self, request: Request) -> Response:
        video = VIDEOS.get(request.path_params["slug"])
        if video is None:
            return self._error_response(404, "no such video")
        return self._video_page(video.title, video.uploader, self.media_url(video.media))

    async def _page(self, request: Request) -> Response:
        media = request.query_params.get("media", "")
        return self._video_page(request.query_params.get("title", "A page"), "Pages", media)

    def _video_page(self, title: str, uploader: str, content_url: str) -> Response:
        data = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": title,
            "description": f"{title} (a test video)",
            "contentUrl": content_url,
            "thumbnailUrl": f"{self.url}/thumb.png",
            "uploadDate": "2024-05-01",
            "duration": "PT2S",
            "author": {"@type": "Person", "name": uploader},
        }
        script = json.dumps(data).replace("</", "<\\/")
        return HTMLResponse(
            "<!doctype html><html><head><title>video</title>"
            f'<script type="application/ld+json">{script}</script></head><body></body></html>'
        )

    async def _feed(self, request: Request) -> Response:
        feed = FEEDS.get(request.path_params["name"])
        if feed is None:
            return self._error_response(404, "no such feed")
        items = "".join(
            f"<item><title>{escape(item.title)}</title><guid>{escape(item.guid)}</guid>"
            f'<enclosure url="{escape(self.media_url(item.media))}" type="video/mp4" '
            f'length="{len(self.media.small)}"/></item>'
            for item in feed.items
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(feed.title)}</title><link>{self.url}</link>"
            f"<description>A test feed</description>{items}</channel></rss>"
        )
        return Response(body, media_type="application/rss+xml")

    async def _redirect(self, request: Request) -> Response:
        return RedirectResponse(request.query_params.get("to", "/"), status_code=302)

    async def _thumbnail(self, _request: Request) -> Response:
        return Response(png(4, 3), media_type="image/png")

    async def _media(self, request: Request) -> Response:
        body = self.media.by_name().get(request.path_params["name"])
        if body is None:
            return self._error_response(404, "no such file")
        start, end = _byte_range(request.headers.get("range"), len(body))
        headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start)}
        status = 200
        if request.headers.get("range"):
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(body)}"
        if request.method == "HEAD":
            return Response(b"", status_code=status, headers=headers, media_type="video/mp4")
        with self._media_lock:
            rate = self._bytes_per_second
        return StreamingResponse(
            _trickle(body[start:end], rate),
            status_code=status,
            headers=headers,
            media_type="video/mp4",
        )


def _byte_range(header: str | None, size: int) -> tuple[int, int]:
    """`bytes=N-` or `bytes=N-M` as a half-open range; the whole body otherwise."""
    match = re.fullmatch(r"bytes=(\d+)-(\d*)", header or "")
    if not match:
        return 0, size
    start = min(int(match.group(1)), size)
    end = min(int(match.group(2)) + 1, size) if match.group(2) else size
    return start, max(start, end)


async def _trickle(body: bytes, bytes_per_second: int | None) -> AsyncIterator[bytes]:
    if not bytes_per_second:
        yield body
        return
    chunk = max(1024, bytes_per_second // 10)
    for offset in range(0, len(body), chunk):
        yield body[offset : offset + chunk]
        await asyncio.sleep(chunk / bytes_per_second)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def video_media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """The test videos, encoded once per session."""
    return make_media(tmp_path_factory.mktemp("video-media"))


@pytest.fixture(scope="session")
def video_site(video_media: Media) -> Iterator[FakeVideoSite]:
    """One fake video site for the whole run."""
    with FakeVideoSite(video_media) as site:
        yield site


@pytest.fixture
def videos(video_site: FakeVideoSite) -> Iterator[FakeVideoSite]:
    """The fake video site in its initial state, reset again after the test."""
    video_site.reset()
    yield video_site
    video_site.reset()
