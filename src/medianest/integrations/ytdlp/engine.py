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

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

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
from medianest.integrations.ytdlp.paths import ensure_under, safe_component
from medianest.integrations.ytdlp.schemas import (
    DownloadResult,
    FormatsSummary,
    Metadata,
    ProgressStatus,
    ProgressUpdate,
)

if TYPE_CHECKING:
    from medianest.integrations.ytdlp.client import CancelCheck, ProgressCallback, YtDlpClient

logger = structlog.get_logger(__name__)

FALLBACK_FOLDER: Final = "YouTube"


class _CancelRequested(DownloadCancelled):
    """Raised inside yt-dlp to stop it; yt-dlp lets its DownloadCancelled family through."""


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


# ---------------------------------------------------------------------------- yt-dlp runs


def probe(client: YtDlpClient, url: str) -> Metadata:
    """What `url` is, without downloading (the client has checked the URL)."""
    guard = FetchGuard(client.allowed_hosts)
    params = {
        **client.base_params(),
        "skip_download": True,
        "extract_flat": "in_playlist",
        "format": "all",
    }
    with (
        _translated_errors(client, guard, url, MetadataLookupFailedError),
        GuardedYoutubeDL(params, fetch_guard=guard) as ydl,
    ):
        info = ydl.extract_info(url, download=False)
    return _metadata(info, url)


def download(
    client: YtDlpClient,
    url: str,
    chosen: dict[str, Any],
    *,
    on_progress: ProgressCallback,
    should_cancel: CancelCheck,
) -> DownloadResult:
    """Download `url` with the format options `chosen` (the client has checked both)."""
    job_dir = client.work_dir / uuid.uuid4().hex
    job = _Job(client.library_root, job_dir, on_progress, should_cancel)
    guard = FetchGuard(client.allowed_hosts)
    job_dir.mkdir(parents=True)
    try:
        info = _run(client, url, chosen, job, guard)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    return DownloadResult(
        files=tuple(job.files),
        title=_str(info.get("title")) or "",
        playlist_title=_str(info.get("title")) if info.get("_type") == "playlist" else None,
        entry_ids=tuple(job.entry_ids),
    )


def _run(
    client: YtDlpClient, url: str, chosen: dict[str, Any], job: _Job, guard: FetchGuard
) -> dict[str, Any]:
    params = {
        **client.base_params(),
        **chosen,
        "outtmpl": {"default": OUTPUT_TEMPLATE},
        "paths": {"home": str(job.work_dir)},
        "progress_hooks": [job.progress_hook],
    }
    if client.ffmpeg is None:
        params["ffmpeg_location"] = str(_empty_dir(job.work_dir / ".no-ffmpeg"))
    with (
        _translated_errors(client, guard, url, DownloadFailedError),
        GuardedYoutubeDL(params, fetch_guard=guard) as ydl,
    ):
        ydl.add_post_processor(_NamePP(job), when="video")
        ydl.add_post_processor(_CollectPP(job), when="after_move")
        info: dict[str, Any] = ydl.extract_info(url, download=True)
    return info


@contextmanager
def _translated_errors(
    client: YtDlpClient,
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
            raise failure(_explain(client, exc, url, failure)) from exc
        raise
    if guard.refusal is not None:
        # yt-dlp carried on (a refused thumbnail is only a warning to it); we do not.
        raise guard.refusal


def _explain(
    client: YtDlpClient,
    exc: BaseException,
    url: str,
    failure: type[DownloadFailedError | MetadataLookupFailedError],
) -> str:
    action = "look up" if failure is MetadataLookupFailedError else "download"
    explained = messages.explain(exc, url=url, timeout_seconds=client.socket_timeout, action=action)
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
