"""Running `medianest` operations commands as a user would, and reading their archives."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any


def medianest(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medianest", *args],
        env={**os.environ, **env, "LOG_LEVEL": "warning"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def succeeded(*args: str, env: dict[str, str]) -> str:
    result = medianest(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def backups_in(env: dict[str, str]) -> list[Path]:
    folder = Path(env.get("BACKUP_DIR") or Path(env["MEDIANEST_DATA_DIR"]) / "backups")
    return sorted(folder.glob("medianest-backup-*.tar.gz"))


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest: dict[str, Any] = json.load(member)
        return manifest


def verification_of(archive: Path) -> dict[str, Any]:
    sidecar = archive.with_name(archive.name + ".verified.json")
    verification: dict[str, Any] = json.loads(sidecar.read_text())
    return verification
