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

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = ROOT.parent / "shared" / "specs"
OUT_DIR = ROOT / "tests" / "fakes" / "specs"
SPEC = "overseerr-api.yml"
TEMPLATE = "overseerr-webhook-default-template.json"
OUTPUT = OUT_DIR / "overseerr-schemas.json"
TEMPLATE_OUTPUT = OUT_DIR / TEMPLATE

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
    ("get", "/movie/{movieId}"),
    ("get", "/tv/{tvId}"),
    ("get", "/media"),
    ("get", "/request"),
    ("post", "/request"),
    ("get", "/request/{requestId}"),
    ("delete", "/request/{requestId}"),
    ("post", "/request/{requestId}/{status}"),
)

# Keywords whose values are schemas, lists of schemas, or maps of names to schemas.
SCHEMA_KEYWORDS = {"items", "additionalProperties", "not"}
SCHEMA_LIST_KEYWORDS = {"allOf", "anyOf", "oneOf"}
SCHEMA_MAP_KEYWORDS = {"properties"}
# OpenAPI 3.0 annotations that do not constrain a value: dropped to keep the file small.
DROPPED_KEYWORDS = {
    "title", "description", "default", "example", "examples", "readOnly", "writeOnly",
    "deprecated", "externalDocs", "xml",
}  # fmt: skip
COMPONENT_PREFIX = "#/components/schemas/"


def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=yaml.CSafeLoader)
    if not isinstance(loaded, dict) or not str(loaded.get("openapi", "")).startswith("3.0"):
        raise SystemExit(f"{path} is not an OpenAPI 3.0 document")
    return loaded


def json_schema(schema: Any, refs: set[str]) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema (2020-12); component names go to `refs`.

    `nullable: true` becomes a "null" type (or enum member); references point at `$defs`,
    where `self_contained` puts the components; annotations are dropped.
    """
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:  # OpenAPI 3.0 ignores the siblings of a reference
        name = _component_name(schema["$ref"])
        refs.add(name)
        return {"$ref": f"#/$defs/{name}"}
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROPPED_KEYWORDS or key.startswith("x-") or key == "nullable":
            continue
        if key in SCHEMA_KEYWORDS:
            converted[key] = json_schema(value, refs)
        elif key in SCHEMA_LIST_KEYWORDS:
            converted[key] = [json_schema(item, refs) for item in value]
        elif key in SCHEMA_MAP_KEYWORDS:
            converted[key] = {name: json_schema(item, refs) for name, item in value.items()}
        else:
            converted[key] = _plain(value)
    return _nullable(converted) if schema.get("nullable") is True else converted


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _component_name(ref: str) -> str:
    if not ref.startswith(COMPONENT_PREFIX):
        raise SystemExit(f"unsupported reference {ref}")
    return ref.removeprefix(COMPONENT_PREFIX)


def _plain(value: Any) -> Any:
    """YAML turns unquoted dates into date objects: JSON wants them back as text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def self_contained(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The schema as JSON Schema, with the components it references (transitively) in `$defs`."""
    components = spec["components"]["schemas"]
    pending: set[str] = set()
    result: dict[str, Any] = json_schema(schema, pending)
    defs: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        refs: set[str] = set()
        defs[name] = json_schema(components[name], refs)
        pending |= refs - defs.keys()
    if defs:
        result["$defs"] = dict(sorted(defs.items()))
    return result


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
    spec = load_spec(specs_dir / SPEC)
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
        "generator": "scripts/extract_overseerr_schemas.py",
        "note": "For the operations the test fake implements: the JSON schema of the success "
        "answer (responses), and the path and query parameters and JSON body a client sends "
        "(requests). OpenAPI 3.0 schemas turned into JSON Schema 2020-12: `nullable` became a "
        "null type, components moved to $defs, annotations (description, example, readOnly, "
        "...) dropped.",
        "security_schemes": spec["components"]["securitySchemes"],
        "endpoints": endpoints,
    }
    return {"_source": source, "responses": responses, "requests": requests}


def render(extracted: dict[str, Any]) -> str:
    """One line per operation: small enough to commit, and a diff names what changed."""

    def line(key: str, value: Any) -> str:
        return f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"

    blocks = [line("_source", extracted["_source"])]
    for group in ("responses", "requests"):
        entries = ",\n".join(line(key, value) for key, value in extracted[group].items())
        blocks.append(f"{json.dumps(group)}: {{\n{entries}\n}}")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def outputs(specs_dir: Path) -> dict[Path, str]:
    template = (specs_dir / TEMPLATE).read_text(encoding="utf-8")
    json.loads(template)  # it must stay a JSON document
    return {OUTPUT: render(extract(specs_dir)), TEMPLATE_OUTPUT: template}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs_dir", nargs="?", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    specs_dir: Path = args.specs_dir
    if not (specs_dir / SPEC).is_file() or not (specs_dir / TEMPLATE).is_file():
        if args.check:
            print(f"{specs_dir} does not hold the Overseerr specs: nothing to check against.")
            return 0
        print(f"{specs_dir} does not hold {SPEC} and {TEMPLATE}.", file=sys.stderr)
        return 2
    stale = 0
    for path, text in outputs(specs_dir).items():
        name = path.relative_to(ROOT)
        if args.check:
            current = path.read_text(encoding="utf-8") if path.is_file() else ""
            if current != text:
                print(f"{name} is stale: run scripts/extract_overseerr_schemas.py")
                stale = 1
            else:
                print(f"{name} is current.")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {name} ({len(text.encode()) // 1024} KB)")
    return stale


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
