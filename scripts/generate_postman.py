"""Generate the Postman collection from the committed openapi.json, or check it is current.

python scripts/generate_postman.py          # write postman/medianest.postman_collection.json
python scripts/generate_postman.py --check  # exit 1 when the committed collection is stale

The collection has a folder per API section with every operation (URL, parameters, example
body, credentials as `security` declares them, and a test that the answer's status is one
the description documents), and a "Flow" folder first: a curated walk through sign-in,
token refresh, the CSRF header, API keys and a few changes, which also picks up real ids for
the other folders' requests. The collection's own scripts (postman/scripts/*.js) sign in,
refresh the access token and add the CSRF header. docs/guides/postman.md says how to use it;
tests/contracts/test_postman.py runs it with newman against a live server.
"""

import json
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "openapi.json"
POSTMAN = ROOT / "postman"
COLLECTION = POSTMAN / "medianest.postman_collection.json"
SCRIPTS = POSTMAN / "scripts"
SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
FLOW_FOLDER = "Flow"

VARIABLES: dict[str, tuple[str, str]] = {
    "baseUrl": ("http://127.0.0.1:8000", "Where MediaNest answers, with BASE_PATH if any."),
    "email": ("admin@example.com", "Who signs in (an admin reaches every request)."),
    "password": ("", "Their password."),
    "searchQuery": ("Harbour Lights", "What the searches look for."),
    "videoUrl": (
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "What the Flow downloads and the metadata lookup reads.",
    ),
    "accessToken": ("", "Kept by the collection's scripts."),
    "refreshToken": ("", "Kept by the collection's scripts."),
    "csrfToken": ("", "Kept by the collection's scripts."),
    "accessTokenExpiresAt": ("0", "Kept by the collection's scripts (ms since the epoch)."),
    "apiKey": ("", "Set by the Flow's `Create an API key`."),
    "metricsToken": ("", "METRICS_TOKEN, for `/metrics`."),
    "overseerrWebhookSecret": ("", "OVERSEERR_WEBHOOK_SECRET, for the webhook."),
    "plexImagePath": (
        "/library/metadata/1/thumb/1",
        "A Plex image path (the Flow takes one from a library item).",
    ),
    "statusService": ("database", "A service of `GET /services/status`."),
}
"""The collection's variables besides the path parameters': value and description."""

PATH_VARIABLES = {
    ("/api/v1/plex/libraries/{key}/items", "key"): "libraryKey",
    ("/api/v1/plex/libraries/{key}/collections", "key"): "libraryKey",
    ("/api/v1/plex/collections/{key}", "key"): "collectionKey",
    ("/api/v1/images/tmdb/{size}/{file_name}", "size"): "imageSize",
    ("/api/v1/images/tmdb/{size}/{file_name}", "file_name"): "imageFile",
    ("/api/v1/dashboard/status/{service}", "service"): "statusService",
    ("/api/v1/admin/settings/{service}/test", "service"): "settingsService",
}
"""Path parameters whose name alone is ambiguous; the others are the camelCased name."""

QUERY_VARIABLES = {
    ("/api/v1/plex/image", "path"): "plexImagePath",
    ("/api/v1/youtube/metadata", "url"): "videoUrl",
    ("/api/v1/plex/search", "query"): "searchQuery",
    ("/api/v1/media/search", "query"): "searchQuery",
}
"""Query parameters that need a live value, by variable."""


@dataclass(frozen=True)
class Step:
    """One request of the Flow: an operation of openapi.json with the input the walk gives it
    and what it checks (`tests`) or keeps for later requests."""

    name: str
    operation: str
    status: int
    body: str | None = None
    """Raw JSON with `{{variables}}` (raw, so a number variable can stand unquoted)."""
    query: Mapping[str, str] = field(default_factory=dict)
    auth: Mapping[str, Any] | None = None
    """Postman auth; None keeps what `security` gives (the collection's bearer token)."""
    prerequest: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()


NO_AUTH = {"type": "noauth"}
API_KEY_AUTH = {
    "type": "apikey",
    "apikey": [
        {"key": "key", "value": "X-Api-Key", "type": "string"},
        {"key": "value", "value": "{{apiKey}}", "type": "string"},
        {"key": "in", "value": "header", "type": "string"},
    ],
}


def _data_test(title: str, *checks: str) -> tuple[str, ...]:
    return (
        f"pm.test({json.dumps(title)}, () => {{",
        "  const data = pm.response.json().data;",
        *(f"  {check}" for check in checks),
        "});",
    )


def _keep(variable: str, expression: str) -> str:
    return f"pm.collectionVariables.set({json.dumps(variable)}, String({expression}));"


FLOW = (
    Step("Liveness", "getLiveness", 200),
    Step(
        "Public facts, before signing in",
        "getPublicInfo",
        200,
        tests=_data_test("an admin exists", "pm.expect(data.setupDone).to.equal(true);"),
    ),
    Step(
        "Sign in with a password",
        "login",
        200,
        body='{"email": "{{email}}", "password": "{{password}}"}',
        auth=NO_AUTH,
        tests=_data_test(
            "the collection keeps the tokens",
            "pm.expect(pm.collectionVariables.get('accessToken')).to.equal(data.token);",
            "pm.expect(pm.collectionVariables.get('csrfToken')).to.equal(data.csrfToken);",
        ),
    ),
    Step(
        "Who am I, with the bearer token",
        "getMe",
        200,
        tests=_data_test(
            "it is the signed-in user", "pm.expect(data.email).to.equal(pm.variables.get('email'));"
        ),
    ),
    Step(
        "Rotate the refresh token",
        "refreshTokens",
        200,
        body='{"refreshToken": "{{refreshToken}}"}',
        auth=NO_AUTH,
        prerequest=(
            "pm.variables.set('previousRefreshToken', pm.collectionVariables.get('refreshToken'));",
        ),
        tests=_data_test(
            "a new refresh token replaces the old one",
            "pm.expect(data.refreshToken).to.not.equal(pm.variables.get('previousRefreshToken'));",
        ),
    ),
    Step(
        "Cookie session: a change carries the CSRF header",
        "updateMe",
        200,
        body='{"name": "Ada Admin"}',
        auth=NO_AUTH,
        prerequest=("// Signed in by the session cookie alone; the collection adds X-CSRF-Token.",),
        tests=(
            "pm.test('the collection sent the CSRF header', () => {",
            "  pm.expect(pm.request.headers.get('X-CSRF-Token')).to.equal(",
            "    pm.collectionVariables.get('csrfToken'));",
            "});",
        ),
    ),
    Step(
        "Cookie session: a change without the CSRF header is refused",
        "updateMe",
        403,
        body='{"name": "Ada Admin"}',
        auth=NO_AUTH,
        prerequest=("pm.request.headers.remove('X-CSRF-Token');",),
        tests=(
            "pm.test('refused as a CSRF mismatch', () => {",
            "  pm.expect(pm.response.json().error.code).to.equal('CSRF_TOKEN_MISMATCH');",
            "});",
        ),
    ),
    Step(
        "Pretend the access token expired",
        "getLiveness",
        200,
        auth=NO_AUTH,
        tests=(
            "// The next signed-in request must refresh the token first.",
            "pm.collectionVariables.set('accessTokenExpiresAt', '0');",
            "pm.collectionVariables.set('refreshTokenBefore', "
            "pm.collectionVariables.get('refreshToken'));",
        ),
    ),
    Step(
        "The collection refreshed the token before this call",
        "getSession",
        200,
        tests=(
            "pm.test('the refresh token was rotated by the collection', () => {",
            "  pm.expect(pm.collectionVariables.get('refreshToken')).to.not.equal(",
            "    pm.collectionVariables.get('refreshTokenBefore'));",
            "});",
        ),
    ),
    Step(
        "Create an API key",
        "createApiKey",
        201,
        body='{"name": "postman", "scopes": ["read", "write"]}',
        tests=(
            _keep("apiKey", "pm.response.json().data.key"),
            _keep("keyId", "pm.response.json().data.id"),
        ),
    ),
    Step(
        "Who am I, with the API key",
        "getMe",
        200,
        auth=API_KEY_AUTH,
        tests=_data_test(
            "the key is the user's", "pm.expect(data.id).to.equal(pm.variables.get('userId'));"
        ),
    ),
    Step(
        "Plex libraries",
        "listLibraries",
        200,
        tests=(
            "const libraries = pm.response.json().data.libraries;",
            "if (libraries.length) {",
            "  " + _keep("libraryKey", "libraries[0].key"),
            "}",
        ),
    ),
    Step(
        "Items of the first library",
        "listLibraryItems",
        200,
        tests=(
            "const item = pm.response.json().data.items.find((each) => each.thumbUrl);",
            "if (item) {",
            "  const path = /[?&]path=([^&]+)/.exec(item.thumbUrl)[1];",
            "  " + _keep("plexImagePath", "decodeURIComponent(path)"),
            "}",
        ),
    ),
    Step(
        "Collections of the first library",
        "listCollections",
        200,
        tests=(
            "const collections = pm.response.json().data.items;",
            "if (collections.length) {",
            "  " + _keep("collectionKey", "collections[0].ratingKey"),
            "}",
        ),
    ),
    Step(
        "Search titles to request",
        "searchMedia",
        200,
        query={"query": "{{searchQuery}}"},
        tests=(
            "const found = pm.response.json().data.items;",
            "pm.test('something was found', () => pm.expect(found).to.not.be.empty);",
            _keep("tmdbId", "found[0].tmdbId"),
            _keep("mediaType", "found[0].mediaType"),
            "const poster = /\\/images\\/tmdb\\/([^/]+)\\/([^/?]+)/",
            "  .exec(found[0].posterUrl || '');",
            "if (poster) {",
            "  " + _keep("imageSize", "poster[1]"),
            "  " + _keep("imageFile", "poster[2]"),
            "}",
        ),
    ),
    Step(
        "Request the first title found",
        "createRequest",
        201,
        body='{"mediaType": "{{mediaType}}", "tmdbId": {{tmdbId}}}',
        tests=(_keep("requestId", "pm.response.json().data.id"),),
    ),
    Step(
        "Comment on the request",
        "addComment",
        201,
        body='{"body": "Requested from Postman."}',
    ),
    Step("Withdraw the request", "deleteRequest", 204),
    Step(
        "Everyone's requests (admin)",
        "listAllRequests",
        200,
        tests=(
            "const requests = pm.response.json().data.items;",
            "if (requests.length) {",
            "  " + _keep("requestId", "requests[0].id"),
            "}",
        ),
    ),
    Step(
        "Queue a download",
        "createDownload",
        201,
        body='{"url": "{{videoUrl}}"}',
        tests=(_keep("downloadId", "pm.response.json().data.id"),),
    ),
    Step("Mark every notification read", "markAllNotificationsRead", 200),
    Step("Revoke the API key", "revokeApiKey", 200),
    Step(
        "The revoked key is refused",
        "getMe",
        401,
        auth=API_KEY_AUTH,
    ),
    Step(
        "Sign out",
        "logout",
        200,
        prerequest=(
            "pm.collectionVariables.set('signedOutToken', "
            "pm.collectionVariables.get('accessToken'));",
        ),
        tests=(
            "// The next signed-in request signs in again (with the email and password).",
            "['accessToken', 'refreshToken', 'csrfToken'].forEach(",
            "  (name) => pm.collectionVariables.set(name, ''));",
        ),
    ),
    Step(
        "A signed-out token is refused",
        "getMe",
        401,
        auth={
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{signedOutToken}}", "type": "string"}],
        },
        tests=(
            "pm.test('refused as revoked', () => {",
            "  pm.expect(pm.response.json().error.code).to.equal('JWT_INVALID');",
            "});",
        ),
    ),
)
"""The curated walk, in order."""


# ---------------------------------------------------------------------------- building


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _script(listen: str, lines: list[str]) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": lines}}


class Builder:
    """Postman requests for the operations of one OpenAPI description."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.by_id = {
            operation["operationId"]: (path, method, operation)
            for path, method, operation in self.operations()
        }
        self.path_defaults: dict[str, str] = {}

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.spec["paths"].items():
            for method, operation in item.items():
                yield path, method, operation

    def request(
        self, path: str, method: str, operation: dict[str, Any], step: Step | None
    ) -> dict[str, Any]:
        parameters = operation.get("parameters", [])
        segments = [
            f":{part[1:-1]}" if part.startswith("{") else part
            for part in path.strip("/").split("/")
        ]
        url: dict[str, Any] = {
            "raw": "{{baseUrl}}/" + "/".join(segments),
            "host": ["{{baseUrl}}"],
            "path": segments,
        }
        query = self._query(path, parameters, step)
        if query:
            url["query"] = query
            enabled = [f"{q['key']}={q['value']}" for q in query if not q.get("disabled")]
            if enabled:
                url["raw"] += "?" + "&".join(enabled)
        variables = self._path_variables(path, parameters)
        if variables:
            url["variable"] = variables
        request: dict[str, Any] = {
            "method": method.upper(),
            "header": [],
            "url": url,
            "description": (operation.get("description") or operation.get("summary", "")).strip(),
        }
        body = self._body(operation, step)
        if body is not None:
            request["header"].append({"key": "Content-Type", "value": "application/json"})
            request["body"] = {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}}
        auth = step.auth if step and step.auth is not None else self._auth(operation)
        if auth is not None:
            request["auth"] = auth
        return request

    def item(self, name: str, operation_id: str, step: Step | None = None) -> dict[str, Any]:
        path, method, operation = self.by_id[operation_id]
        tests = self._status_test(operation, step)
        events = []
        if step and step.prerequest:
            events.append(_script("prerequest", list(step.prerequest)))
        events.append(_script("test", tests + list(step.tests if step else ())))
        return {
            "name": name,
            "event": events,
            "request": self.request(path, method, operation, step),
        }

    def _status_test(self, operation: dict[str, Any], step: Step | None) -> list[str]:
        if step is not None:
            status = step.status
            return [f"pm.test('answers {status}', () => pm.response.to.have.status({status}));"]
        documented = sorted(int(status) for status in operation["responses"] if status.isdigit())
        return [
            "pm.test('answers with a documented status', () => {",
            f"  pm.expect({json.dumps(documented)}).to.include(pm.response.code);",
            "});",
        ]

    def _query(
        self, path: str, parameters: list[dict[str, Any]], step: Step | None
    ) -> list[dict[str, Any]]:
        query = []
        for parameter in parameters:
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            value = (step.query if step else {}).get(name)
            if value is None and (path, name) in QUERY_VARIABLES:
                value = "{{" + QUERY_VARIABLES[path, name] + "}}"
            if value is None:
                value = _text(parameter.get("example", ""))
            entry: dict[str, Any] = {"key": name, "value": value}
            if parameter.get("description"):
                entry["description"] = parameter["description"]
            if not parameter.get("required"):
                entry["disabled"] = True
            query.append(entry)
        return query

    def _path_variables(self, path: str, parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
        variables = []
        for parameter in parameters:
            if parameter["in"] != "path":
                continue
            name = parameter["name"]
            variable = PATH_VARIABLES.get((path, name), _camel(name))
            self.path_defaults.setdefault(variable, _text(parameter.get("example", "")))
            variables.append({"key": name, "value": "{{" + variable + "}}"})
        return variables

    def _body(self, operation: dict[str, Any], step: Step | None) -> str | None:
        if step is not None and step.body is not None:
            return step.body
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            return None
        return json.dumps(content.get("example", {}), indent=2, ensure_ascii=False)

    def _auth(self, operation: dict[str, Any]) -> dict[str, Any] | None:
        """Postman auth from `security`: the collection's bearer token when it is accepted."""
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        if "bearerAuth" in schemes:
            return None
        if "metricsToken" in schemes:
            return {
                "type": "bearer",
                "bearer": [{"key": "token", "value": "{{metricsToken}}", "type": "string"}],
            }
        if "overseerrWebhookSecret" in schemes:
            return {
                "type": "apikey",
                "apikey": [
                    {"key": "key", "value": "Authorization", "type": "string"},
                    {"key": "value", "value": "{{overseerrWebhookSecret}}", "type": "string"},
                    {"key": "in", "value": "header", "type": "string"},
                ],
            }
        return NO_AUTH


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def collection(spec: dict[str, Any]) -> dict[str, Any]:
    builder = Builder(spec)
    flow = {
        "name": FLOW_FOLDER,
        "description": (
            "A walk through the API, in order: sign-in, token refresh (by hand and by the "
            "collection), the CSRF header with the session cookie, an API key, Plex, a "
            "request, a download, sign-out. It changes data: run it against a test "
            "installation or `./scripts/demo`. It also fills the variables (ids, an image path) "
            "that the other folders' requests use."
        ),
        "item": [builder.item(step.name, step.operation, step) for step in FLOW],
    }
    sections = []
    for tag in spec.get("tags", []):
        items = [
            builder.item(
                operation.get("summary", operation["operationId"]), operation["operationId"]
            )
            for _path, _method, operation in builder.operations()
            if (operation.get("tags") or ["other"])[0] == tag["name"]
        ]
        if items:
            sections.append(
                {"name": tag["name"], "description": tag.get("description", ""), "item": items}
            )
    variables = {**builder.path_defaults, **{name: value for name, (value, _) in VARIABLES.items()}}
    described = {name: text for name, (_, text) in VARIABLES.items()}
    info = spec["info"]
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "medianest-postman-collection")),
            "name": f"{info['title']} API",
            "description": (
                f"Generated from openapi.json (version {info['version']}) by "
                "scripts/generate_postman.py: do not edit by hand.\n\n"
                "Set `baseUrl`, `email` and `password`; the collection signs in, refreshes the "
                "access token and adds the CSRF header by itself."
            ),
            "schema": SCHEMA_URL,
        },
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{accessToken}}", "type": "string"}],
        },
        "event": [
            _script("prerequest", _lines((SCRIPTS / "collection-prerequest.js").read_text())),
            _script("test", _lines((SCRIPTS / "collection-test.js").read_text())),
        ],
        "variable": [
            {
                "key": name,
                "value": value,
                **({"description": described[name]} if name in described else {}),
            }
            for name, value in sorted(variables.items())
        ],
        "item": [flow, *sections],
    }


def render() -> str:
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return json.dumps(collection(spec), indent=2, ensure_ascii=False) + "\n"


def main(check: bool) -> int:
    content = render()
    if check:
        if not COLLECTION.exists() or COLLECTION.read_text(encoding="utf-8") != content:
            print(f"stale: {COLLECTION} (run `make artifacts`)", file=sys.stderr)
            return 1
        return 0
    COLLECTION.write_text(content, encoding="utf-8")
    print(f"wrote {COLLECTION.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
