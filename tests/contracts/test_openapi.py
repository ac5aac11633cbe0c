"""The committed openapi.json is exactly what the app generates, and documents the envelope."""

import json
import subprocess
import sys
from pathlib import Path

from medianest.app import create_app
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
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"


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
