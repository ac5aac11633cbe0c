"""Wire shapes of sign-in, sessions and the signed-in user."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import EmailStr, Field, StrictBool, StringConstraints

from medianest.auth import passwords
from medianest.kit.schemas import CamelModel, SafeStr


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"


class ApiKeyScope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class UserSort(StrEnum):
    CREATED_DESC = "createdAt:desc"
    CREATED_ASC = "createdAt:asc"
    EMAIL_ASC = "email:asc"
    EMAIL_DESC = "email:desc"
    USERNAME_ASC = "username:asc"
    LAST_LOGIN_DESC = "lastLoginAt:desc"


Password = Annotated[SafeStr, Field(min_length=1, max_length=1024)]
NewPassword = Annotated[Password, Field(description=passwords.POLICY)]
"""A password being chosen: the policy is checked by the service (every rule it breaks
is named), and told here."""
Name = Annotated[SafeStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AdminBootstrap(CamelModel):
    email: EmailStr = Field(max_length=320)
    password: NewPassword
    name: Name


class UserCreate(CamelModel):
    email: EmailStr = Field(max_length=320)
    name: Name
    role: Role = Role.USER
    password: NewPassword | None = Field(
        default=None,
        description="Without one, the user is mailed a single-use link to choose their own "
        f"(503 when mail cannot be sent: nothing is created). {passwords.POLICY}",
    )


class TokenPurpose(StrEnum):
    RESET = "reset"
    INVITE = "invite"


ResetToken = Annotated[SafeStr, Field(min_length=10, max_length=200)]


class PasswordResetRequest(CamelModel):
    email: EmailStr = Field(max_length=320)


class PasswordResetVerify(CamelModel):
    token: ResetToken


class PasswordResetConfirm(CamelModel):
    token: ResetToken
    new_password: NewPassword


class PasswordResetTokenRead(CamelModel):
    purpose: TokenPurpose
    email: str = Field(description="Whose password the link sets.")
    expires_at: datetime


class SignInMethods(CamelModel):
    password: bool = Field(description="Email and password (always on).")
    plex: bool = Field(
        description="Sign in with Plex: on when a Plex server is configured (and the "
        "installation's Plex client id and encryption key exist)."
    )


class ConfiguredServices(CamelModel):
    """Whether each service is set up; never where it is or how MediaNest reaches it."""

    plex: bool
    overseerr: bool
    youtube: bool = Field(
        description="YouTube downloads are on (always: they need no outside service)."
    )
    mail: bool = Field(description="Mail can be sent (password resets, invitations).")


class PublicInfoRead(CamelModel):
    """What a signed-out browser needs before anyone signs in."""

    title: str = Field(description="The application's title (`APP_TITLE`).")
    version: str
    setup_done: bool = Field(
        description="An admin exists; while false, the app offers first-run setup "
        "(`POST /auth/admin`)."
    )
    sign_in_methods: SignInMethods
    services: ConfiguredServices
    base_path: str = Field(description="The URL prefix MediaNest is served under (`BASE_PATH`).")


class MessageRead(CamelModel):
    message: str


class RoleUpdate(CamelModel):
    role: Role
    confirm_self_demotion: StrictBool = Field(
        default=False,
        description="Must be true to take the admin role from yourself (while another admin "
        "exists: the last admin cannot be demoted at all); without it that is a 400.",
    )


class LoginRequest(CamelModel):
    email: EmailStr = Field(max_length=320)
    password: Password
    remember_me: StrictBool = False


class RefreshRequest(CamelModel):
    refresh_token: SafeStr | None = Field(
        default=None,
        max_length=200,
        description="The refresh token from sign-in. Browsers may omit it: the cookie is used.",
    )


class ChangePasswordRequest(CamelModel):
    current_password: Password
    new_password: NewPassword


class ProfileUpdate(CamelModel):
    name: Name | None = None
    email: EmailStr | None = Field(default=None, max_length=320)
    current_password: Password | None = Field(
        default=None,
        description="Required to change the email (which is where password resets go), and "
        "only accepted from a signed-in session: never with an API key.",
    )


class UserRead(CamelModel):
    """The public view of a user: never a hash, token or secret."""

    id: uuid.UUID
    email: str | None
    username: str
    name: str | None
    role: Role
    plex_username: str | None
    avatar_url: str | None
    created_at: datetime
    last_login_at: datetime | None


class SessionRead(CamelModel):
    id: uuid.UUID
    user_agent: str | None
    ip_address: str | None
    is_remembered: bool
    is_current: bool = False
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime


class SignInRead(CamelModel):
    """Tokens for API clients; browsers get the same in HttpOnly cookies."""

    user: UserRead
    token: str = Field(description="Access token (JWT) for `Authorization: Bearer`.")
    refresh_token: str = Field(description="Exchange at `POST /auth/refresh` for new tokens.")
    expires_in: int = Field(description="Seconds until the access token expires.")
    csrf_token: str = Field(description="Send as `X-CSRF-Token` on cookie-authenticated changes.")


class SessionInfoRead(CamelModel):
    user: UserRead
    session: SessionRead | None = Field(description="Null when the call used an API key.")


class CsrfTokenRead(CamelModel):
    token: str


class ApiKeyCreate(CamelModel):
    name: Name = Field(max_length=100)
    scopes: list[ApiKeyScope] = Field(min_length=1, max_length=3)
    expires_at: datetime | None = Field(
        default=None, description="When the key stops working (timezone-aware). Never if unset."
    )


class ApiKeyRead(CamelModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The key's first characters, to recognise it.")
    scopes: list[ApiKeyScope]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself. Shown this once; send it as `X-Api-Key`.")


class UserQuery(CamelModel):
    search: SafeStr | None = Field(
        default=None, max_length=200, description="Email, username or name contains."
    )
    role: Role | None = None
    sort: UserSort = UserSort.CREATED_DESC


class SessionsRevokedRead(CamelModel):
    sessions_ended: int


class PlexPinRead(CamelModel):
    id: int = Field(description="Send as `pinId` to `POST /auth/plex/verify`.")
    code: str = Field(description="The PIN; the sign-in page shows and checks it.")
    auth_url: str = Field(description="app.plex.tv's sign-in page for this PIN: open it.")
    qr_url: str = Field(description="A QR code of `authUrl` (an SVG `data:` URL), for phones.")
    expires_in: int = Field(description="Seconds the PIN stays valid.")


class PlexVerifyRequest(CamelModel):
    pin_id: int = Field(ge=1, le=2**53, description="The `id` from `POST /auth/plex/pin`.")
    remember_me: StrictBool = False


class PlexPinPendingRead(CamelModel):
    status: Literal["pending"] = "pending"
    expires_in: int = Field(description="Seconds the PIN stays valid; ask again until then.")


class UserCounts(CamelModel):
    total: int = Field(description="Every account.")
    active: int = Field(
        description="Accounts used in the period: signed in, refreshed a session or used an "
        "API key."
    )
    admins: int = Field(description="Accounts with the admin role.")


class QuotaRead(CamelModel):
    """A per-user quota (media requests, downloads) as it stands, before spending it."""

    limit: int = Field(description="Uses allowed per window.", examples=[20])
    remaining: int = Field(description="Uses left in the current window.", examples=[17])
    reset_at: int = Field(
        description="Unix time at which the window has room again.", examples=[1767225600]
    )
