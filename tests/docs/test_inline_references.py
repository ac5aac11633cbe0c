"""The requests and commands the hand-written pages name in running text exist: every
`` `GET /api/v1/...` `` is an operation of openapi.json (with the query parameters shown), and
every `` `medianest <command> --option` `` (or the runbook's `mn`) is a command of the CLI with
that option. The shell blocks themselves are run by test_examples.py."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from medianest.cli import app as cli_app
from tests.docs.examples import ROOT, blocks_of, hand_written_pages

INLINE_REQUEST = re.compile(r"`(GET|POST|PUT|PATCH|DELETE|HEAD) (/[^`\s]*)`")
INLINE_COMMAND = re.compile(r"`(?:\.venv/bin/)?(?:medianest|mn) ([^`]+)`")
# A command line in a code block, run or not (the README's synopsis, a systemd-only recipe).
COMMAND_LINE = re.compile(r"^\s*(?:\S*/)?(?:medianest|mn) ([^#\n]+)", re.MULTILINE)
PATH_PARAMETER = re.compile(r"\{[^}]*\}")
ALTERNATIVES = re.compile(r"\{([^}]*\|[^}]*)\}")
OPTIONAL_PART = re.compile(r"\[([^\]]*)\]")
OPTION = re.compile(r"(?<!\S)(--[a-z][a-z-]*)")
# Paths outside the API (a hypothetical route in the development guide's worked example).
CHECKED_PREFIXES = ("/api/", "/health", "/metrics")

PAGES = hand_written_pages()


@dataclass(frozen=True)
class Mention:
    page: Path
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}: {self.text}"


def _mentions(pattern: re.Pattern[str]) -> Iterator[tuple[Mention, re.Match[str]]]:
    for page in PAGES:
        for found in pattern.finditer(page.read_text(encoding="utf-8")):
            yield Mention(page, found[0]), found


def _operations() -> list[tuple[str, re.Pattern[str], dict[str, Any]]]:
    """(method, a pattern of the paths the template stands for, the operation)."""
    spec = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    return [
        (method.upper(), _path_pattern(path), operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    ]


def _path_pattern(template: str) -> re.Pattern[str]:
    segments = template.split("/")
    return re.compile(
        "/".join("[^/]+" if PATH_PARAMETER.fullmatch(s) else re.escape(s) for s in segments) + "$"
    )


def _operation(method: str, path: str) -> dict[str, Any] | None:
    for candidate, pattern, operation in _operations():
        if candidate == method and pattern.match(path):
            return operation
    return None


def _expanded(path: str) -> list[str]:
    """`/settings/{plex|overseerr}/test` names two paths, and so does `/status[/{service}]`."""
    found = ALTERNATIVES.search(path) or OPTIONAL_PART.search(path)
    if found is None:
        return [path]
    choices = found[1].split("|") if found.re is ALTERNATIVES else ["", found[1]]
    return [
        expanded
        for choice in choices
        for expanded in _expanded(path[: found.start()] + choice + path[found.end() :])
    ]


def _request_problems(method: str, written: str) -> list[str]:
    path, _, query = written.partition("?")
    if not path.startswith(CHECKED_PREFIXES):
        return []
    problems = []
    for concrete in _expanded(path):
        operation = _operation(method, concrete)
        if operation is None and method == "HEAD":
            operation = _operation("GET", concrete)
        if operation is None:
            problems.append(f"no operation {method} {concrete}")
            continue
        accepted = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        unknown = {pair.split("=")[0] for pair in query.split("&") if pair} - accepted
        problems += [f"{method} {concrete} takes no query parameter {name}" for name in unknown]
    return problems


def _cli_options(group: Any = None, prefix: str = "") -> dict[str, set[str]]:
    """Every command's name (`cache clear`) and the options it takes."""
    group = group or typer.main.get_command(cli_app)
    options: dict[str, set[str]] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            options |= _cli_options(command, f"{prefix}{name} ")
        else:
            options[f"{prefix}{name}"] = {
                option for param in command.params for option in param.opts + param.secondary_opts
            }
    return options


def _root_options() -> set[str]:
    """The options `medianest` itself takes (`--version`, `--help`)."""
    group = typer.main.get_command(cli_app)
    context = group.make_context("medianest", [], resilient_parsing=True)
    return {option for param in group.get_params(context) for option in param.opts}


def _command_problems(written: str) -> list[str]:
    commands = _cli_options()
    words = written.split()
    if words and all(word in _root_options() for word in words):
        return []
    names = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    name = next((name for name in names if name in commands), None)
    if name is None:
        return ["no such command"]
    return [
        f"`medianest {name}` has no option {option}"
        for option in OPTION.findall(written)
        if option not in commands[name]
    ]


def test_every_named_request_is_an_operation_of_the_api() -> None:
    problems = [
        f"{mention.where}: {problem}"
        for mention, found in _mentions(INLINE_REQUEST)
        for problem in _request_problems(found[1], found[2])
    ]
    assert not problems


def test_every_command_line_in_a_code_block_exists_with_its_options() -> None:
    problems = [
        f"{block.where}: {problem}"
        for page in PAGES
        for block in blocks_of(page)
        for found in COMMAND_LINE.finditer(block.code)
        for problem in _command_problems(found[1])
    ]
    assert not problems


def test_every_named_command_exists_with_its_options() -> None:
    problems = [
        f"{mention.where}: {problem}"
        for mention, found in _mentions(INLINE_COMMAND)
        for problem in _command_problems(found[1])
    ]
    assert not problems
