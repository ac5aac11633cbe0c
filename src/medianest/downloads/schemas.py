"""The downloads API's wire shapes and the job vocabulary."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, HttpUrl, StrictBool, StringConstraints, field_validator

from medianest.integrations.ytdlp.presets import Container, Quality
from medianest.kit.schemas import CamelModel

RUN = "downloads.run"
HAND_TO_PLEX = "downloads.hand_to_plex"
"""The queue's jobs of this domain, by name."""


class DownloadStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = frozenset({DownloadStatus.QUEUED, DownloadStatus.RUNNING})
FINISHED_STATUSES = frozenset(
    {DownloadStatus.COMPLETED, DownloadStatus.FAILED, DownloadStatus.CANCELLED}
)


DownloadQuality = Quality
DownloadFormat = Container


PlaylistItems = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9]{1,5}(-[0-9]{1,5})?(,[0-9]{1,5}(-[0-9]{1,5})?){0,49}$", max_length=300
    ),
]
"""yt-dlp's `--playlist-items` syntax, restricted to numbers and ranges: `1-3,7`."""


class DownloadCreate(CamelModel):
    """What to download and how; nothing else (no paths, no raw yt-dlp options)."""

    model_config = ConfigDict(extra="forbid")

    url: HttpUrl = Field(description="A YouTube video or playlist URL.")
    quality: DownloadQuality | None = Field(
        default=None, description="Unset: the server's default (`YOUTUBE_DEFAULT_QUALITY`)."
    )
    format: DownloadFormat = DownloadFormat.MP4
    audio_only: StrictBool = Field(default=False, description="Keep only the sound (mp3 or m4a).")
    playlist_items: PlaylistItems | None = Field(
        default=None, description="Only these playlist entries, e.g. `1-3,7`."
    )

    @field_validator("url")
    @classmethod
    def _bounded(cls, value: HttpUrl) -> HttpUrl:
        if len(str(value)) > 2000:  # noqa: PLR2004 - browsers' practical URL limit
            raise ValueError("must be at most 2000 characters")
        return value


class DownloadFile(CamelModel):
    path: str = Field(description="Relative to the YouTube library folder.")
    size_bytes: int


class DownloadRead(CamelModel):
    id: uuid.UUID
    user_id: uuid.UUID
    url: str
    title: str | None
    playlist_title: str | None
    is_playlist: bool
    quality: DownloadQuality
    format: DownloadFormat
    audio_only: bool
    playlist_items: str | None
    status: DownloadStatus
    progress: float = Field(description="0 to 100.")
    speed_bytes_per_second: float | None
    eta_seconds: int | None
    files: list[DownloadFile]
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class MetadataRead(CamelModel):
    title: str | None
    uploader: str | None
    duration_seconds: float | None
    thumbnail: str | None
    is_playlist: bool
    entry_count: int | None
    formats: list[str] = Field(description="What is on offer, e.g. `1080p mp4`.")
