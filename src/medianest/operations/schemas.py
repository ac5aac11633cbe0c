"""What a backup archive holds (its manifest), what verifying it found, and what the
maintenance commands did."""

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from medianest.kit.schemas import CamelModel

BACKUP_FORMAT = "medianest-backup"
BACKUP_FORMAT_VERSION = 1
MAIN_TABLES = ("users", "media_requests", "youtube_downloads", "audit_logs", "system_config")
"""Tables whose row counts verification and restore report."""


class DatabaseKind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class ArchivedFile(CamelModel):
    sha256: str
    size: int


class BackupManifest(CamelModel):
    """`manifest.json`, the first member of every archive."""

    format: str = BACKUP_FORMAT
    format_version: int = BACKUP_FORMAT_VERSION
    medianest_version: str
    schema_revision: str | None
    database: DatabaseKind
    created_at: datetime
    files: dict[str, ArchivedFile] = Field(description="Every other member, with its checksum.")


class DatabaseChecks(CamelModel):
    """What a restored database looked like."""

    integrity: str = Field(description="`ok`, or the first problem found.")
    schema_revision: str | None
    row_counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


class Verification(CamelModel):
    """The `.verified.json` sidecar next to an archive: the result of restoring it into a
    temporary database."""

    ok: bool
    checked_at: datetime
    error: str | None = None
    checks: DatabaseChecks | None = None


class BackupResult(BaseModel):
    path: Path
    size_bytes: int
    seconds: float
    manifest: BackupManifest
    verification: Verification | None
    pruned: list[Path]


class RestoreResult(BaseModel):
    manifest: BackupManifest
    checks: DatabaseChecks
    set_aside: list[Path]
    """What the restore replaced, kept as `*.before-restore`."""


class CleanupReport(BaseModel):
    sessions: int
    password_reset_tokens: int
    error_reports: int
    service_checks: int
    partial_downloads: int
    partial_download_bytes: int
    backups: int
