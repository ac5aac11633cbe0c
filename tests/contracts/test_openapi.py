"""The committed openapi.json is exactly what the app generates, and documents the envelope."""

import json
import re
import subprocess
import sys
from pathlib import Path

from medianest.app import create_app
from medianest.http.deps import SAFE_METHODS
from tests.auth.test_permission_table import OPERATIONS, Rule
from tests.conftest import SettingsFactory

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_committed_openapi_matches_the_app(make_settings: SettingsFactory) -> None:
    generated = create_app(make_settings()).openapi()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == generated, "openapi.json is stale: run `make artifacts`"


def test_every_operation_documents_the_error_envelope(make_settings: SettingsFactory) -> None:
    schema = create_app(make_settings()).openapi()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            errors = {status for status in operation["responses"] if status.startswith(("4", "5"))}
            assert "500" in errors, (method, path)
            assert "422" not in operation["responses"], (method, path)
            for status in errors:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}


def test_operation_ids_are_camel_case_and_unique(make_settings: SettingsFactory) -> None:
    schema = create_app(make_settings()).openapi()
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert all(op_id[0].islower() and "_" not in op_id for op_id in ids)


def test_security_schemes_are_declared(make_settings: SettingsFactory) -> None:
    schemes = create_app(make_settings()).openapi()["components"]["securitySchemes"]
    where = {
        name: (s["type"], s.get("in"), s.get("name"), s.get("scheme"))
        for name, s in schemes.items()
    }
    assert where == {
        "bearerAuth": ("http", None, None, "bearer"),
        "apiKeyAuth": ("apiKey", "header", "X-Api-Key", None),
        "cookieAuth": ("apiKey", "cookie", "medianest_access", None),
        "csrfToken": ("apiKey", "header", "X-CSRF-Token", None),
        "metricsToken": ("http", None, None, "bearer"),
        "overseerrWebhookSecret": ("apiKey", "header", "Authorization", None),
    }
    assert all(scheme["description"] for scheme in schemes.values())


Security = list[dict[str, list[str]]]
SESSION: Security = [{"bearerAuth": []}]
COOKIE_READ: Security = [{"cookieAuth": []}]
COOKIE_WRITE: Security = [{"cookieAuth": [], "csrfToken": []}]
KEY: Security = [{"apiKeyAuth": []}]
DECLARED_FOR_RULE: dict[tuple[Rule, str], Security] = {
    (Rule.PUBLIC, "read"): [],
    (Rule.PUBLIC, "write"): [],
    (Rule.SIGNED_IN_READ, "read"): SESSION + KEY + COOKIE_READ,
    (Rule.ADMIN_READ, "read"): SESSION + KEY + COOKIE_READ,
    (Rule.SIGNED_IN_WRITE, "write"): SESSION + KEY + COOKIE_WRITE,
    (Rule.ADMIN_WRITE, "write"): SESSION + KEY + COOKIE_WRITE,
    (Rule.SESSION_ONLY, "write"): SESSION + COOKIE_WRITE,
}
"""What an operation must declare, by its row of the permission table and its method."""
SERVICE_SECRETS: dict[tuple[str, str], Security] = {
    ("GET", "/metrics"): [{"metricsToken": []}],
    ("POST", "/api/v1/webhooks/overseerr"): [{"overseerrWebhookSecret": []}],
    ("GET", "/api/v1/health"): [{}, *SESSION, *KEY, *COOKIE_READ],  # admins learn more
}


def test_declared_security_is_the_permission_table(make_settings: SettingsFactory) -> None:
    """What Swagger UI sends after "Authorize" comes from `security`: each operation declares
    exactly the credentials tests/auth/test_permission_table.py proves it takes (for an
    operation with a rule per input, the first: `PATCH /auth/me` takes keys for the name)."""
    schema = create_app(make_settings()).openapi()
    wrong = []
    for (method, path), cases in OPERATIONS.items():
        declared = schema["paths"][path][method.lower()]["security"]
        kind = "read" if method in SAFE_METHODS else "write"
        rule = cases[0].rule
        expected = SERVICE_SECRETS.get((method, path)) or DECLARED_FOR_RULE[rule, kind]
        if declared != expected:
            wrong.append(f"{method} {path} ({rule}): declares {declared}, expected {expected}")
    assert not wrong, "\n".join(wrong)


BODILESS_MEDIA_TYPES = ("image/",)
"""Binary bodies: nothing a JSON description could show as an example."""


def test_every_body_has_an_example(make_settings: SettingsFactory) -> None:
    schema = create_app(make_settings()).openapi()
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            bodies = {
                f"response {status} {media_type}": content
                for status, response in operation["responses"].items()
                for media_type, content in response.get("content", {}).items()
                if not media_type.startswith(BODILESS_MEDIA_TYPES)
            }
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                bodies[f"request {media_type}"] = content
            for parameter in operation.get("parameters", []):
                bodies[f"parameter {parameter['name']}"] = parameter
            missing += [
                f"{method.upper()} {path}: {what}"
                for what, content in bodies.items()
                if "example" not in content and not content.get("examples")
            ]
    assert not missing, "\n".join(missing)


def test_every_error_code_a_response_names_has_its_example(
    make_settings: SettingsFactory,
) -> None:
    schema = create_app(make_settings()).openapi()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status[0] not in "45":
                    continue
                named = set(re.findall(r"(?:^|; )`([A-Z_]+)`:", response["description"]))
                examples = response["content"]["application/json"]["examples"]
                assert set(examples) == named, (method, path, status)
                for code, example in examples.items():
                    assert example["value"]["error"]["code"] == code


def test_every_operation_is_under_a_declared_tag(make_settings: SettingsFactory) -> None:
    """The API reference and the Postman collection have a section per declared tag."""
    schema = create_app(make_settings()).openapi()
    declared = {tag["name"] for tag in schema["tags"]}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["tags"][0] in declared, (method, path)


def test_development_routes_stay_out_of_the_schema(make_settings: SettingsFactory) -> None:
    schema = create_app(make_settings()).openapi()
    assert not any(path.startswith("/api/v1/test") for path in schema["paths"])


def test_reference_pages_match_the_code() -> None:
    result = subprocess.run(
        [sys.executable, str(COMMITTED.parent / "scripts" / "generate_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_rules_the_server_enforces_are_in_the_schema() -> None:
    """What validators and services refuse is told in openapi.json, so clients (and
    schemathesis) need not learn it from 400s."""
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    paths, components = schema["paths"], schema["components"]["schemas"]

    def parameter(path: str, name: str) -> dict[str, object]:
        [found] = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        return found["schema"]  # type: ignore[no-any-return]

    image = parameter("/api/v1/plex/image", "path")["pattern"]
    assert re.fullmatch(str(image)[1:-1], "/library/metadata/123/thumb/1700000000")
    assert not re.fullmatch(str(image)[1:-1], "/library/metadata/123/../../etc")
    tmdb = parameter("/api/v1/images/tmdb/{size}/{file_name}", "file_name")["pattern"]
    assert not re.fullmatch(str(tmdb)[1:-1], "../x.jpg")
    assert parameter("/api/v1/plex/libraries/{key}/items", "sort")["pattern"]
    window = parameter("/api/v1/performance/metrics", "timeWindow")["pattern"]
    assert re.fullmatch(str(window)[1:-1], "24h")
    assert components["ChangePasswordRequest"]["properties"]["currentPassword"]["pattern"] == (
        "^[^\\u0000]*$"
    )
    for model, field in [
        ("AdminBootstrap", "password"),
        ("ChangePasswordRequest", "newPassword"),
        ("PasswordResetConfirm", "newPassword"),
    ]:
        assert "password policy" in components[model]["properties"][field]["description"]
    assert components["LoginRequest"]["properties"]["rememberMe"]["type"] == "boolean"
    assert "503" in paths["/api/v1/admin/users"]["post"]["responses"]
