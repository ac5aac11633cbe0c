"""What a user may choose: a quality, a container, audio only, which playlist items.

Users never hand yt-dlp options; these presets are turned into them here. Whether a choice
needs ffmpeg (merging separate video and audio streams, remuxing into another container,
extracting audio) is decided before a job starts, so a server without ffmpeg refuses such a
choice at once instead of failing half-way. Without ffmpeg, video falls back to single-file
("progressive") formats that already hold both streams.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from medianest.integrations.ytdlp.errors import FfmpegRequiredError
from medianest.kit.errors import ValidationError


class Quality(StrEnum):
    BEST = "best"
    P2160 = "2160p"
    P1440 = "1440p"
    P1080 = "1080p"
    P720 = "720p"
    P480 = "480p"
    P360 = "360p"
    AUDIO = "audio"

    @property
    def max_height(self) -> int | None:
        """The tallest video this preset wants; None for best and audio."""
        return int(self.value[:-1]) if self.value.endswith("p") else None


class Container(StrEnum):
    MP4 = "mp4"
    MKV = "mkv"
    WEBM = "webm"
    MP3 = "mp3"
    M4A = "m4a"

    @property
    def is_audio(self) -> bool:
        return self in AUDIO_CONTAINERS


AUDIO_CONTAINERS: Final = frozenset({Container.MP3, Container.M4A})
VIDEO_CONTAINERS: Final = frozenset(set(Container) - AUDIO_CONTAINERS)

_PLAYLIST_ITEMS = re.compile(
    r"[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?(,[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?)*", re.ASCII
)
_MAX_PLAYLIST_ITEMS_LENGTH = 200

# Sorting, not filtering, so a preset never fails for lack of an exact match: the best
# format no taller than the preset, else the smallest taller one (yt-dlp's `res:N`).
_CONTAINER_SORT: Final[dict[Container, list[str]]] = {
    Container.MP4: ["vcodec:h264", "ext:mp4:m4a"],
    Container.WEBM: ["ext:webm:webm"],
    Container.MKV: [],
}


@dataclass(frozen=True, slots=True)
class DownloadOptions:
    """A user's choice, validated on construction (raises ValidationError)."""

    quality: Quality = Quality.BEST
    container: Container = Container.MP4
    audio_only: bool = False
    playlist_items: str | None = None

    def __post_init__(self) -> None:
        if self.wants_audio and not self.container.is_audio:
            raise ValidationError(
                "Audio downloads are saved as mp3 or m4a.", details={"field": "format"}
            )
        if not self.wants_audio and self.container.is_audio:
            raise ValidationError(
                "mp3 and m4a are for audio only: choose audio, or mp4, mkv or webm.",
                details={"field": "format"},
            )
        if self.playlist_items is not None and not _valid_items(self.playlist_items):
            raise ValidationError(
                "playlistItems lists item numbers and ranges, such as 1,3,5-7.",
                details={"field": "playlistItems"},
            )

    @property
    def wants_audio(self) -> bool:
        return self.audio_only or self.quality is Quality.AUDIO


def _valid_items(items: str) -> bool:
    return len(items) <= _MAX_PLAYLIST_ITEMS_LENGTH and bool(_PLAYLIST_ITEMS.fullmatch(items))


def needs_ffmpeg(options: DownloadOptions) -> bool:
    """Whether this choice can only be honoured with ffmpeg.

    mp3 is always a conversion and mkv always a remux (no site serves progressive mkv);
    m4a audio and mp4/webm video exist as single files that need no processing.
    """
    return options.container in {Container.MP3, Container.MKV}


def format_options(options: DownloadOptions, *, has_ffmpeg: bool) -> dict[str, Any]:
    """The yt-dlp parameters for a preset: format selection and post-processing only."""
    if needs_ffmpeg(options) and not has_ffmpeg:
        raise FfmpegRequiredError(
            f"{options.container.value} needs ffmpeg, which this server does not have: "
            "choose mp4 or webm video, or m4a audio.",
            details={"container": options.container.value},
        )
    chosen = _audio(options, has_ffmpeg) if options.wants_audio else _video(options, has_ffmpeg)
    if options.playlist_items:
        chosen["playlist_items"] = options.playlist_items
    if not has_ffmpeg:
        chosen["fixup"] = "never"  # every fix-up runs ffmpeg
    return chosen


def _resolution_sort(quality: Quality) -> list[str]:
    height = quality.max_height
    return [f"res:{height}"] if height else []


def _video(options: DownloadOptions, has_ffmpeg: bool) -> dict[str, Any]:
    container = options.container
    sort = _resolution_sort(options.quality) + _CONTAINER_SORT[container]
    if not has_ffmpeg:
        # One file with both streams, already in the container asked for.
        return {"format": f"b[ext={container.value}]", "format_sort": sort}
    return {
        "format": "bv*+ba/b",
        "format_sort": sort,
        "merge_output_format": container.value,
        # A single-file format in another container is remuxed (no re-encoding).
        "postprocessors": [{"key": "FFmpegVideoRemuxer", "preferedformat": container.value}],
    }


def _audio(options: DownloadOptions, has_ffmpeg: bool) -> dict[str, Any]:
    if not has_ffmpeg:
        return {"format": "ba[ext=m4a]"}
    extract: dict[str, Any] = {"key": "FFmpegExtractAudio", "preferredcodec": options.container}
    if options.container is Container.MP3:
        extract["preferredquality"] = "192"
    return {
        "format": "ba[ext=m4a]/ba/b" if options.container is Container.M4A else "ba/b",
        "postprocessors": [extract],
    }
