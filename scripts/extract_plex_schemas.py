"""Extract the response schemas of the Plex endpoints our test fakes implement.

The published descriptions of plex.tv and Plex Media Server are large (1.7 MB of YAML) and
live outside the repository; the contract tests need only the JSON schemas of the successful
answers of the endpoints tests/fakes/plex.py implements, so those are committed, in
tests/fakes/specs/plex-schemas.json.

python scripts/extract_plex_schemas.py [SPECS_DIR]          # write the JSON file
python scripts/extract_plex_schemas.py --check [SPECS_DIR]  # exit 1 when it is stale

SPECS_DIR defaults to ../shared/specs relative to the repository root.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# `python scripts/...` puts only scripts/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import scripts.spec_extraction as extraction

OUTPUT = extraction.ROOT / "tests" / "fakes" / "specs" / "plex-schemas.json"
GENERATOR = "scripts/extract_plex_schemas.py"

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

KEYWORDS = extraction.SchemaKeywords(
    schemas=frozenset({
        "items", "additionalItems", "additionalProperties", "not", "contains", "propertyNames",
        "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
    }),
    lists=frozenset({"allOf", "anyOf", "oneOf", "prefixItems"}),
    maps=frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"}),
)  # fmt: skip
# Annotations that do not constrain a value: dropped to keep the file small.
DROPPED_KEYWORDS = {
    "title", "description", "default", "example", "examples", "$comment", "deprecated",
}  # fmt: skip


def map_schema(schema: Any, visit: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """Apply `visit` to every (sub)schema object, bottom-up, following schema keywords only."""
    if not isinstance(schema, dict):
        return schema
    return visit(extraction.map_subschemas(schema, lambda item: map_schema(item, visit), KEYWORDS))


def json_schema(schema: Any, refs: set[str]) -> Any:
    """The schema with references pointing at `$defs` (component names go to `refs`) and
    annotations dropped."""

    def visit(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = extraction.component_name(ref)
            refs.add(name)
            node = {**node, "$ref": f"#/$defs/{name}"}
        return extraction.strip_annotations(node, DROPPED_KEYWORDS)

    return map_schema(schema, visit)


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
    specs = {name: extraction.load_spec(specs_dir / name) for name in (OLDER, NEWER)}
    endpoints: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        spec = specs[endpoint.file]
        key, server = _operation_key(spec, endpoint)
        status, schema = success_schema(spec, endpoint)
        components = spec.get("components", {}).get("schemas", {})
        schemas[key] = extraction.self_contained(schema, components, json_schema)
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
        "generator": GENERATOR,
        "note": "Only the JSON schemas of the success answers of the endpoints the test fakes "
        "implement; annotations (title, description, default, examples, x-*) dropped.",
        "endpoints": endpoints,
    }
    return {"_source": source, **schemas}


def outputs(specs_dir: Path) -> dict[Path, str]:
    return {OUTPUT: extraction.render(extract(specs_dir))}


def main(argv: list[str]) -> int:
    return extraction.main(
        argv, __doc__, specs=(OLDER, NEWER), name="Plex", outputs=outputs, script=GENERATOR
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
