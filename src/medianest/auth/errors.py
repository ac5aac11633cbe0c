"""Errors of the auth domain."""

from medianest.kit.errors import (
    AppError,
    ConflictError,
    ErrorCode,
    ForbiddenError,
    UnauthorizedError,
    ValidationError,
)


class InvalidCredentialsError(UnauthorizedError):
    default_message = "Invalid email or password."


class ApiKeyInvalidError(AppError):
    code = ErrorCode.API_KEY_INVALID
    default_message = (
        "The API key in the X-Api-Key header is unknown, revoked or expired: create a new one."
    )


class AdminAlreadyExistsError(ConflictError):
    default_message = "An admin already exists; sign in instead."


class EmailTakenError(ConflictError):
    default_message = "A user with this email already exists."


class WeakPasswordError(ValidationError):
    default_message = "The password does not meet the password policy."

    def __init__(self, problems: list[str], *, field: str = "password") -> None:
        super().__init__(
            f"The password {'; '.join(problems)}.",
            details=[
                {"field": field, "message": problem, "type": "password_policy"}
                for problem in problems
            ],
        )


class PlexAccessDeniedError(AppError):
    code = ErrorCode.PLEX_ACCESS_DENIED
    default_message = (
        "This Plex account has no access to this MediaNest's Plex server. Ask the server's "
        "owner to share it with you, then sign in again."
    )


class AccountDisabledError(ForbiddenError):
    default_message = "This account is disabled. Ask an admin to enable it."
