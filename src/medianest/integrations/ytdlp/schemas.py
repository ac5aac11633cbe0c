"""What the yt-dlp wrapper answers with: plain frozen values, no yt-dlp types."""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FormatsSummary:
    """What a video is offered in, for the metadata lookup (not every yt-dlp format)."""

    heights: tuple[int, ...] = ()
    containers: tuple[str, ...] = ()
    has_audio_only: bool = False


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    uploader: str | None
    duration: float | None
    thumbnail: str | None
    webpage_url: str
    is_playlist: bool
    entry_count: int | None
    playlist_title: str | None
    formats: FormatsSummary = field(default_factory=FormatsSummary)


class ProgressStatus(StrEnum):
    DOWNLOADING = "downloading"
    FINISHED = "finished"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """One progress hook call; byte counts are for the file being downloaded.

    A video with separate video and audio streams is two files, one after the other; a
    playlist reports `playlist_index` of `playlist_count`.
    """

    status: ProgressStatus
    downloaded_bytes: int
    total_bytes: int | None
    total_is_estimate: bool
    speed: float | None
    eta: float | None
    filename: str | None
    playlist_index: int | None
    playlist_count: int | None

    @property
    def fraction(self) -> float | None:
        """0..1 for this file, when its size is known."""
        if self.status is ProgressStatus.FINISHED:
            return 1.0
        if not self.total_bytes:
            return None
        return min(1.0, self.downloaded_bytes / self.total_bytes)


@dataclass(frozen=True, slots=True)
class DownloadResult:
    files: tuple[Path, ...]
    title: str
    playlist_title: str | None
    entry_ids: tuple[str, ...]
