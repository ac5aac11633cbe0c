"""The response envelopes every API route answers with."""

from typing import Any, Generic, Literal, TypeVar

from pydantic import Field

from medianest.kit.errors import ErrorCode
from medianest.kit.schemas import CamelModel

T = TypeVar("T")


class Envelope(CamelModel, Generic[T]):
    """A successful answer: `{"success": true, "data": ...}`."""

    success: Literal[True] = True
    data: T

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`Envelope[HealthReport]` is named `HealthReportEnvelope` in the OpenAPI schema."""
        return f"{_schema_name(params[0])}Envelope"


class ErrorBody(CamelModel):
    code: ErrorCode = Field(description="Stable, machine-readable error code.")
    message: str = Field(description="What went wrong, for people.")
    details: Any = Field(
        default=None,
        description="Extra facts: per-field validation errors, `retryAfter`, and so on.",
    )


class ErrorEnvelope(CamelModel):
    """A failed answer: `{"success": false, "error": {...}, "correlationId": "..."}`."""

    success: Literal[False] = False
    error: ErrorBody
    correlation_id: str = Field(description="Quote this id when reporting a problem.")


def _schema_name(param: Any) -> str:
    name = getattr(param, "__name__", None)
    if name is None or getattr(param, "__origin__", None) is list:
        return "".join(part.capitalize() for part in str(param).replace("]", "").split("["))
    return str(name)


def ok(data: T) -> Envelope[T]:
    return Envelope[T](data=data)
