"""Extract the response schemas of the Plex endpoints our test fakes implement.

The published descriptions of plex.tv and Plex Media Server are large (1.7 MB of YAML) and
live outside the repository; the contract tests need only the JSON schemas of the successful
answers of the endpoints tests/fakes/plex.py implements, so those are committed, in
tests/fakes/specs/plex-schemas.json.

python scripts/extract_plex_schemas.py [SPECS_DIR]          # write the JSON file
python scripts/extract_plex_schemas.py --check [SPECS_DIR]  # exit 1 when it is stale

SPECS_DIR defaults to ../shared/specs relative to the repository root.
"""

import argparse
import datetime
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = ROOT.parent / "shared" / "specs"
OUTPUT = ROOT / "tests" / "fakes" / "specs" / "plex-schemas.json"

OLDER = "plex-api-spec-2025-09-dereferenced.yaml"
NEWER = "plex-api-spec.yaml"

SOURCE_FILES = {
    OLDER: "output/plex-media-server-spec-dereferenced.yaml (September 2025), references resolved",
    NEWER: "plex-api-spec.yaml (January 2026)",
}
LICENCE_NOTICE = " ".join(
    (
        "Copyright 2024 Luke Hagar.",
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this",
        "software and associated documentation files (the \u201cSoftware\u201d), to deal in the",
        "Software without restriction, including without limitation the rights to use, copy,",
        "modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and",
        "to permit persons to whom the Software is furnished to do so, subject to the following",
        "conditions: The above copyright notice and this permission notice shall be included in",
        "all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED",
        "\u201cAS IS\u201d, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT",
        "LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND",
        "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY",
        "CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,",
        "ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN",
        "THE SOFTWARE.",
    )
)


@dataclass(frozen=True)
class Endpoint:
    """One operation of one spec file whose success answer the fakes produce."""

    file: str
    method: str
    path: str


# The older, dereferenced file describes most endpoints; the newer one adds collections and
# is the only one with a JSON schema for /hubs/search (the older file gives it no content).
ENDPOINTS = (
    Endpoint(OLDER, "post", "/pins"),
    Endpoint(OLDER, "get", "/pins/{pinID}"),
    Endpoint(OLDER, "get", "/user"),
    Endpoint(OLDER, "get", "/resources"),
    Endpoint(OLDER, "get", "/"),
    Endpoint(OLDER, "get", "/identity"),
    Endpoint(OLDER, "get", "/library/sections"),
    Endpoint(OLDER, "get", "/library/sections/{sectionKey}/all"),
    Endpoint(OLDER, "get", "/library/recentlyAdded"),
    Endpoint(OLDER, "get", "/library/metadata/{ratingKey}"),
    Endpoint(NEWER, "get", "/hubs/search"),
    Endpoint(NEWER, "get", "/library/sections/{sectionId}/collections"),
    Endpoint(NEWER, "post", "/library/collections"),
    Endpoint(NEWER, "get", "/library/collections/{collectionId}/items"),
    Endpoint(NEWER, "put", "/library/collections/{collectionId}/items"),
)

# Keywords whose values are schemas, lists of schemas, or maps of names to schemas.
SCHEMA_KEYWORDS = {
    "items", "additionalItems", "additionalProperties", "not", "contains", "propertyNames",
    "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
}  # fmt: skip
SCHEMA_LIST_KEYWORDS = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_MAP_KEYWORDS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
# Annotations that do not constrain a value: dropped to keep the file small.
DROPPED_KEYWORDS = {
    "title", "description", "default", "example", "examples", "$comment", "deprecated",
}  # fmt: skip
COMPONENT_PREFIX = "#/components/schemas/"


def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=yaml.CSafeLoader)
    if not isinstance(loaded, dict):
        raise SystemExit(f"{path} is not an OpenAPI document")
    return loaded


def map_schema(schema: Any, visit: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """Apply `visit` to every (sub)schema object, bottom-up, following schema keywords only."""
    if not isinstance(schema, dict):
        return schema
    mapped: dict[str, Any] = {}
    for key, value in schema.items():
        if key in SCHEMA_KEYWORDS:
            mapped[key] = map_schema(value, visit)
        elif key in SCHEMA_LIST_KEYWORDS:
            mapped[key] = [map_schema(item, visit) for item in value]
        elif key in SCHEMA_MAP_KEYWORDS:
            mapped[key] = {name: map_schema(item, visit) for name, item in value.items()}
        else:
            mapped[key] = value
    return visit(mapped)


def strip_annotations(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _plain(value)
        for key, value in schema.items()
        if key not in DROPPED_KEYWORDS and not key.startswith("x-")
    }


def _plain(value: Any) -> Any:
    """YAML turns unquoted dates into date objects: JSON wants them back as text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _component_refs(schema: Any) -> set[str]:
    found: set[str] = set()

    def visit(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith(COMPONENT_PREFIX):
                raise SystemExit(f"unsupported reference {ref}")
            found.add(ref.removeprefix(COMPONENT_PREFIX))
        return node

    map_schema(schema, visit)
    return found


def _localise_refs(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return {**schema, "$ref": "#/$defs/" + ref.removeprefix(COMPONENT_PREFIX)}
    return schema


def self_contained(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The schema with the components it references (transitively) under `$defs`."""
    components = spec.get("components", {}).get("schemas", {})
    needed: set[str] = set()
    pending = _component_refs(schema)
    while pending:
        name = pending.pop()
        needed.add(name)
        pending |= _component_refs(components[name]) - needed
    result: dict[str, Any] = map_schema(schema, _localise_refs)
    if needed:
        result["$defs"] = {
            name: map_schema(components[name], _localise_refs) for name in sorted(needed)
        }
    return result


def _operation_key(spec: dict[str, Any], endpoint: Endpoint) -> tuple[str, str]:
    """`METHOD /path` as a client sends it, and the server the operation lives on."""
    item = spec["paths"][endpoint.path]
    servers = item[endpoint.method].get("servers") or item.get("servers")
    prefix, server = "", "Plex Media Server"
    if servers:
        server = servers[0]["url"]
        prefix = urlparse(server).path.rstrip("/")
    return f"{endpoint.method.upper()} {prefix}{endpoint.path}", server


def success_schema(spec: dict[str, Any], endpoint: Endpoint) -> tuple[str, dict[str, Any]]:
    responses = spec["paths"][endpoint.path][endpoint.method]["responses"]
    for status in ("200", "201"):
        content = responses.get(status, {}).get("content", {})
        if "application/json" in content:
            return status, content["application/json"]["schema"]
    raise SystemExit(f"{endpoint} has no JSON success answer")


def extract(specs_dir: Path) -> dict[str, Any]:
    specs = {name: load_spec(specs_dir / name) for name in (OLDER, NEWER)}
    endpoints: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        spec = specs[endpoint.file]
        key, server = _operation_key(spec, endpoint)
        status, schema = success_schema(spec, endpoint)
        schema = self_contained(schema, spec)
        schemas[key] = map_schema(schema, strip_annotations)
        endpoints[key] = {
            "file": endpoint.file,
            "server": server,
            "operation": f"{endpoint.method.upper()} {endpoint.path}",
            "status": int(status),
        }
    source = {
        "repository": "https://github.com/LukeHagar/plex-api-spec",
        "files": SOURCE_FILES,
        "licence": "MIT (the repository's LICENSE.md)",
        "licence_notice": LICENCE_NOTICE,
        "declared_openapi": {name: spec.get("openapi") for name, spec in specs.items()},
        "generator": "scripts/extract_plex_schemas.py",
        "note": "Only the JSON schemas of the success answers of the endpoints the test fakes "
        "implement; annotations (title, description, default, examples, x-*) dropped.",
        "endpoints": endpoints,
    }
    return {"_source": source, **schemas}


def render(extracted: dict[str, Any]) -> str:
    """One line per entry: small enough to commit, and a diff names the endpoint that changed."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"
        for key, value in extracted.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs_dir", nargs="?", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    specs_dir: Path = args.specs_dir
    if not (specs_dir / OLDER).is_file() or not (specs_dir / NEWER).is_file():
        if args.check:
            print(f"{specs_dir} does not hold the Plex specs: nothing to check against.")
            return 0
        print(f"{specs_dir} does not hold {OLDER} and {NEWER}.", file=sys.stderr)
        return 2
    text = render(extract(specs_dir))
    if args.check:
        committed = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if committed != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run scripts/extract_plex_schemas.py")
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is current.")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
