"""OpenAPI helpers: readable operation ids, the error envelope on every route, security."""

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic.alias_generators import to_camel

from medianest.http.envelope import ErrorEnvelope
from medianest.http.errors import STATUS_BY_CODE
from medianest.kit.errors import ERROR_DESCRIPTIONS, AppError, ErrorCode

ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
COMMON_ERRORS = (ErrorCode.VALIDATION_ERROR, ErrorCode.INTERNAL_ERROR)

SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Access token from sign-in, sent as `Authorization: Bearer <token>`.",
    },
    "cookieAuth": {
        "type": "apiKey",
        "in": "cookie",
        "name": "medianest_access",
        "description": "HttpOnly cookie set at sign-in. State changes also need `X-CSRF-Token`.",
    },
}


def operation_id(route: APIRoute) -> str:
    """`list_downloads` → `listDownloads`: stable ids that read well in generated clients."""
    return to_camel(route.name)


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry documenting the errors a route may answer with."""
    by_status: dict[int, list[ErrorCode]] = {}
    for error in errors:
        by_status.setdefault(STATUS_BY_CODE[error.code], []).append(error.code)
    return {status: _error_response(codes) for status, codes in sorted(by_status.items())}


def _error_response(codes: list[ErrorCode]) -> dict[str, Any]:
    description = "; ".join(f"`{code}`: {ERROR_DESCRIPTIONS[code]}" for code in codes)
    return {"description": description, "model": ErrorEnvelope}


def build_openapi(app: FastAPI, *, description: str) -> dict[str, Any]:
    """The schema FastAPI generates, with the envelope errors and security schemes added."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("ErrorEnvelope", ErrorEnvelope.model_json_schema(by_alias=True))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            _add_common_errors(operation)
    return _use_titles_for_generic_names(schema)


def _use_titles_for_generic_names(schema: dict[str, Any]) -> dict[str, Any]:
    """Pydantic names `Envelope[HealthReport]` `Envelope_HealthReport_`; use its title
    (`HealthReportEnvelope`, from `model_parametrized_name`) so client code reads well."""
    schemas: dict[str, Any] = schema["components"]["schemas"]
    renames = {
        name: definition["title"]
        for name, definition in schemas.items()
        if name.endswith("_") and definition.get("title", name).isidentifier()
    }
    text = json.dumps(schema)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    components = renamed["components"]["schemas"]
    for old, new in renames.items():
        components[new] = components.pop(old)
    renamed["components"]["schemas"] = dict(sorted(components.items()))
    return renamed


def _add_common_errors(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    for code in COMMON_ERRORS:
        if code is ErrorCode.VALIDATION_ERROR and not takes_input:
            continue
        status = str(STATUS_BY_CODE[code])
        responses.setdefault(
            status,
            {
                "description": f"`{code}`: {ERROR_DESCRIPTIONS[code]}",
                "content": {"application/json": {"schema": ERROR_SCHEMA_REF}},
            },
        )
