"""Extract from Overseerr's API description what the Overseerr test fake is checked against.

Overseerr's OpenAPI description (overseerr-api.yml, 6,500 lines) lives outside the repository.
tests/fakes/overseerr.py and its contract tests need only, for the operations the fake
implements: the schema of the success answer, the parameters and the request body. Those are
committed, as JSON Schema, in tests/fakes/specs/overseerr-schemas.json; the webhook agent's
default JSON template is copied next to it.

python scripts/extract_overseerr_schemas.py [SPECS_DIR]          # write both files
python scripts/extract_overseerr_schemas.py --check [SPECS_DIR]  # exit 1 when one is stale

SPECS_DIR defaults to ../shared/specs relative to the repository root.
"""

import json
import sys
from pathlib import Path
from typing import Any

# `python scripts/...` puts only scripts/ on the path: add the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import scripts.spec_extraction as extraction

OUT_DIR = extraction.ROOT / "tests" / "fakes" / "specs"
SPEC = "overseerr-api.yml"
TEMPLATE = "overseerr-webhook-default-template.json"
OUTPUT = OUT_DIR / "overseerr-schemas.json"
TEMPLATE_OUTPUT = OUT_DIR / TEMPLATE
GENERATOR = "scripts/extract_overseerr_schemas.py"

LICENCE_NOTICE = " ".join(
    (
        "Copyright (c) 2020 sct.",
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this",
        'software and associated documentation files (the "Software"), to deal in the Software',
        "without restriction, including without limitation the rights to use, copy, modify,",
        "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to",
        "permit persons to whom the Software is furnished to do so, subject to the following",
        "conditions: The above copyright notice and this permission notice shall be included in",
        'all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",',
        "WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE",
        "WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.",
        "IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR",
        "OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT",
        "OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.",
    )
)

# The operations tests/fakes/overseerr.py implements (paths below the server's /api/v1).
OPERATIONS = (
    ("get", "/status"),
    ("get", "/user"),
    ("get", "/search"),
    ("get", "/discover/trending"),
    ("get", "/discover/movies"),
    ("get", "/discover/movies/upcoming"),
    ("get", "/discover/tv"),
    ("get", "/discover/tv/upcoming"),
    ("get", "/movie/{movieId}"),
    ("get", "/tv/{tvId}"),
    ("get", "/media"),
    ("get", "/request"),
    ("post", "/request"),
    ("get", "/request/{requestId}"),
    ("delete", "/request/{requestId}"),
    ("post", "/request/{requestId}/{status}"),
)

KEYWORDS = extraction.SchemaKeywords(
    schemas=frozenset({"items", "additionalProperties", "not"}),
    lists=frozenset({"allOf", "anyOf", "oneOf"}),
    maps=frozenset({"properties"}),
)
# OpenAPI 3.0 annotations that do not constrain a value: dropped to keep the file small.
DROPPED_KEYWORDS = {
    "title", "description", "default", "example", "examples", "readOnly", "writeOnly",
    "deprecated", "externalDocs", "xml",
}  # fmt: skip


def json_schema(schema: Any, refs: set[str]) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema (2020-12); component names go to `refs`.

    `nullable: true` becomes a "null" type (or enum member); references point at `$defs`,
    where `self_contained` puts the components; annotations are dropped.
    """
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:  # OpenAPI 3.0 ignores the siblings of a reference
        name = extraction.component_name(schema["$ref"])
        refs.add(name)
        return {"$ref": f"#/$defs/{name}"}
    converted = extraction.map_subschemas(schema, lambda item: json_schema(item, refs), KEYWORDS)
    converted = extraction.strip_annotations(converted, DROPPED_KEYWORDS | {"nullable"})
    return _nullable(converted) if schema.get("nullable") is True else converted


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def self_contained(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The schema as JSON Schema, with the components it references (transitively) in `$defs`."""
    return extraction.self_contained(schema, spec["components"]["schemas"], json_schema)


def api_key(method: str, path: str) -> str:
    """`METHOD /api/v1/path`, as a client sends it (the server URL is `{server}/api/v1`)."""
    return f"{method.upper()} /api/v1{path}"


def response_schema(operation: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """The success status and its JSON schema (None for an answer without a body)."""
    for status, response in sorted(operation["responses"].items()):
        if str(status).startswith("2"):
            content = response.get("content", {}).get("application/json")
            return int(status), content["schema"] if content else None
    raise SystemExit(f"{operation.get('summary')} has no success answer")


def request_schemas(operation: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """What a client may send: its parameters by location (path, query), and the body."""
    request: dict[str, Any] = {}
    for location in ("path", "query"):
        parameters = [p for p in operation.get("parameters", []) if p["in"] == location]
        schema = {"type": "object", "properties": {p["name"]: p["schema"] for p in parameters}}
        required = sorted(p["name"] for p in parameters if p.get("required"))
        if required:
            schema["required"] = required
        request[location] = self_contained(schema, spec)
    body = operation.get("requestBody")
    if body is not None:
        request["body"] = self_contained(body["content"]["application/json"]["schema"], spec)
        request["bodyRequired"] = bool(body.get("required"))
    return request


def _security(operation: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    requirements = operation.get("security", spec.get("security", []))
    return sorted({name for requirement in requirements for name in requirement})


def extract(specs_dir: Path) -> dict[str, Any]:
    spec = extraction.load_spec(specs_dir / SPEC, "3.0")
    endpoints: dict[str, Any] = {}
    responses: dict[str, Any] = {}
    requests: dict[str, Any] = {}
    for method, path in OPERATIONS:
        operation = spec["paths"][path][method]
        key = api_key(method, path)
        status, schema = response_schema(operation)
        if schema is not None:
            responses[key] = self_contained(schema, spec)
        requests[key] = request_schemas(operation, spec)
        endpoints[key] = {
            "operation": f"{method.upper()} {path}",
            "status": status,
            "security": _security(operation, spec),
        }
    source = {
        "repository": "https://github.com/sct/overseerr",
        "file": SPEC,
        "licence": "MIT (the repository's LICENSE)",
        "licence_notice": LICENCE_NOTICE,
        "declared_openapi": spec["openapi"],
        "generator": GENERATOR,
        "note": "For the operations the test fake implements: the JSON schema of the success "
        "answer (responses), and the path and query parameters and JSON body a client sends "
        "(requests). OpenAPI 3.0 schemas turned into JSON Schema 2020-12: `nullable` became a "
        "null type, components moved to $defs, annotations (description, example, readOnly, "
        "...) dropped.",
        "security_schemes": spec["components"]["securitySchemes"],
        "endpoints": endpoints,
    }
    return {"_source": source, "responses": responses, "requests": requests}


def outputs(specs_dir: Path) -> dict[Path, str]:
    template = (specs_dir / TEMPLATE).read_text(encoding="utf-8")
    json.loads(template)  # it must stay a JSON document
    return {
        OUTPUT: extraction.render(extract(specs_dir), groups=("responses", "requests")),
        TEMPLATE_OUTPUT: template,
    }


def main(argv: list[str]) -> int:
    return extraction.main(
        argv, __doc__, specs=(SPEC, TEMPLATE), name="Overseerr", outputs=outputs, script=GENERATOR
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
