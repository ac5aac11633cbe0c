"""Generate the reference pages that are derived from code, or check they are current.

python scripts/generate_reference.py          # write docs/reference/*.md and .env.example
python scripts/generate_reference.py --check  # exit 1 when a committed file is stale

The API page is rendered from the committed openapi.json (itself drift-checked against the
app), the CLI page from the typer app, the database page from the SQLAlchemy metadata.
"""

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer
from fastapi.routing import APIRoute
from pydantic.fields import FieldInfo
from sqlalchemy import Column, Index, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.schema import CallableColumnDefault, ColumnDefault, ScalarElementColumnDefault

from medianest import routes
from medianest.cli import app as cli_app
from medianest.db.base import Base
from medianest.http.errors import STATUS_BY_CODE
from medianest.http.openapi import operation_id
from medianest.kit.errors import ERROR_DESCRIPTIONS, ErrorCode
from medianest.realtime.events import RealtimeEvent
from medianest.realtime.namespaces import ADMINS_ROOM, NAMESPACE_RULES, Audience, Namespace
from medianest.realtime.server import SOCKETIO_PATH
from medianest.routes import REALTIME_EVENTS
from medianest.runtime.model_modules import load_models
from medianest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference"
OPENAPI = ROOT / "openapi.json"


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "(empty)"
    if field.default is None:
        return "(unset)"
    value = getattr(field.default, "value", field.default)
    return f"`{value}`" if str(value) else "(empty)"


def environment_page() -> str:
    lines = [
        "# Environment variables",
        "",
        "<!-- Generated from medianest.settings.Settings by scripts/generate_reference.py. -->",
        "",
        "Every setting is read once at start-up. Secrets (`JWT_SECRET`, `METRICS_TOKEN`) may",
        "also be given as `<NAME>_FILE` pointing at a file that holds the value.",
        "",
        "| Variable | Default | Description |",
        "|---|---|---|",
    ]
    for field in Settings.model_fields.values():
        name = str(field.validation_alias)
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_default(field)} | {description} |")
    return "\n".join(lines) + "\n"


def error_codes_page() -> str:
    lines = [
        "# Error codes",
        "",
        "<!-- Generated from medianest.kit.errors by scripts/generate_reference.py. -->",
        "",
        "Every error answers with",
        '`{"success": false, "error": {"code", "message", "details"}, "correlationId"}`.',
        "",
        "| Code | HTTP status | Meaning |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{code}` | {STATUS_BY_CODE[code]} | {ERROR_DESCRIPTIONS[code]} |" for code in ErrorCode
    ]
    return "\n".join(lines) + "\n"


REALTIME_INTRO = f"""\
# Realtime events (socket.io)

<!-- Generated from medianest.routes.REALTIME_EVENTS by scripts/generate_reference.py. -->

MediaNest pushes changes to the browser over [socket.io](https://socket.io) (protocol 5,
`socket.io-client` 4.x or python-socketio 5.x), served by the API server itself at the path
`<BASE_PATH>{SOCKETIO_PATH}`. Every event is for someone: a user's events go only to that
user's connections (room `user:<id>`), admins' copies only to `/admin` (room `{ADMINS_ROOM}`);
nothing private is broadcast.

## Connecting

```js
import {{ io }} from "socket.io-client";

// In the web UI the session cookie signs the connection in; scripts pass the access token.
const media = io("https://medianest.example/media", {{
  path: "/socket.io",               // "/medianest/socket.io" with BASE_PATH=/medianest
  auth: (send) => send({{ token: currentAccessToken() }}),  // optional with the cookie
}});
media.on("request:updated", (data) => console.log(data.mediaTitle, data.status));
media.on("connect_error", (err) => console.log(err.message, err.data?.code));
```

```python
import socketio

client = socketio.AsyncClient()
client.on("download:progress", print, namespace="/media")
await client.connect(
    "https://medianest.example", namespaces=["/media"], auth={{"token": access_token}}
)
```

## Who may connect

- Credentials, checked exactly as for the REST API (signature, expiry, session not revoked,
  account active): the access token in the socket.io `auth` payload (`{{"token": "..."}}`) or
  an `Authorization: Bearer` header, else the `medianest_access` session cookie that sign-in
  sets. A token wins over the cookie.
- They are checked when a namespace is joined. A connection outlives its access token; when
  it drops, the client reconnects with a fresh token (give `auth` as a function, as above).
- The server ends connections whose credentials stop holding, on every process: signing out
  or ending a session (`DELETE /auth/sessions/{{id}}`) ends that session's connections; an
  admin revoking a user's sessions, a password reset or change, a demotion from admin and a
  deleted account end all of the user's. The client gets `disconnect` (reason "io server
  disconnect"; socket.io clients do not reconnect by themselves then): reconnecting with
  credentials that still hold is admitted, others are refused as above.
- A refused connection gets `connect_error` with `{{"message", "data": {{"code"}}}}`, the code
  being the REST API's: `UNAUTHORIZED` (no credentials), `JWT_INVALID` (bad, expired or
  revoked token), `FORBIDDEN` (`/admin` for a non-admin).
- Browsers may connect only from the origin of `PUBLIC_URL` and those of `CORS_ORIGINS`; a
  `*` in `CORS_ORIGINS` is ignored here, since sockets carry the session cookie. Any other
  `Origin` is answered 400 before the handshake. Clients that send no `Origin` (scripts) are
  not affected.

## Several processes

With `REDIS_URL`, every `medianest serve` process shares the Redis channel
`<REDIS_KEY_PREFIX>socketio`: an event sent by any process (or by a worker, which publishes
to the channel without a socket.io server of its own) reaches the clients of all of them.
Engine.io's long-polling transport needs each client's requests to reach the same process:
with several processes behind a proxy, enable sticky sessions there or have clients use
`transports: ["websocket"]`.
"""

AUDIENCES = {
    Audience.ANYONE: "anyone",
    Audience.SIGNED_IN: "signed-in users",
    Audience.ADMINS: "admins",
}


def _rooms(namespace: Namespace) -> str:
    audience = NAMESPACE_RULES[namespace].audience
    if audience is Audience.ANYONE:
        return "none"
    return f"`user:<id>`, `session:<id>`; admins also `{ADMINS_ROOM}`"


def _events_on(namespace: Namespace) -> str:
    names = [
        f"`{event.name}`"
        for event in REALTIME_EVENTS
        if namespace in event.user_namespaces
        or namespace in event.broadcast_namespaces
        or namespace is Namespace.ADMIN
    ]
    return ", ".join(names) or "none yet"


def _deliveries(event: type[RealtimeEvent]) -> list[str]:
    lines = []
    if event.user_namespaces:
        where = ", ".join(f"`{namespace.value}`" for namespace in event.user_namespaces)
        lines.append(f"- to the user it concerns on {where} (room `user:<id>`)")
    if event.copy_to_admins:
        lines.append(f"- and a copy to every admin on `/admin` (room `{ADMINS_ROOM}`)")
    else:
        lines.append(f"- to admins on `/admin` (room `{ADMINS_ROOM}`) when meant for them")
    if event.broadcast_namespaces:
        where = ", ".join(f"`{namespace.value}`" for namespace in event.broadcast_namespaces)
        lines.append(f"- to everyone connected to {where} when meant for all")
    return lines


def _json_type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return " \\| ".join(f"`{value}`" for value in target["enum"])
    if "anyOf" in schema:
        return " or ".join(_json_type(option, defs) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_json_type(schema['items'], defs)}"
    if schema.get("format") == "date-time":
        return "string (date-time, UTC)"
    return str(schema.get("type", "any"))


def _event_section(event: type[RealtimeEvent]) -> list[str]:
    schema = event.model_json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    lines = [f"### `{event.name}`", "", event.summary, "", "Sent:", "", *_deliveries(event), ""]
    lines += ["| Field | Type | Description |", "|---|---|---|"]
    for name, field in schema["properties"].items():
        description = field.get("description", "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_json_type(field, defs)} | {description} |")
    example = event.model_validate(event.example).payload()  # a wrong example fails here
    lines += ["", "```json", json.dumps(example, indent=2, ensure_ascii=False), "```", ""]
    return lines


def realtime_page() -> str:
    lines = [REALTIME_INTRO, "## Namespaces", ""]
    lines += ["| Namespace | Who may connect | Rooms | Events | For |", "|---|---|---|---|---|"]
    for namespace, rule in NAMESPACE_RULES.items():
        lines.append(
            f"| `{namespace.value}` | {AUDIENCES[rule.audience]} | {_rooms(namespace)} | "
            f"{_events_on(namespace)} | {rule.description} |"
        )
    lines += ["", "## Events", ""]
    for event in REALTIME_EVENTS:
        lines += _event_section(event)
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- the HTTP API page

SIGNED_IN = (
    "signed in: `Authorization: Bearer <access token>`, `X-Api-Key: <key>` (changes need the "
    "`write` scope) or the session cookie (changes also need `X-CSRF-Token`)"
)
AUTH_BY_DEPENDENCY = {
    "get_admin": "admin: signed in (as above) with the admin role; an API key also needs the "
    "`admin` scope",
    "get_session_principal": "a session: `Authorization: Bearer <access token>`, or the session "
    "cookie (changes also need `X-CSRF-Token`); API keys are refused (403)",
    "get_principal": SIGNED_IN,
    "require_metrics_access": "`Authorization: Bearer <METRICS_TOKEN>` when `METRICS_TOKEN` is "
    "set; in production without it the route does not exist (404)",
    "require_webhook_secret": "`Authorization: <OVERSEERR_WEBHOOK_SECRET>` (the header value "
    "configured in Overseerr's webhook)",
}
PUBLIC = "none (public)"
SUCCESS_STATUSES = ("200", "201", "202", "204", "304")


def _dependency_names(route: APIRoute) -> set[str]:
    names: set[str] = set()
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        names.add(getattr(dependant.call, "__name__", ""))
        pending += dependant.dependencies
    return names


def auth_by_operation() -> dict[str, str]:
    """Who may call each operation, read off the dependencies its route declares."""
    auth = {}
    for router in (*routes.ROOT_ROUTERS, *routes.API_ROUTERS):
        for route in router.routes:
            if isinstance(route, APIRoute):
                names = _dependency_names(route)
                rule = next(
                    (text for dep, text in AUTH_BY_DEPENDENCY.items() if dep in names), None
                )
                auth[operation_id(route)] = rule or PUBLIC
    return auth


class Schemas:
    """The components of an OpenAPI description."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.components: dict[str, Any] = spec.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def type_name(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            target = self.resolve(schema)
            if "enum" in target:
                return " \\| ".join(f"`{value}`" for value in target["enum"])
            return str(schema["$ref"]).rsplit("/", 1)[-1]
        if "anyOf" in schema:
            return " or ".join(self.type_name(option) for option in schema["anyOf"])
        if "enum" in schema:
            return " \\| ".join(f"`{value}`" for value in schema["enum"])
        if schema.get("type") == "array":
            return f"array of {self.type_name(schema.get('items', {}))}"
        kind = str(schema.get("type", "any"))
        return f"{kind} ({schema['format']})" if "format" in schema else kind


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _constraints(schema: dict[str, Any]) -> str:
    words = {
        "minLength": "min length",
        "maxLength": "max length",
        "minimum": "min",
        "maximum": "max",
        "minItems": "min items",
        "maxItems": "max items",
        "pattern": "pattern",
    }
    found = [f"{label} `{schema[key]}`" for key, label in words.items() if key in schema]
    if schema.get("default") is not None:
        found.append(f"default `{json.dumps(schema['default'])}`")
    return ", ".join(found)


def _parameters_table(operation: dict[str, Any], schemas: Schemas) -> list[str]:
    parameters = operation.get("parameters", [])
    if not parameters:
        return []
    lines = ["| Parameter | In | Type | Required | Description |", "|---|---|---|---|---|"]
    for parameter in parameters:
        schema = parameter.get("schema", {})
        description = parameter.get("description") or schema.get("description", "")
        extra = _constraints(schema)
        lines.append(
            f"| `{parameter['name']}` | {parameter['in']} | {schemas.type_name(schema)} | "
            f"{'yes' if parameter.get('required') else 'no'} | "
            f"{_cell(description)}{'; ' + extra if extra and description else extra} |"
        )
    return [*lines, ""]


def _body_table(schema: dict[str, Any], schemas: Schemas) -> list[str]:
    target = schemas.resolve(schema)
    properties = target.get("properties", {})
    if not properties:
        return []
    required = set(target.get("required", []))
    lines = ["| Field | Type | Required | Description |", "|---|---|---|---|"]
    for name, prop in properties.items():
        description = prop.get("description", "")
        extra = _constraints(prop)
        lines.append(
            f"| `{name}` | {schemas.type_name(prop)} | {'yes' if name in required else 'no'} | "
            f"{_cell(description)}{'; ' + extra if extra and description else extra} |"
        )
    return [*lines, ""]


def _json_block(value: Any) -> list[str]:
    return ["```json", json.dumps(value, indent=2, ensure_ascii=False), "```", ""]


def _request_section(operation: dict[str, Any], schemas: Schemas) -> list[str]:
    body = operation.get("requestBody")
    if not body:
        return []
    lines = ["**Request body**", ""]
    for media_type, content in body["content"].items():
        schema = content.get("schema", {})
        lines += _body_table(schema, schemas)
        if "example" in content:
            lines += ["Example:", "", *_json_block(content["example"])]
        else:
            lines += [f"Content type `{media_type}`.", ""]
    return lines


def _response_section(operation: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for status in SUCCESS_STATUSES:
        response = operation["responses"].get(status)
        if response is None:
            continue
        content = response.get("content", {})
        lines += [f"**Response {status}**: {_cell(response.get('description', ''))}", ""]
        if "example" in content.get("application/json", {}):
            lines += _json_block(content["application/json"]["example"])
        elif content:
            lines += [f"Content type {', '.join(f'`{kind}`' for kind in content)}.", ""]
    return lines


def _errors_table(operation: dict[str, Any]) -> list[str]:
    errors = sorted(s for s in operation["responses"] if s[0] in "45")
    if not errors:
        return []
    lines = ["**Errors**", "", "| Status | Code: meaning |", "|---|---|"]
    for status in errors:
        description = operation["responses"][status].get("description", "")
        lines.append(f"| {status} | {_cell(description)} |")
    return [*lines, ""]


def _operations(spec: dict[str, Any], tag: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if (operation.get("tags") or ["other"])[0] == tag:
                yield path, method, operation


def _operation_section(
    path: str, method: str, operation: dict[str, Any], schemas: Schemas, auth: dict[str, str]
) -> list[str]:
    op_id = operation["operationId"]
    summary = operation.get("summary", op_id)
    lines = [f"### `{method.upper()} {path}`", "", f"*{summary}* (operation `{op_id}`)", ""]
    if operation.get("description"):
        lines += [operation["description"].strip(), ""]
    lines += [f"**Auth**: {auth.get(op_id, PUBLIC)}.", ""]
    lines += _parameters_table(operation, schemas)
    lines += _request_section(operation, schemas)
    lines += _response_section(operation)
    lines += _errors_table(operation)
    return lines


API_INTRO = """\
# HTTP API

<!-- Generated from openapi.json and the routes' dependencies by scripts/generate_reference.py. -->

{description}

The running server serves the same description at `<BASE_PATH>/openapi.json`, with Swagger UI
at `/docs` and ReDoc at `/redoc` (bundled, no CDN); in Swagger UI, "Authorize" takes an access
token (`bearerAuth`) or an API key (`apiKeyAuth`) and "Try it out" sends it. The examples are
those of `openapi.json`, made from the schemas: they validate against them, but the values are
placeholders. Field names are camelCase. Every error answers with the envelope of the
[error codes](error-codes.md) page; every `/api/v1` route may also answer 429 when a general
rate limit (`RATE_LIMIT_API_PER_IP`, `RATE_LIMIT_API_PER_USER`) is spent, see
[rate limits](../guides/rate-limits.md). Sign-in and credentials are described in
[authentication](../guides/authentication.md); the same requests as a Postman collection are
in [Postman collection](../guides/postman.md).
"""


def api_page() -> str:
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    schemas = Schemas(spec)
    auth = auth_by_operation()
    lines = [API_INTRO.format(description=spec["info"].get("description", "").strip())]
    tags = [tag["name"] for tag in spec.get("tags", [])]
    described = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    lines += ["| Section | Endpoints |", "|---|---|"]
    for tag in tags:
        count = sum(1 for _ in _operations(spec, tag))
        lines.append(f"| [{tag}](#{tag}) — {_cell(described[tag])} | {count} |")
    lines.append("")
    for tag in tags:
        lines += [f"## {tag}", "", described[tag], ""]
        for path, method, operation in _operations(spec, tag):
            lines += _operation_section(path, method, operation, schemas, auth)
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- the command line page


def _cli_commands(
    group: Any, context: typer.Context, prefix: str
) -> Iterator[tuple[str, Any, typer.Context]]:
    for name, command in group.commands.items():
        child = typer.Context(command, info_name=name, parent=context)
        if hasattr(command, "commands"):
            yield from _cli_commands(command, child, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command, child


def _cli_section(name: str, command: Any, context: typer.Context) -> list[str]:
    usage = " ".join(command.collect_usage_pieces(context))
    lines = [f"## `medianest {name}`", "", "```text", f"medianest {name} {usage}", "```", ""]
    lines += [(command.help or "").strip(), ""]
    rows = []
    for param in command.params:
        if param.param_type_name == "argument":
            help_text = f"{param.help or ''}{'' if param.required else ' (optional)'}"
            rows.append(f"| `{str(param.name).upper()}` | {_cell(help_text)} |")
        else:
            record = param.get_help_record(context)
            if record:
                rows.append(f"| `{record[0]}` | {_cell(record[1])} |")
    if rows:
        lines += ["| Argument or option | Meaning |", "|---|---|", *rows, ""]
    return lines


CLI_INTRO = """\
# Command line

<!-- Generated from the typer app in medianest.cli by scripts/generate_reference.py. -->

`medianest` is installed into `.venv/bin/` by `scripts/bootstrap` (and `scripts/run`). Every
command reads the same environment variables as the server (see
[environment variables](environment.md)); an invalid value stops it with exit code 2 and one
line naming the variable. `medianest --help` and `medianest <command> --help` print the same.
"""


def cli_page() -> str:
    group = typer.main.get_command(cli_app)
    root = typer.Context(group, info_name="medianest")
    lines = [CLI_INTRO]
    commands = list(_cli_commands(group, root, ""))
    lines += ["| Command | What it does |", "|---|---|"]
    for name, command, _ in commands:
        summary = (command.help or "").strip().split("\n\n")[0]
        anchor = "medianest-" + name.replace(" ", "-")
        lines.append(f"| [`{name}`](#{anchor}) | {_cell(summary)} |")
    lines.append("")
    for name, command, context in commands:
        lines += _cli_section(name, command, context)
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- the database page


def _tables() -> list[Table]:
    load_models()
    return sorted(Base.metadata.tables.values(), key=lambda table: table.name)


def _table_docs() -> dict[str, str]:
    docs = {}
    for mapper in Base.registry.mappers:
        doc = (mapper.class_.__doc__ or "").strip()
        docs[str(mapper.persist_selectable.description)] = " ".join(doc.split())
    return docs


def _column_type(column: Column[Any]) -> str:
    return str(column.type.compile(dialect=postgresql.dialect()))  # type: ignore[no-untyped-call]


def _column_default(column: Column[Any]) -> str:
    default = column.default
    if isinstance(default, CallableColumnDefault):
        return f"`{getattr(default.arg, '__name__', 'function')}()`"
    if isinstance(default, ScalarElementColumnDefault | ColumnDefault):
        value = getattr(default.arg, "value", default.arg)
        return f"`{json.dumps(value) if isinstance(value, bool) else value}`"
    if column.server_default is not None:
        return "server default"
    return ""


def _column_keys(column: Column[Any]) -> str:
    keys = ["PK"] if column.primary_key else []
    for foreign_key in sorted(column.foreign_keys, key=lambda key: key.target_fullname):
        on_delete = f", on delete {foreign_key.ondelete.lower()}" if foreign_key.ondelete else ""
        keys.append(f"FK → `{foreign_key.target_fullname}`{on_delete}")
    table = column.table
    if any(
        constraint.__class__.__name__ == "UniqueConstraint"
        and [c.name for c in constraint.columns] == [column.name]  # type: ignore[attr-defined]
        for constraint in table.constraints
    ):
        keys.append("unique")
    return ", ".join(keys)


def _table_section(table: Table, doc: str) -> list[str]:
    lines = [f"### `{table.name}`", ""]
    if doc:
        lines += [doc, ""]
    lines += ["| Column | Type | Null | Default | Keys |", "|---|---|---|---|---|"]
    for column in table.columns:
        lines.append(
            f"| `{column.name}` | {_column_type(column)} | {'yes' if column.nullable else 'no'} | "
            f"{_column_default(column)} | {_column_keys(column)} |"
        )
    lines.append("")
    indexes = sorted(table.indexes, key=lambda index: str(index.name))
    uniques = sorted(
        (c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"),
        key=lambda constraint: str(constraint.name),
    )
    if indexes or uniques:
        lines += ["| Index | Columns | Unique |", "|---|---|---|"]
        for index in indexes:
            columns = ", ".join(f"`{column.name}`" for column in index.columns)
            if (where := _partial_index_condition(index)) is not None:
                columns += f" (rows where `{where}` only)"
            lines.append(f"| `{index.name}` | {columns} | {'yes' if index.unique else 'no'} |")
        for constraint in uniques:
            columns = ", ".join(f"`{c.name}`" for c in constraint.columns)  # type: ignore[attr-defined]
            lines.append(f"| `{constraint.name}` (constraint) | {columns} | yes |")
        lines.append("")
    return lines


def _partial_index_condition(index: Index) -> str | None:
    for dialect in ("postgresql", "sqlite"):
        where = index.dialect_options[dialect].get("where")
        if where is not None:
            return str(where)
    return None


def _er_diagram(tables: list[Table]) -> list[str]:
    lines = ["```mermaid", "erDiagram"]
    for table in tables:
        for column in table.columns:
            for foreign_key in sorted(column.foreign_keys, key=lambda key: key.target_fullname):
                target = foreign_key.column.table.name
                cardinality = "|o--o{" if column.nullable else "||--o{"
                lines.append(f'    {target} {cardinality} {table.name} : "{column.name}"')
    for table in tables:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            if not (column.primary_key or column.foreign_keys):
                continue
            kind = _column_type(column).split("(")[0].split(" ")[0].lower()
            key = " PK" if column.primary_key else " FK" if column.foreign_keys else ""
            lines.append(f"        {kind} {column.name}{key}")
        lines.append("    }")
    return [*lines, "```", ""]


DATABASE_INTRO = """\
# Database schema

<!-- Generated from the SQLAlchemy models (medianest.runtime.model_modules.MODEL_MODULES) by
scripts/generate_reference.py. -->

The same schema runs on SQLite (the embedded default) and PostgreSQL; Alembic migrations in
`src/medianest/migrations/versions/` create it (`medianest migrate`, or `medianest serve`
before it starts). Types are shown as PostgreSQL spells them; timestamps are stored in UTC.
Defaults marked `name()` are computed by the application when a row is inserted. The
diagram shows keys only; every column is in the tables below.
"""


def database_page() -> str:
    tables = _tables()
    docs = _table_docs()
    lines = [DATABASE_INTRO, "## Relations", "", *_er_diagram(tables), "## Tables", ""]
    for table in tables:
        lines += _table_section(table, docs.get(table.name, ""))
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- .env.example

ENV_EXAMPLE_INTRO = """\
# MediaNest environment: every setting with its default, generated from
# medianest.settings.Settings by scripts/generate_reference.py (do not edit by hand).
#
# Copy to /etc/medianest/medianest.env (systemd's EnvironmentFile) or .env, uncomment and set
# what you need; everything left commented keeps its default. Secrets may instead be read from
# a file named by <NAME>_FILE (e.g. JWT_SECRET_FILE=/run/credentials/medianest/jwt).
# Scaled out, every server and worker needs the same JWT_SECRET, ENCRYPTION_KEY and
# PLEX_CLIENT_ID: `medianest generate-secrets --stdout` prints fresh ones.
"""


def _env_default(field: FieldInfo) -> str:
    if field.default_factory is not None or field.default is None:
        return ""
    value = getattr(field.default, "value", field.default)
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def env_example() -> str:
    lines = [ENV_EXAMPLE_INTRO]
    for field in Settings.model_fields.values():
        description = (field.description or "").replace("`", "")
        lines += textwrap.wrap(description, width=92, initial_indent="# ", subsequent_indent="# ")
        lines += [f"# {field.validation_alias}={_env_default(field)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


OUTPUTS: dict[Path, Callable[[], str]] = {
    REFERENCE / "api.md": api_page,
    REFERENCE / "cli.md": cli_page,
    REFERENCE / "database.md": database_page,
    REFERENCE / "environment.md": environment_page,
    REFERENCE / "error-codes.md": error_codes_page,
    REFERENCE / "realtime.md": realtime_page,
    ROOT / ".env.example": env_example,
}


def main(check: bool) -> int:
    stale = []
    for path, render in OUTPUTS.items():
        content = render()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    if stale:
        sys.stderr.write(f"stale generated files (run `make artifacts`): {', '.join(stale)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
