"""Examples for the OpenAPI description, made from the schemas themselves.

A model's own `examples` (from `Field(examples=[...])`) win; otherwise a value is built from
the type, format, bounds and the property's name, so it validates against the schema (the API
linter checks that). A string with a `pattern` and no example cannot be made up: an optional
property is then left out, and a required one needs `examples` on its field.
"""

from collections.abc import Mapping
from typing import Any

from medianest.kit.errors import ERROR_DESCRIPTIONS, ErrorCode
from medianest.kit.schemas import NUL_FREE_PATTERN

EXAMPLE_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
EXAMPLE_CORRELATION_ID = "9b2f6c1e-4d7a-4e8b-a1c3-5f0d2e7b8a64"
STRING_BY_FORMAT = {
    "email": "user@example.com",
    "uuid": EXAMPLE_UUID,
    "date-time": "2026-01-01T12:00:00Z",
    "date": "2026-01-01",
    "uri": "https://example.com/",
    "password": "********",
}
STRING_BY_PROPERTY = {
    "email": "ada@example.com",
    "username": "ada",
    "name": "Ada Lovelace",
    "title": "Big Buck Bunny",
    "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl",
    "refreshToken": "Q2hvb3NlIGEgbG9uZyByYW5kb20gcmVmcmVzaCB0b2tlbg",
    "csrfToken": "Y3NyZi10b2tlbi1leGFtcGxl.c2lnbmF0dXJl",
    "message": "Something happened.",
    "version": "1.0.0",
}
"""Plausible values for common property names (used when the schema allows them)."""
MAX_DEPTH = 12
"""Deeper than any schema of ours: it only stops a self-referencing one."""

ERROR_DETAILS: Mapping[ErrorCode, Any] = {
    ErrorCode.VALIDATION_ERROR: [
        {
            "field": "body.email",
            "message": "value is not a valid email address",
            "type": "value_error",
        }
    ],
    ErrorCode.RATE_LIMIT_EXCEEDED: {"retryAfter": 42},
}


class _Unknown:
    """No value can be made up for this schema (a pattern without an example)."""


UNKNOWN = _Unknown()


class ExampleMaker:
    """Builds an example for any schema of one OpenAPI description."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self._components = components

    def example(self, schema: Mapping[str, Any], depth: int = 0, name: str = "") -> Any:  # noqa: PLR0911
        """An example of `schema` (of the property `name`, when it is one), or UNKNOWN."""
        if "example" in schema:
            return schema["example"]
        if schema.get("examples"):
            return schema["examples"][0]
        if "$ref" in schema:
            if depth >= MAX_DEPTH:
                return {}
            return self.example(self.resolve(schema), depth + 1, name)
        if "const" in schema:
            return schema["const"]
        if schema.get("default") is not None:
            return schema["default"]
        if "enum" in schema:
            return schema["enum"][0]
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            return self._first_of(options, depth, name)
        if "allOf" in schema:
            return self.example(schema["allOf"][0], depth, name)
        return self._of_type(schema, depth, name)

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            schema = self._components[str(schema["$ref"]).rsplit("/", 1)[-1]]
        return schema

    def _first_of(self, options: list[Mapping[str, Any]], depth: int, name: str) -> Any:
        for option in options:
            if option.get("type") != "null":
                value = self.example(option, depth, name)
                if value is not UNKNOWN:
                    return value
        return None if any(option.get("type") == "null" for option in options) else UNKNOWN

    def _of_type(self, schema: Mapping[str, Any], depth: int, name: str) -> Any:  # noqa: PLR0911
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth)
        if kind == "array":
            item = self.example(schema.get("items", {}), depth + 1)
            return UNKNOWN if item is UNKNOWN else [item] * max(1, int(schema.get("minItems", 1)))
        if kind == "string":
            return _string(schema, name)
        if kind == "integer":
            return int(_number(schema, 1))
        if kind == "number":
            return float(_number(schema, 1.5))
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "value"

    def _object(self, schema: Mapping[str, Any], depth: int) -> Any:
        properties: Mapping[str, Any] = schema.get("properties", {})
        if properties:
            required = set(schema.get("required", []))
            example: dict[str, Any] = {}
            for name, prop in properties.items():
                value = self.example(prop, depth + 1, name)
                if value is UNKNOWN and name in required:
                    return UNKNOWN
                if value is not UNKNOWN:
                    example[name] = value
            return example
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict):
            return {}
        value = self.example(extra, depth + 1)
        return UNKNOWN if value is UNKNOWN else {"name": value}


def _string(schema: Mapping[str, Any], name: str) -> str | _Unknown:
    if schema.get("format") in STRING_BY_FORMAT:
        return STRING_BY_FORMAT[schema["format"]]
    if schema.get("pattern", NUL_FREE_PATTERN) != NUL_FREE_PATTERN:
        return UNKNOWN
    shortest = int(schema.get("minLength", 0))
    named = STRING_BY_PROPERTY.get(name)
    if named is not None and shortest <= len(named) <= int(schema.get("maxLength", len(named))):
        return named
    longest = int(schema.get("maxLength", max(shortest, 6)))
    text = "string".ljust(shortest, "x")
    return text[: max(longest, shortest)]


def _number(schema: Mapping[str, Any], preferred: float) -> float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value = preferred
    if low is not None and value < low:
        value = low if "minimum" in schema else low + 1
    if high is not None and value > high:
        value = high if "maximum" in schema else high - 1
    return value


def error_example(code: ErrorCode) -> dict[str, Any]:
    """The error envelope as a route answers with `code`."""
    return {
        "success": False,
        "error": {
            "code": code.value,
            "message": ERROR_DESCRIPTIONS[code],
            "details": ERROR_DETAILS.get(code),
        },
        "correlationId": EXAMPLE_CORRELATION_ID,
    }


def error_examples(codes: list[ErrorCode]) -> dict[str, Any]:
    """`examples` of one error status: one per code it may carry."""
    return {code.value: {"summary": code.value, "value": error_example(code)} for code in codes}
