"""Autogenerate a migration from the models: `make migration name=add_things`.

It diffs the models against a scratch SQLite database upgraded to head, so the result
never depends on the state of a developer's own database. Review the file it writes:
it must run on SQLite and PostgreSQL.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from medianest.db.migrate import MIGRATIONS_DIR, alembic_config


def main(name: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'scratch.db'}"
        config = alembic_config(url)
        command.upgrade(config, "head")
        script = command.revision(config, message=name, autogenerate=True)
    path = Path(script.path) if script and not isinstance(script, list) else None
    if path is not None:
        text = re.sub(r"\n *# ### .* ###", "", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "-q", str(MIGRATIONS_DIR / "versions")], check=False)  # noqa: S603
    subprocess.run([*ruff, "format", "-q", str(MIGRATIONS_DIR / "versions")], check=False)  # noqa: S603


if __name__ == "__main__":
    if len(sys.argv) != 2:  # noqa: PLR2004
        sys.exit("usage: new_migration.py <slug>")
    main(sys.argv[1])
