"""Metadata and downloads through yt-dlp's Python API, with the server in control.

The server decides, never the user: the URL's host (allow-list), every address fetched
(`network`), the options (`presets`), and where files land. The output template is ours:
`<root>/<playlist title>/<title> [<id>].<ext>` for playlist entries and
`<root>/<uploader or 'YouTube'>/<title> [<id>].<ext>` otherwise, each part sanitised by
`paths.safe_component` before yt-dlp expands the template, and the expanded path checked
again, resolved, against the library root before anything is written (and once more for
each finished file).

A download is synchronous and meant for a worker thread. yt-dlp works only inside a private
folder per job: `.part`, fragment and pre-merge files, merging, remuxing and audio
extraction all happen there, and we move each finished file into the library ourselves.
yt-dlp never sees the library, so it can neither mistake another job's file for "already
downloaded" nor post-process (and delete) it; the job folder is removed whatever happens,
so a cancelled or failed job leaves nothing half-written behind. Cancellation is polled in
yt-dlp's progress hook (every received block) and before each entry of a playlist.
"""

import re
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import structlog
from yt_dlp.postprocessor.common import PostProcessor
from yt_dlp.utils import DownloadCancelled, YoutubeDLError

from medianest.integrations.ytdlp import messages
from medianest.integrations.ytdlp.errors import (
    DownloadCancelledError,
    DownloadFailedError,
    MetadataLookupFailedError,
)
from medianest.integrations.ytdlp.network import FetchGuard, GuardedYoutubeDL
from medianest.integrations.ytdlp.paths import INCOMPLETE_DIR_NAME, ensure_under, safe_component
from medianest.integrations.ytdlp.presets import DownloadOptions, format_options
from medianest.integrations.ytdlp.runtime import find_deno
from medianest.integrations.ytdlp.schemas import (
    DownloadResult,
    FormatsSummary,
    Metadata,
    ProgressStatus,
    ProgressUpdate,
)
from medianest.kit.netguard import allowed_host_set, check_url
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

DEFAULT_EXTRACTORS: Final = ("youtube.*", "generic")
"""yt-dlp extractors allowed (regexes on their names): YouTube's, and the generic one for
pages and feeds on other allow-listed hosts. The allow-list of hosts still applies."""

FALLBACK_FOLDER: Final = "YouTube"
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


class _CancelRequested(DownloadCancelled):
    """Raised inside yt-dlp to stop it; yt-dlp lets its DownloadCancelled family through."""


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


# ---------------------------------------------------------------------------- one job


@dataclass
class _Job:
    """What one download shares between yt-dlp's callbacks and the caller."""

    root: Path
    work_dir: Path
    on_progress: ProgressCallback
    should_cancel: CancelCheck
    files: list[Path] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)

    def poll_cancel(self) -> None:
        if self.should_cancel():
            raise _CancelRequested

    def library_path(self, produced: Path) -> Path:
        """Where a file yt-dlp makes in the job folder goes in the library, proven safe."""
        relative = ensure_under(self.work_dir, produced).relative_to(self.work_dir.resolve())
        return ensure_under(self.root, self.root / relative)

    def publish(self, produced: Path) -> Path:
        """Move a finished file into the library (replacing an older copy of it)."""
        destination = self.library_path(produced)
        destination.parent.mkdir(parents=True, exist_ok=True)
        ensure_under(self.root, destination.parent)  # no symlinked folder on the way
        shutil.move(produced, destination)
        return destination

    def progress_hook(self, status: dict[str, Any]) -> None:
        self.poll_cancel()
        update = _progress_update(status)
        if update is not None:
            self.on_progress(update)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _progress_update(status: dict[str, Any]) -> ProgressUpdate | None:
    """yt-dlp's documented progress-hook keys as a ProgressUpdate."""
    try:
        state = ProgressStatus(str(status.get("status")))
    except ValueError:
        return None
    info = status.get("info_dict") or {}
    total = _int(status.get("total_bytes"))
    estimate = _int(status.get("total_bytes_estimate"))
    filename = _str(status.get("filename"))
    return ProgressUpdate(
        status=state,
        downloaded_bytes=_int(status.get("downloaded_bytes")) or 0,
        total_bytes=total if total is not None else estimate,
        total_is_estimate=total is None and estimate is not None,
        speed=_float(status.get("speed")),
        eta=_float(status.get("eta")),
        filename=Path(filename).name if filename else None,
        playlist_index=_int(info.get("playlist_index")),
        playlist_count=_int(info.get("n_entries")) or _int(info.get("playlist_count")),
    )


class _NamePP(PostProcessor):
    """Before a video is written: names it safely and proves where it will land.

    Runs at yt-dlp's `video` stage, after format selection (the extension is known) and
    before the output folders are created.
    """

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self._job = job

    def run(self, info: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        self._job.poll_cancel()
        if info.get("is_live") or info.get("live_status") in {"is_live", "is_upcoming"}:
            raise DownloadFailedError("Live streams cannot be downloaded.")
        info.update(_safe_fields(info))
        self._job.library_path(Path(self._downloader.prepare_filename(info)))
        return [], info


class _CollectPP(PostProcessor):
    """After a video is finished and post-processed: moves it into the library."""

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self._job = job

    def run(self, info: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        finished = Path(str(info.get("filepath") or info.get("_filename")))
        self._job.files.append(self._job.publish(finished))
        self._job.entry_ids.append(str(info.get("id")))
        return [], info


def _safe_fields(info: dict[str, Any]) -> dict[str, str]:
    """The values our output template uses, each a single safe path component."""
    in_playlist = info.get("playlist_index") is not None or info.get("playlist_autonumber")
    playlist = _str(info.get("playlist_title")) or _str(info.get("playlist"))
    owner = _str(info.get("uploader")) or _str(info.get("channel"))
    folder = playlist if in_playlist and playlist else owner
    return {
        "mn_folder": safe_component(folder, fallback=FALLBACK_FOLDER),
        "mn_title": safe_component(_str(info.get("title")), fallback="video"),
        "mn_vid": safe_component(str(info.get("id") or ""), fallback="id", max_bytes=64),
    }


OUTPUT_TEMPLATE: Final = "%(mn_folder)s/%(mn_title)s [%(mn_vid)s].%(ext)s"


# ---------------------------------------------------------------------------- the client


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
        self.check_url(url)
        guard = FetchGuard(self.allowed_hosts)
        params = {
            **self.base_params(),
            "skip_download": True,
            "extract_flat": "in_playlist",
            "format": "all",
        }
        with (
            self._translated_errors(guard, url, MetadataLookupFailedError),
            GuardedYoutubeDL(params, fetch_guard=guard) as ydl,
        ):
            info = ydl.extract_info(url, download=False)
        return _metadata(info, url)

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
        self.check_url(url)
        chosen = format_options(options, has_ffmpeg=self.has_ffmpeg)
        if should_cancel():
            raise DownloadCancelledError
        job_dir = self.work_dir / uuid.uuid4().hex
        job = _Job(self.library_root, job_dir, on_progress, should_cancel)
        guard = FetchGuard(self.allowed_hosts)
        job_dir.mkdir(parents=True)
        try:
            info = self._run(url, chosen, job, guard)
        finally:
            shutil.rmtree(job_dir, ignore_errors=True)
        return DownloadResult(
            files=tuple(job.files),
            title=_str(info.get("title")) or "",
            playlist_title=_str(info.get("title")) if info.get("_type") == "playlist" else None,
            entry_ids=tuple(job.entry_ids),
        )

    def _run(
        self, url: str, chosen: dict[str, Any], job: _Job, guard: FetchGuard
    ) -> dict[str, Any]:
        params = {
            **self.base_params(),
            **chosen,
            "outtmpl": {"default": OUTPUT_TEMPLATE},
            "paths": {"home": str(job.work_dir)},
            "progress_hooks": [job.progress_hook],
        }
        if self.ffmpeg is None:
            params["ffmpeg_location"] = str(_empty_dir(job.work_dir / ".no-ffmpeg"))
        with (
            self._translated_errors(guard, url, DownloadFailedError),
            GuardedYoutubeDL(params, fetch_guard=guard) as ydl,
        ):
            ydl.add_post_processor(_NamePP(job), when="video")
            ydl.add_post_processor(_CollectPP(job), when="after_move")
            info: dict[str, Any] = ydl.extract_info(url, download=True)
        return info

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

    @contextmanager
    def _translated_errors(
        self,
        guard: FetchGuard,
        url: str,
        failure: type[DownloadFailedError | MetadataLookupFailedError],
    ) -> Iterator[None]:
        """yt-dlp's exceptions as ours, explained in words (its own text goes to the log);
        a guard refusal wins over whatever yt-dlp made of it."""
        try:
            yield
        except _CancelRequested:
            raise DownloadCancelledError(
                "The download was cancelled; its partial files were removed."
            ) from None
        except Exception as exc:
            if guard.refusal is not None:
                raise guard.refusal from exc
            if isinstance(exc, YoutubeDLError | OSError):
                raise failure(self._explain(exc, url, failure)) from exc
            raise
        if guard.refusal is not None:
            # yt-dlp carried on (a refused thumbnail is only a warning to it); we do not.
            raise guard.refusal

    def _explain(
        self,
        exc: BaseException,
        url: str,
        failure: type[DownloadFailedError | MetadataLookupFailedError],
    ) -> str:
        action = "look up" if failure is MetadataLookupFailedError else "download"
        explained = messages.explain(
            exc, url=url, timeout_seconds=self.socket_timeout, action=action
        )
        logger.warning(
            "ytdlp.failed", action=action, url=url, error=messages.raw_text(exc), told=explained
        )
        return explained


def _empty_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------- metadata


def _metadata(info: dict[str, Any], url: str) -> Metadata:
    is_playlist = info.get("_type") == "playlist"
    entries = info.get("entries") or []
    return Metadata(
        title=_str(info.get("title")) or _str(info.get("id")) or "",
        uploader=_str(info.get("uploader")) or _str(info.get("channel")),
        duration=_float(info.get("duration")),
        thumbnail=_str(info.get("thumbnail")) or _first_thumbnail(info),
        webpage_url=_str(info.get("webpage_url")) or url,
        is_playlist=is_playlist,
        entry_count=(_int(info.get("playlist_count")) or len(list(entries)))
        if is_playlist
        else None,
        playlist_title=_str(info.get("title")) if is_playlist else None,
        formats=_formats_summary(info.get("formats") or []),
    )


def _first_thumbnail(info: dict[str, Any]) -> str | None:
    thumbnails = info.get("thumbnails") or []
    urls = [_str(thumb.get("url")) for thumb in thumbnails if isinstance(thumb, dict)]
    return next((url for url in reversed(urls) if url), None)


def _formats_summary(formats: list[dict[str, Any]]) -> FormatsSummary:
    """Heights and containers offered, ignoring storyboards and manifests."""
    media = [f for f in formats if f.get("ext") not in {None, "mhtml"}]
    heights = {_int(f.get("height")) for f in media if f.get("vcodec") != "none"}
    return FormatsSummary(
        heights=tuple(sorted((h for h in heights if h), reverse=True)),
        containers=tuple(sorted({str(f["ext"]) for f in media})),
        has_audio_only=any(
            f.get("vcodec") == "none" and f.get("acodec") not in {None, "none"} for f in media
        ),
    )
