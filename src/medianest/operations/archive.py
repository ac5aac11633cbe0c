"""Backup archives on disk: one `medianest-backup-<UTC time>.tar.gz` per backup holding a
manifest, the database dump and the secrets file, plus a `.verified.json` sidecar.

Everything here is blocking file work; async callers run it in a thread.
"""

import contextlib
import fcntl
import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from medianest.operations.errors import NotABackupError
from medianest.operations.schemas import (
    BACKUP_FORMAT,
    BACKUP_FORMAT_VERSION,
    ArchivedFile,
    BackupManifest,
    DatabaseKind,
    Verification,
)

MANIFEST_NAME = "manifest.json"
SECRETS_NAME = "secrets.json"
DATABASE_NAMES = {
    DatabaseKind.SQLITE: "database.sqlite3",
    DatabaseKind.POSTGRESQL: "database.pgdump",
}
_MEMBERS = {MANIFEST_NAME, SECRETS_NAME, *DATABASE_NAMES.values()}
_NAME = re.compile(r"medianest-backup-([0-9]{8}T[0-9]{6}Z)(?:-([0-9]+))?\.tar\.gz", re.ASCII)
_SIDECAR_SUFFIX = ".verified.json"
_LOCK_NAME = ".backup.lock"
_CHUNK = 1 << 20


def archive_name(created_at: datetime, sequence: int = 0) -> str:
    stamp = created_at.strftime("%Y%m%dT%H%M%SZ")
    return f"medianest-backup-{stamp}{f'-{sequence}' if sequence else ''}.tar.gz"


def free_archive_path(directory: Path, created_at: datetime) -> Path:
    """A new archive's path; a second backup within the same second gets `-1`, `-2`..."""
    sequence = 0
    while (path := directory / archive_name(created_at, sequence)).exists():
        sequence += 1
    return path


def archive_created_at(path: Path) -> datetime | None:
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    return datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def list_backups(directory: Path) -> list[Path]:
    """The archives in `directory`, oldest first (by the time in their names)."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.fullmatch(path.name)
        if match and path.is_file():
            found.append(((match[1], int(match[2] or 0)), path))
    return [path for _key, path in sorted(found)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe(path: Path) -> ArchivedFile:
    return ArchivedFile(sha256=sha256_of(path), size=path.stat().st_size)


def write_archive(path: Path, manifest: BackupManifest, members: dict[str, Path]) -> int:
    """Write the archive atomically (a partial file never carries the final name), readable
    by its owner only since it holds the secrets. Returns its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, MANIFEST_NAME, manifest.model_dump_json(indent=2).encode())
            for name, source in members.items():
                tar.add(source, arcname=name, recursive=False, filter=_owner_only)
            raw.flush()
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def _owner_only(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Every entry readable by its owner only, whatever the mode of the file it came from:
    whoever unpacks the archive gets private files (the dump holds password hashes)."""
    member.mode = 0o600
    return member


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def extract_archive(path: Path, into: Path) -> BackupManifest:
    """Unpack and check an archive: ours, complete, every checksum right. Raises
    NotABackupError otherwise, having changed nothing outside `into`."""
    if not path.is_file():
        raise NotABackupError(f"{path}: no such file")
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = tar.getmembers()
            strangers = [m.name for m in members if m.name not in _MEMBERS or not m.isfile()]
            if strangers or MANIFEST_NAME not in {m.name for m in members}:
                raise NotABackupError(f"{path} is not a MediaNest backup (no manifest)")
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise NotABackupError(
            f"{path} is not a readable MediaNest backup (corrupt or truncated: {exc})"
        ) from None
    manifest = _read_manifest(path, into / MANIFEST_NAME)
    for name, expected in manifest.files.items():
        member = into / name
        if name not in _MEMBERS or not member.is_file() or sha256_of(member) != expected.sha256:
            raise NotABackupError(f"{path} is damaged: {name} does not match its checksum")
    if DATABASE_NAMES[manifest.database] not in manifest.files:
        raise NotABackupError(f"{path} holds no database dump")
    return manifest


def _read_manifest(archive: Path, path: Path) -> BackupManifest:
    try:
        manifest = BackupManifest.model_validate_json(path.read_bytes())
    except (ValidationError, OSError):
        raise NotABackupError(f"{archive} is not a MediaNest backup (bad manifest)") from None
    if manifest.format != BACKUP_FORMAT or manifest.format_version > BACKUP_FORMAT_VERSION:
        raise NotABackupError(
            f"{archive} is not a backup this version of MediaNest can read "
            f"(format {manifest.format} {manifest.format_version})"
        )
    return manifest


@contextlib.contextmanager
def scratch_dir(near: Path) -> Iterator[Path]:
    """A private temporary folder next to `near`, on the same disk, removed afterwards."""
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".medianest-backup-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sidecar_path(archive: Path) -> Path:
    return archive.with_name(archive.name + _SIDECAR_SUFFIX)


def write_verification(archive: Path, verification: Verification) -> None:
    sidecar_path(archive).write_text(verification.model_dump_json(indent=2), encoding="utf-8")


def read_verification(archive: Path) -> Verification | None:
    try:
        return Verification.model_validate_json(sidecar_path(archive).read_bytes())
    except (OSError, ValidationError):
        return None


@dataclass(frozen=True, slots=True)
class NewestBackup:
    path: Path
    created_at: datetime
    verification: Verification | None


def newest_backup(folder: Path) -> NewestBackup | None:
    found = list_backups(folder)
    if not found:
        return None
    path = found[-1]
    created_at = archive_created_at(path)
    assert created_at is not None  # noqa: S101 - list_backups matched the name
    return NewestBackup(path, created_at, read_verification(path))


def newest_backup_age(folder: Path, now: datetime) -> timedelta | None:
    newest = newest_backup(folder)
    return None if newest is None else now - newest.created_at


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (and their sidecars); what was deleted."""
    doomed = list_backups(directory)[:-keep] if keep > 0 else list_backups(directory)
    for archive in doomed:
        archive.unlink(missing_ok=True)
        sidecar_path(archive).unlink(missing_ok=True)
    return doomed


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[bool]:
    """Try to hold the backup folder's lock; yields whether this process got it. Processes
    on this host that share the folder thus never back up at the same time."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / _LOCK_NAME).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
