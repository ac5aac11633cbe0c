"""`medianest cleanup`, also run once a day by every server and worker: forget what can
never be used again."""

import asyncio
import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.diagnostics.service.error_reports import ErrorReportService
from medianest.integrations.ytdlp.paths import INCOMPLETE_DIR_NAME
from medianest.monitoring.service import ServiceStatusService
from medianest.operations import archive
from medianest.operations.repository import MaintenanceRepository
from medianest.operations.schemas import CleanupReport
from medianest.settings import Settings


class MaintenanceService:
    """`medianest cleanup`: forget what can never be used again. The caller commits."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self._session = session
        self._settings = settings
        self._repository = MaintenanceRepository(session)

    async def cleanup(self, *, now: datetime) -> CleanupReport:
        settings = self._settings
        sessions = await self._repository.delete_finished_sessions(now)
        tokens = await self._repository.delete_finished_reset_tokens(now)
        reports = await ErrorReportService(self._session).forget_before(
            now - timedelta(days=settings.error_report_retention_days)
        )
        checks = await ServiceStatusService(self._session).forget_checks_before(
            now - timedelta(days=settings.service_history_days)
        )
        folders, freed = await self._remove_partial_downloads()
        backups = await asyncio.to_thread(
            archive.prune, settings.backup_path, settings.backup_retention
        )
        return CleanupReport(
            sessions=sessions,
            password_reset_tokens=tokens,
            error_reports=reports,
            service_checks=checks,
            partial_downloads=folders,
            partial_download_bytes=freed,
            backups=len(backups),
        )

    @property
    def incomplete_dir(self) -> Path:
        return self._settings.youtube_library_path / INCOMPLETE_DIR_NAME

    async def _remove_partial_downloads(self) -> tuple[int, int]:
        """Work folders `<library>/.incomplete/<download id>` of jobs no longer queued or
        running: what a killed worker or a crash left behind."""
        folders = _download_folders(self.incomplete_dir)
        active = await self._repository.active_download_ids(folders)
        removed = freed = 0
        for download_id, folder in folders.items():
            if download_id in active:
                continue
            freed += await asyncio.to_thread(_remove_tree, folder)
            removed += 1
        return removed, freed


def _download_folders(parent: Path) -> dict[uuid.UUID, Path]:
    if not parent.is_dir():
        return {}
    folders = {}
    for path in parent.iterdir():
        try:
            download_id = uuid.UUID(path.name)
        except ValueError:
            continue  # not a job's folder: not ours to delete
        if path.is_dir() and not path.is_symlink():
            folders[download_id] = path
    return folders


def _remove_tree(folder: Path) -> int:
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return size
