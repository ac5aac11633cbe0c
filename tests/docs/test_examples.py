"""Every shell example of the hand-written docs either runs against a live server here or
says why it cannot, so the docs never show a command or request that fails.

A page's `<!-- run -->` blocks run in page order in one bash session (`set -euo pipefail`)
against a fresh `medianest serve`, as a reader following that page would type them. `curl`
is given `--fail-with-body`, so an example whose request is refused fails the test, and
`medianest` (`mn`, `.venv/bin/medianest`) is this checkout's with the server's environment.
The addresses and secrets a reader would write in are replaced by the test's (`_placeholders`).
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerEnv
from tests.docs.examples import ROOT, Block, blocks_of, hand_written_pages, output_labels
from tests.fakes.plex import ADMIN_TOKEN, FakePlexServer
from tests.fixtures.envelope import assert_ok
from tests.fixtures.server import LiveServer, jobs_taken, start_server

RUN_SECONDS = 120
DOCS_SERVER = "http://127.0.0.1:8000"
DOCS_PLEX = "http://192.168.1.10:32400"

GETTING_STARTED = ROOT / "docs" / "getting-started.md"
DOCS_ADMIN = {"email": "you@example.com", "password": "Choose a l0ng one!", "name": "Your Name"}
"""The first admin as getting started creates it, whom the other pages sign in as."""

PAGES = hand_written_pages()
RUNNABLE_PAGES = [
    page for page in PAGES if any(block.runs or block.is_output for block in blocks_of(page))
]

PRELUDE = """\
set -euo pipefail
shopt -s expand_aliases  # as in the interactive shell a reader types into
failed() { echo "failed ($1): $2" >&2; }
trap '[[ $BASH_COMMAND == return* ]] || failed $? "$BASH_COMMAND"' ERR
curl() {
  command curl --fail-with-body --show-error --max-time 30 "$@" && return
  set -- "$?" "curl $*"; failed "$@"; return "$1"
}
mn() {
  medianest "$@" && return
  set -- "$?" "mn $*"; failed "$@"; return "$1"
}
"""


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _placeholders(
    server: LiveServer, plex: FakePlexServer, workdir: Path, data_dir: str
) -> dict[str, str]:
    """What the docs write for a reader's own server, Plex and paths, and the test's stand-ins."""
    return {
        DOCS_SERVER: server.base_url,
        DOCS_PLEX: plex.url,
        '"token": "…"': f'"token": "{ADMIN_TOKEN}"',
        "/etc/medianest/": f"{workdir}/etc/medianest/",
        "/opt/medianest/.venv/bin/medianest": f"{Path(sys.executable).parent}/medianest",
        "/var/lib/medianest": data_dir,
        # sudo starts the command in a clean environment (env_reset).
        "sudo -u medianest ": 'env -i PATH="$PATH" ',
        # An archive of the reader's, the newest the page's examples made.
        "/path/to/medianest-backup-20261205T032849Z.tar.gz": (
            '"$(ls "$BACKUP_DIR"/medianest-backup-*.tar.gz | tail -n 1)"'
        ),
    }


def page_script(blocks: list[Block], placeholders: dict[str, str], outputs: Path) -> str:
    """The page's `run` blocks, and the commands of its `output of` blocks writing their
    output to `outputs/<line>.txt`."""
    parts = [PRELUDE]
    for block in blocks:
        code = block.reason if block.is_output else block.code
        for written, actual in placeholders.items():
            code = code.replace(written, actual)
        if block.is_output:
            code = f"{code} > {outputs / f'{block.line}.txt'}"
        parts.append(f"echo '--- {block.where}' >&2\n{code}")
    return "\n".join(parts)


def shell_environment(server_env: dict[str, str]) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {
        **os.environ,
        **server_env,
        "LOG_LEVEL": "warning",
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
    }


@pytest.fixture
def page_env(server_env: ServerEnv, tmp_path: Path) -> dict[str, str]:
    # Backups outside the data dir: a command that missed the environment file would not
    # find them.
    return server_env(BACKUP_DIR=str(tmp_path / "backups"))


@pytest.fixture
def workdir(tmp_path: Path, page_env: dict[str, str]) -> Path:
    """A reader's working directory: a checkout's `.venv`, and /etc/medianest with the
    installation's environment file, written as `.env.example` shows it."""
    (tmp_path / ".venv").symlink_to(sys.prefix)
    etc = tmp_path / "etc" / "medianest"
    etc.mkdir(parents=True)
    settings = [f"{name}={value}" for name, value in page_env.items()]
    lines = ["# MediaNest environment", "", *settings]
    (etc / "medianest.env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def page_server(page: Path, page_env: dict[str, str], workdir: Path) -> Iterator[LiveServer]:
    """A fresh, healthy installation for each page (with Redis, a worker runs its queue);
    past getting started, with the admin it creates."""
    server = start_server(page_env, workdir=workdir)
    try:
        if page != GETTING_STARTED:
            with server.client() as http:
                assert_ok(http.post("/api/v1/auth/admin", json=DOCS_ADMIN), status=201)
        with jobs_taken(page_env, workdir=workdir):
            yield server
    finally:
        server.stop()


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_shell_example_is_run_or_says_why_not(page: Path) -> None:
    unmarked = [block.where for block in blocks_of(page) if block.is_shell and not block.marker]
    assert not unmarked, "mark these <!-- run --> or <!-- not run: reason -->: " + str(unmarked)
    unexplained = [
        block.where
        for block in blocks_of(page)
        if block.marker in {"not run", "output of"} and not block.reason
    ]
    assert not unexplained, f"say why these are not run, or which command they show: {unexplained}"


@pytest.mark.parametrize("page", RUNNABLE_PAGES, ids=_page_id)
def test_the_page_examples_succeed_against_a_live_server(
    page: Path,
    page_server: LiveServer,
    page_env: dict[str, str],
    plex_server: FakePlexServer,
    workdir: Path,
) -> None:
    blocks = [block for block in blocks_of(page) if block.runs or block.is_output]
    placeholders = _placeholders(page_server, plex_server, workdir, page_env["MEDIANEST_DATA_DIR"])
    outputs = workdir / "outputs"
    outputs.mkdir()
    script = page_script(blocks, placeholders, outputs)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=workdir,
        env=shell_environment(page_env),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    printed = "".join(path.read_text(encoding="utf-8") for path in sorted(outputs.iterdir()))
    assert result.returncode == 0, (
        f"an example of {_page_id(page)} failed\n--- stdout\n{result.stdout}{printed}\n"
        f"--- stderr\n{result.stderr}\n--- server log (tail)\n{page_server.logs()[-3000:]}"
    )
    for block in blocks:
        if block.is_output:
            printed = (outputs / f"{block.line}.txt").read_text(encoding="utf-8")
            assert output_labels(printed) == block.labels, (
                f"{block.where} shows another output than `{block.reason}` prints:\n{printed}"
            )


def test_only_shell_blocks_carry_run_markers() -> None:
    """A marker on a YAML or text block would claim a check that never happens."""
    misplaced = [
        block.where
        for page in PAGES
        for block in blocks_of(page)
        if block.runs and not block.is_shell
    ]
    assert not misplaced
