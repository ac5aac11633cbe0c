"""What a URL holds, before anything is downloaded."""

import anyio

from medianest.downloads.schemas import MetadataRead
from medianest.integrations.ytdlp.client import YtDlpClient
from medianest.integrations.ytdlp.schemas import Metadata


async def probe_metadata(client: YtDlpClient, url: str) -> MetadataRead:
    """yt-dlp's lookup (blocking, so in a thread); `probe` checks the URL and every fetch
    passes the SSRF guard."""
    found = await anyio.to_thread.run_sync(client.probe, url)
    return _read(found)


def _read(found: Metadata) -> MetadataRead:
    heights = sorted(set(found.formats.heights), reverse=True)
    containers = ", ".join(found.formats.containers)
    formats = [f"{height}p" for height in heights]
    if containers:
        formats.append(containers)
    if found.formats.has_audio_only:
        formats.append("audio only")
    return MetadataRead(
        title=found.title,
        uploader=found.uploader,
        duration_seconds=found.duration,
        thumbnail=found.thumbnail,
        is_playlist=found.is_playlist,
        entry_count=found.entry_count,
        formats=formats,
    )
