"""yt-dlp for one library, as callers see it: checks made before a job is queued, metadata
lookups and downloads.

The URL's host, the options and where files land are checked here; yt-dlp itself is loaded
by `engine` on the first lookup or download, so a process that only queues downloads (or a
command) never imports it.
"""

import re
import shutil
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, Final

import structlog

from medianest.integrations.ytdlp.errors import DownloadCancelledError
from medianest.integrations.ytdlp.paths import INCOMPLETE_DIR_NAME
from medianest.integrations.ytdlp.presets import DownloadOptions, format_options
from medianest.integrations.ytdlp.runtime import find_deno
from medianest.integrations.ytdlp.schemas import DownloadResult, Metadata, ProgressUpdate
from medianest.kit.netguard import allowed_host_set, check_url
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

DEFAULT_EXTRACTORS: Final = ("youtube.*", "generic")
"""yt-dlp extractors allowed (regexes on their names): YouTube's, and the generic one for
pages and feeds on other allow-listed hosts. The allow-list of hosts still applies."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

ProgressCallback = Callable[[ProgressUpdate], None]
CancelCheck = Callable[[], bool]


def find_ffmpeg(configured: Path | None) -> Path | None:
    """The ffmpeg to use: the configured one if it is an executable, else `ffmpeg` on PATH."""
    if configured is not None:
        found = shutil.which(str(configured))
        if found is None:
            logger.warning("ytdlp.ffmpeg_missing", path=str(configured))
        return Path(found) if found else None
    found = shutil.which("ffmpeg")
    return Path(found) if found else None


class _YtDlpLog:
    """yt-dlp's `logger` parameter: its chatter goes to our structured log, not stdout."""

    def debug(self, message: str) -> None:
        logger.debug("ytdlp.message", message=message)

    def info(self, message: str) -> None:
        logger.debug("ytdlp.message", message=message)

    def warning(self, message: str) -> None:
        logger.info("ytdlp.warning", message=_ANSI.sub("", message))

    def error(self, message: str) -> None:
        logger.info("ytdlp.error", message=_ANSI.sub("", message))


class YtDlpClient:
    """yt-dlp for one library: metadata lookups and downloads into `library_root`.

    `ffmpeg` is the program yt-dlp may run (see `find_ffmpeg`); None disables it: formats
    that need it are refused and yt-dlp is pointed at an empty folder so it cannot find
    one on PATH either.
    """

    def __init__(
        self,
        library_root: Path,
        *,
        allowed_hosts: Collection[str],
        ffmpeg: Path | None,
        work_dir: Path | None = None,
        cache_dir: Path | None = None,
        socket_timeout: float = 20.0,
        extractors: Sequence[str] = DEFAULT_EXTRACTORS,
        deno: Path | None = None,
    ) -> None:
        self.library_root = library_root
        self.deno = deno
        self.allowed_hosts = allowed_host_set(allowed_hosts)
        self.ffmpeg = ffmpeg
        self.work_dir = work_dir or library_root / INCOMPLETE_DIR_NAME
        self.cache_dir = cache_dir
        self.socket_timeout = socket_timeout
        self.extractors = tuple(extractors)

    @classmethod
    def from_settings(cls, settings: Settings) -> "YtDlpClient":
        return cls(
            settings.youtube_library_path,
            allowed_hosts=settings.youtube_allowed_hosts,
            ffmpeg=find_ffmpeg(settings.ffmpeg_path),
            cache_dir=settings.data_dir / "cache" / "yt-dlp",
            deno=find_deno(),
        )

    @property
    def has_ffmpeg(self) -> bool:
        return self.ffmpeg is not None

    # -- checks a caller makes before queueing a job

    def check_url(self, url: str) -> None:
        """Refuse a URL whose host is not allow-listed (UnsafeUrlError)."""
        check_url(url, allowed_hosts=self.allowed_hosts)

    def check_options(self, options: DownloadOptions) -> None:
        """Refuse options this server cannot honour (FfmpegRequiredError)."""
        format_options(options, has_ffmpeg=self.has_ffmpeg)

    # -- metadata

    def probe(self, url: str) -> Metadata:
        """What `url` is, without downloading: a video, or a playlist and its size."""
        from medianest.integrations.ytdlp import engine

        self.check_url(url)
        return engine.probe(self, url)

    # -- download

    def download(
        self,
        url: str,
        options: DownloadOptions,
        *,
        on_progress: ProgressCallback,
        should_cancel: CancelCheck,
    ) -> DownloadResult:
        """Download `url` into the library; blocking, for a worker thread.

        Raises UnsafeUrlError, FfmpegRequiredError, UnsafePathError, DownloadFailedError or
        DownloadCancelledError. Files of playlist entries finished before a failure or a
        cancellation stay in the library; nothing partial does.
        """
        from medianest.integrations.ytdlp import engine

        self.check_url(url)
        chosen = format_options(options, has_ffmpeg=self.has_ffmpeg)
        if should_cancel():
            raise DownloadCancelledError
        return engine.download(
            self, url, chosen, on_progress=on_progress, should_cancel=should_cancel
        )

    def base_params(self) -> dict[str, Any]:
        """yt-dlp parameters every call shares: quiet, guarded, native downloads only, and
        YouTube's JavaScript challenges solved by our deno with the yt-dlp-ejs scripts."""
        params: dict[str, Any] = {
            "logger": _YtDlpLog(),
            "quiet": True,
            "noprogress": True,
            "noplaylist": True,  # a watch URL with &list= means that video
            "allowed_extractors": list(self.extractors),
            "socket_timeout": self.socket_timeout,
            "retries": 3,
            "fragment_retries": 3,
            "cachedir": str(self.cache_dir) if self.cache_dir else False,
            "updatetime": False,
            "windowsfilenames": True,
            # Media is fetched by yt-dlp itself (through the guard), never handed to another
            # program; should ffmpeg still be asked to download (HLS features the native
            # downloader lacks), it may not open network protocols.
            "external_downloader": {"default": "native"},
            "hls_prefer_native": True,
            "external_downloader_args": {"ffmpeg_i": ["-protocol_whitelist", "file,crypto,data"]},
        }
        if self.ffmpeg is not None:
            params["ffmpeg_location"] = str(self.ffmpeg)
        if self.deno is not None:
            # Without a path yt-dlp looks for `deno` on PATH; the solver scripts come from the
            # yt-dlp-ejs package (remote_components stays empty: nothing is fetched).
            params["js_runtimes"] = {"deno": {"path": str(self.deno)}}
        return params
