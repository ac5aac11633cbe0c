"""Handing finished downloads to Plex: scan the folders they landed in, and turn a
playlist into a Plex collection once Plex has indexed its items."""

import uuid
from pathlib import PurePosixPath

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medianest.cache.cache import MemoryCache
from medianest.db.engine import read_only_session
from medianest.downloads.repository import DownloadRepository
from medianest.downloads.schemas import DownloadStatus
from medianest.integrations.plex.client import PlexServerClient, PlexServerConfig
from medianest.library.service import PlexBrowser
from medianest.settings import Settings

logger = structlog.get_logger(__name__)

INDEX_WAIT_SECONDS = 30.0
INDEX_ATTEMPTS = 20
"""A playlist's collection waits up to 10 minutes for Plex to index its items."""


async def hand_to_plex(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    download_id: uuid.UUID,
    attempt: int,
) -> float | None:
    """One step of the hand-off; the delay before the next step, or None when done."""
    config = PlexServerConfig.from_settings(settings)
    if config is None:
        return None
    async with read_only_session(sessionmaker) as db:
        download = await DownloadRepository(db).get(download_id)
    if download is None or download.status is not DownloadStatus.COMPLETED or not download.files:
        return None
    plex_root = PurePosixPath(settings.youtube_plex_path or str(settings.youtube_library_path))
    folders = sorted({_top_folder(plex_root, str(entry["path"])) for entry in download.files})
    client = PlexServerClient(config)
    try:
        browser = PlexBrowser(client, MemoryCache(), api_base="")
        if attempt == 0:
            for folder in folders:
                await browser.scan_folder(folder)
        if not download.is_playlist or not download.playlist_title:
            return None
        return await _publish_collection(
            browser, download.playlist_title, folders[0], len(download.files), attempt
        )
    finally:
        await client.aclose()


def _top_folder(root: PurePosixPath, relative: str) -> str:
    """The folder a download made directly under the library root (its playlist or
    channel folder), as Plex sees it."""
    return str(root / PurePosixPath(relative).parts[0])


async def _publish_collection(
    browser: PlexBrowser, title: str, folder: str, expected: int, attempt: int
) -> float | None:
    library_key = await browser.library_containing(folder)
    if library_key is None:
        return None
    indexed = await browser.items_in_folder(library_key, folder)
    if len(indexed) < expected and attempt < INDEX_ATTEMPTS:
        return INDEX_WAIT_SECONDS
    if indexed:
        key = await browser.publish_collection(
            library_key, title, [item.rating_key for item in indexed]
        )
        logger.info("downloads.collection_published", title=title, collection=key)
    return None
