"""What the scripts extracting JSON schemas from published API descriptions have in common.

scripts/extract_plex_schemas.py and scripts/extract_overseerr_schemas.py read OpenAPI
descriptions kept outside the repository (../shared/specs) and commit, below tests/fakes/specs,
the JSON schemas the test fakes are checked against. Each knows its own spec; this module holds
the walk over schema objects, the gathering of the components a schema references, the
one-line-per-entry rendering and the command line (write the files, or `--check` them).
"""

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = ROOT.parent / "shared" / "specs"
COMPONENT_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class SchemaKeywords:
    """The keywords whose values are schemas, lists of schemas, or maps of names to schemas."""

    schemas: frozenset[str]
    lists: frozenset[str]
    maps: frozenset[str]


def load_spec(path: Path, version: str = "") -> dict[str, Any]:
    """The OpenAPI document at `path`; its `openapi` field must start with `version`."""
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=yaml.CSafeLoader)
    if not isinstance(loaded, dict) or not str(loaded.get("openapi", "")).startswith(version):
        kind = f"OpenAPI {version}" if version else "OpenAPI"
        raise SystemExit(f"{path} is not an {kind} document")
    return loaded


def map_subschemas(
    schema: dict[str, Any], apply: Callable[[Any], Any], keywords: SchemaKeywords
) -> dict[str, Any]:
    """The schema object with `apply` applied to each schema it holds directly."""
    mapped: dict[str, Any] = {}
    for key, value in schema.items():
        if key in keywords.schemas:
            mapped[key] = apply(value)
        elif key in keywords.lists:
            mapped[key] = [apply(item) for item in value]
        elif key in keywords.maps:
            mapped[key] = {name: apply(item) for name, item in value.items()}
        else:
            mapped[key] = value
    return mapped


def strip_annotations(schema: dict[str, Any], dropped: Collection[str]) -> dict[str, Any]:
    """The schema object without the `dropped` keywords and `x-` extensions, as plain JSON."""
    return {
        key: plain(value)
        for key, value in schema.items()
        if key not in dropped and not key.startswith("x-")
    }


def plain(value: Any) -> Any:
    """YAML turns unquoted dates into date objects: JSON wants them back as text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def component_name(ref: str) -> str:
    """The component a `$ref` names; only references to `#/components/schemas/` are supported."""
    if not ref.startswith(COMPONENT_PREFIX):
        raise SystemExit(f"unsupported reference {ref}")
    return ref.removeprefix(COMPONENT_PREFIX)


def self_contained(
    schema: Any, components: dict[str, Any], convert: Callable[[Any, set[str]], Any]
) -> dict[str, Any]:
    """The schema converted, with the components it references (transitively) under `$defs`.

    `convert(schema, refs)` converts one schema, pointing its references at `#/$defs/{name}`
    and adding the names of the components it references to `refs`.
    """
    pending: set[str] = set()
    result: dict[str, Any] = convert(schema, pending)
    defs: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        refs: set[str] = set()
        defs[name] = convert(components[name], refs)
        pending |= refs - defs.keys()
    if defs:
        result["$defs"] = dict(sorted(defs.items()))
    return result


def render(document: dict[str, Any], groups: Collection[str] = ()) -> str:
    """One line per entry (and per entry of each of `groups`): small enough to commit, and a
    diff names what changed."""

    def line(key: str, value: Any) -> str:
        return f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"

    def lines(entries: dict[str, Any]) -> str:
        return "{\n" + ",\n".join(line(key, value) for key, value in entries.items()) + "\n}"

    blocks = [
        f"{json.dumps(key)}: {lines(value)}" if key in groups else line(key, value)
        for key, value in document.items()
    ]
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def main(
    argv: list[str],
    doc: str,
    *,
    specs: tuple[str, ...],
    name: str,
    outputs: Callable[[Path], dict[Path, str]],
    script: str,
) -> int:
    """The command line: write the `outputs` made from the `specs` files, or `--check` them.

    `name` names the specs, `script` is what to run when a file is stale. Without the spec
    files `--check` passes (there is nothing to check against) and writing exits with 2.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("specs_dir", nargs="?", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    specs_dir: Path = args.specs_dir
    if not all((specs_dir / spec).is_file() for spec in specs):
        if args.check:
            print(f"{specs_dir} does not hold the {name} specs: nothing to check against.")
            return 0
        print(f"{specs_dir} does not hold {' and '.join(specs)}.", file=sys.stderr)
        return 2
    stale = 0
    for path, text in outputs(specs_dir).items():
        shown = path.relative_to(ROOT)
        if args.check:
            current = path.read_text(encoding="utf-8") if path.is_file() else ""
            if current != text:
                print(f"{shown} is stale: run {script}")
                stale = 1
            else:
                print(f"{shown} is current.")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {shown} ({len(text.encode()) // 1024} KB)")
    return stale
