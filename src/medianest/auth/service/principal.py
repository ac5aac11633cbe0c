"""Who is calling, and the rules of what they may reach."""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from medianest.auth.models import ApiKey, Session, User
from medianest.auth.schemas import ApiKeyScope, Role
from medianest.kit.errors import ForbiddenError, NotFoundError


class CredentialSource(StrEnum):
    BEARER = "bearer"
    COOKIE = "cookie"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user, the session or API key the credentials belong to, and how
    they came. Session credentials carry every right of the user; an API key only its scopes."""

    user: User
    source: CredentialSource
    session: Session | None = None
    api_key: ApiKey | None = None

    @property
    def is_admin(self) -> bool:
        return self.user.role is Role.ADMIN

    def allows(self, scope: ApiKeyScope) -> bool:
        return self.api_key is None or scope.value in self.api_key.scopes

    def require_session(self) -> Session:
        if self.session is None:
            raise ForbiddenError("This needs a signed-in session, not an API key.")
        return self.session


def require_admin(principal: Principal) -> Principal:
    if not principal.is_admin:
        raise ForbiddenError("This needs the admin role.")
    if not principal.allows(ApiKeyScope.ADMIN):
        raise ForbiddenError("This API key lacks the admin scope.")
    return principal


def ensure_owned(principal: Principal, owner_id: uuid.UUID, *, admin_sees_all: bool = True) -> None:
    """The one ownership rule of every per-user resource: the owner may act on it, admins too
    when `admin_sees_all`; to anyone else it does not exist (404, not 403: no probing)."""
    if owner_id == principal.user.id:
        return
    if admin_sees_all and principal.is_admin:
        return
    raise NotFoundError()
