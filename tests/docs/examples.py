"""The shell examples of the hand-written docs pages, with what their markers say about them.

A shell block (```` ```bash ````, `sh`, `shell`, `console`) is preceded by one of

    <!-- run -->
    <!-- not run: why a reader's copy of it cannot run against a test server -->

on the nearest non-blank line before its fence. HTML comments show nothing on the site.
A block that shows what a command prints may be marked `<!-- output of: mn doctor -->`: the
command runs where the block stands in the page, and prints the same lines.
"""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console"})

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)")
MARKER = re.compile(
    r"^\s*<!--\s*(?P<kind>run|not run|output of)\s*(?::\s*(?P<reason>.*?))?\s*-->\s*$"
)
GENERATED = re.compile(r"^<!-- Generated from", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    """1-based line of the opening fence."""
    language: str
    code: str
    marker: str | None
    """`run`, `not run`, `output of`, or None when the block has no marker."""
    reason: str
    """Why a block is not run, or the command whose output it shows."""

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def is_shell(self) -> bool:
        return self.language in SHELL_LANGUAGES

    @property
    def runs(self) -> bool:
        return self.marker == "run"

    @property
    def is_output(self) -> bool:
        return self.marker == "output of"

    @property
    def labels(self) -> list[str]:
        """What its lines say before their first colon, which a command's output keeps from
        one run to the next (`[ok  ] disk`, `sessions`)."""
        return output_labels(self.code)


def output_labels(output: str) -> list[str]:
    lines = [line.strip() for line in output.splitlines()]
    # Lower case: HTTP header names are shown capitalised, and sent as the server likes.
    return [line.split(":", 1)[0].lower() for line in lines if line and line != "…"]


def hand_written_pages() -> list[Path]:
    """Every page but the generated references (their examples come from openapi.json and
    the code, checked by the contract tests), and the repository's own README and guide."""
    pages = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    return [page for page in pages if not GENERATED.search(page.read_text(encoding="utf-8"))]


def blocks_of(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = _closing_fence(lines, index, opening["indent"], opening["fence"])
        body = [_dedent(line, len(opening["indent"])) for line in lines[index + 1 : end]]
        marker = _marker_before(lines, index)
        blocks.append(
            Block(
                page=page,
                line=index + 1,
                language=opening["lang"].lower(),
                code="\n".join(body) + "\n",
                marker=marker[0] if marker else None,
                reason=marker[1] if marker else "",
            )
        )
        index = end + 1
    return blocks


def _closing_fence(lines: list[str], opening: int, indent: str, fence: str) -> int:
    closing = re.compile(rf"^{re.escape(indent)}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for index in range(opening + 1, len(lines)):
        if closing.match(lines[index]):
            return index
    raise AssertionError(f"unclosed code fence at line {opening + 1}")


def _dedent(line: str, width: int) -> str:
    return line[width:] if line[:width].strip() == "" else line.lstrip()


def _marker_before(lines: list[str], fence: int) -> tuple[str, str] | None:
    for line in reversed(lines[:fence]):
        if line.strip():
            found = MARKER.match(line)
            return (found["kind"], found["reason"] or "") if found else None
    return None
