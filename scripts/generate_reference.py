"""Generate the reference pages that are derived from code, or check they are current.

python scripts/generate_reference.py          # write docs/reference/*.md
python scripts/generate_reference.py --check  # exit 1 when a committed page is stale
"""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from medianest.http.errors import STATUS_BY_CODE
from medianest.kit.errors import ERROR_DESCRIPTIONS, ErrorCode
from medianest.realtime.events import CATALOGUE, RealtimeEvent
from medianest.realtime.namespaces import ADMINS_ROOM, NAMESPACE_RULES, Audience, Namespace
from medianest.realtime.server import SOCKETIO_PATH
from medianest.settings import Settings

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference"


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

<!-- Generated from medianest.realtime by scripts/generate_reference.py. -->

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
        for event in CATALOGUE
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
    for event in CATALOGUE:
        lines += _event_section(event)
    return "\n".join(lines).rstrip("\n") + "\n"


PAGES = {
    "environment.md": environment_page,
    "error-codes.md": error_codes_page,
    "realtime.md": realtime_page,
}


def main(check: bool) -> int:
    stale = []
    for name, render in PAGES.items():
        path = REFERENCE / name
        content = render()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    if stale:
        sys.stderr.write(f"stale reference pages (run `make artifacts`): {', '.join(stale)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
