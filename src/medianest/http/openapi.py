"""OpenAPI helpers: readable operation ids, the error envelope on every route, security and
examples."""

import json
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic.alias_generators import to_camel

from medianest.db.engine import RETRY_AFTER_SECONDS
from medianest.http.deps import SAFE_METHODS, get_session
from medianest.http.envelope import ErrorEnvelope
from medianest.http.errors import STATUS_BY_CODE
from medianest.http.examples import UNKNOWN, ExampleMaker, error_examples
from medianest.kit.errors import ERROR_DESCRIPTIONS, AppError, ErrorCode

ERROR_SCHEMA_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
COMMON_ERRORS = (ErrorCode.VALIDATION_ERROR, ErrorCode.INTERNAL_ERROR)

COOKIE_SCHEME = "cookieAuth"
"""The session cookie's security scheme, declared by the dependency that reads the cookie."""
CSRF_SCHEME = "csrfToken"
CSRF_SECURITY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-CSRF-Token",
    "description": "With the session cookie, every POST, PUT, PATCH and DELETE also needs this "
    "header: the `csrfToken` of the sign-in answer, the `medianest_csrf` cookie or "
    "`GET /api/v1/csrf/token`. Bearer tokens and API keys need none.",
}
TEXT_EXAMPLES = {
    "text/plain": "# HELP medianest_http_requests_total HTTP requests answered.\n"
    "# TYPE medianest_http_requests_total counter\n"
    'medianest_http_requests_total{method="GET",route="/health",status="200"} 42.0\n',
}
"""Bodies that are not JSON, by media type (binary ones such as images have none)."""


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
    return {
        "description": description,
        "model": ErrorEnvelope,
        "content": {"application/json": {"examples": error_examples(codes)}},
    }


def build_openapi(app: FastAPI, *, description: str) -> dict[str, Any]:
    """The schema FastAPI generates, with the envelope errors and security schemes added."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=description,
        routes=app.routes,
        tags=app.openapi_tags,
        license_info=app.license_info,
    )
    components = schema.setdefault("components", {})
    schemes = components.setdefault("securitySchemes", {})
    schemes[CSRF_SCHEME] = CSRF_SECURITY_SCHEME
    components["securitySchemes"] = dict(sorted(schemes.items()))
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("ErrorEnvelope", ErrorEnvelope.model_json_schema(by_alias=True))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    with_database = {
        operation_id(context.original_route)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and _uses_database(context.original_route.dependant)
    }
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            _add_common_errors(operation)
            if operation.get("operationId") in with_database:
                _add_database_error(operation)
            _require_csrf_with_the_cookie(method, operation)
    schema = _use_titles_for_generic_names(schema)
    _add_examples(schema)
    return schema


CREDENTIALS_OPTIONAL = {"x-credentials-optional": True}
"""`openapi_extra` of a public route that reads credentials when they are sent: its
`security` then starts with `{}` (none needed)."""


def _require_csrf_with_the_cookie(method: str, operation: dict[str, Any]) -> None:
    """Declare who may call: the routes' security dependencies listed each credential as an
    alternative, but a cookie-authenticated change needs the CSRF header as well (both in one
    requirement). An operation without any is public, and says so (`security: []`)."""
    security: list[dict[str, list[str]]] = operation.setdefault("security", [])
    if operation.pop("x-credentials-optional", False):
        security.insert(0, {})
    if method.upper() in SAFE_METHODS:
        return
    for requirement in security:
        if COOKIE_SCHEME in requirement:
            requirement[CSRF_SCHEME] = []


def _add_examples(schema: dict[str, Any]) -> None:
    """An example for every parameter, request body and response body that has none."""
    maker = ExampleMaker(schema["components"]["schemas"])

    def fill(target: dict[str, Any], example: Any) -> None:
        if "example" not in target and "examples" not in target and example is not UNKNOWN:
            target["example"] = example

    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                fill(parameter, maker.example(parameter["schema"], name=parameter["name"]))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                fill(content, maker.example(content.get("schema", {})))
            for response in operation["responses"].values():
                for media_type, content in response.get("content", {}).items():
                    if media_type == "application/json":
                        fill(content, maker.example(content.get("schema", {})))
                    elif media_type in TEXT_EXAMPLES:
                        fill(content, TEXT_EXAMPLES[media_type])


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


def _uses_database(dependant: Dependant) -> bool:
    """Whether a route opens the request's unit of work (directly or through a dependency)."""
    return any(
        dependency.call is get_session or _uses_database(dependency)
        for dependency in dependant.dependencies
    )


RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer"},
    "example": RETRY_AFTER_SECONDS,
}


def _add_database_error(operation: dict[str, Any]) -> None:
    """503 `DATABASE_ERROR` with `Retry-After`: any route that needs the database answers it
    when the database is down or no pooled connection comes free in time. Merged into the
    503 the route documents already (Plex, Overseerr, Redis), if any."""
    code = ErrorCode.DATABASE_ERROR
    responses: dict[str, Any] = operation.setdefault("responses", {})
    response = responses.setdefault(
        str(STATUS_BY_CODE[code]),
        {"description": "", "content": {"application/json": {"schema": ERROR_SCHEMA_REF}}},
    )
    examples = response["content"]["application/json"].setdefault("examples", {})
    if code.value not in examples:
        entry = f"`{code}`: {ERROR_DESCRIPTIONS[code]}"
        response["description"] = "; ".join(filter(None, [response.get("description"), entry]))
        examples.update(error_examples([code]))
    response.setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER


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
                "content": {
                    "application/json": {
                        "schema": ERROR_SCHEMA_REF,
                        "examples": error_examples([code]),
                    }
                },
            },
        )
