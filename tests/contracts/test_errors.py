"""The error-code registry is complete: every code has a status and a description."""

from medianest.http.errors import STATUS_BY_CODE
from medianest.kit.errors import ERROR_DESCRIPTIONS, AppError, ErrorCode


def _subclasses(cls: type[AppError]) -> set[type[AppError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_code_has_a_status_and_a_description() -> None:
    assert set(STATUS_BY_CODE) == set(ErrorCode)
    assert set(ERROR_DESCRIPTIONS) == set(ErrorCode)


def test_every_app_error_has_a_code_with_a_status() -> None:
    for error in _subclasses(AppError) | {AppError}:
        assert error.code in STATUS_BY_CODE, error


def test_spec_statuses() -> None:
    assert STATUS_BY_CODE[ErrorCode.VALIDATION_ERROR] == 400
    assert STATUS_BY_CODE[ErrorCode.JWT_INVALID] == 401
    assert STATUS_BY_CODE[ErrorCode.CSRF_TOKEN_MISMATCH] == 403
    assert STATUS_BY_CODE[ErrorCode.CONFLICT] == 409
    assert STATUS_BY_CODE[ErrorCode.RATE_LIMIT_EXCEEDED] == 429
    assert STATUS_BY_CODE[ErrorCode.DATABASE_ERROR] == 503
