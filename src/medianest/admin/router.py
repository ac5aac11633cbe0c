"""Admin-only endpoints."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from medianest.admin.deps import AuditServiceDep
from medianest.audit.schemas import AuditLogFilter, AuditLogRead
from medianest.auth.deps import SIGNED_IN_ERRORS, AccountServiceDep, AdminPrincipal, ClientDep
from medianest.auth.errors import EmailTakenError, WeakPasswordError
from medianest.auth.schemas import RoleUpdate, SessionsRevokedRead, UserCreate, UserQuery, UserRead
from medianest.http.deps import PageDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.integrations.smtp.errors import MailUnavailableError
from medianest.kit.errors import ConflictError, NotFoundError, ValidationError
from medianest.kit.schemas import Page

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(EmailTakenError, WeakPasswordError, MailUnavailableError)
    | SIGNED_IN_ERRORS,
)
async def create_user(
    body: UserCreate, admin: AdminPrincipal, accounts: AccountServiceDep, client: ClientDep
) -> Envelope[UserRead]:
    """Create a local account with a password, or invite the person by mail to choose one
    (503 `SERVICE_UNAVAILABLE` when mail is off or the mail server fails: nothing is
    created)."""
    user = await accounts.create_user(body, actor=admin, client=client)
    return ok(UserRead.model_validate(user))


@router.get("/users", responses=SIGNED_IN_ERRORS)
async def list_users(
    _admin: AdminPrincipal,
    accounts: AccountServiceDep,
    page: PageDep,
    query: Annotated[UserQuery, Query()],
) -> Envelope[Page[UserRead]]:
    """Every account, searchable by email, username or name; filter by role; sortable."""
    users, total = await accounts.list_users(query, offset=page.offset, limit=page.limit)
    items = [UserRead.model_validate(user) for user in users]
    return ok(Page[UserRead].build(items, page=page.page, limit=page.limit, total_items=total))


@router.get("/users/{user_id}", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS)
async def get_user(
    user_id: uuid.UUID, _admin: AdminPrincipal, accounts: AccountServiceDep
) -> Envelope[UserRead]:
    """One account."""
    return ok(UserRead.model_validate(await accounts.get_user(user_id)))


@router.delete(
    "/users/{user_id}", responses=error_responses(NotFoundError, ConflictError) | SIGNED_IN_ERRORS
)
async def delete_user(
    user_id: uuid.UUID, admin: AdminPrincipal, accounts: AccountServiceDep, client: ClientDep
) -> Envelope[None]:
    """Delete an account with its sessions and API keys. Not yourself, not the last admin."""
    await accounts.delete_user(user_id, actor=admin, client=client)
    return ok(None)


@router.post(
    "/users/{user_id}/revoke-sessions",
    responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS,
)
async def revoke_user_sessions(
    user_id: uuid.UUID, admin: AdminPrincipal, accounts: AccountServiceDep, client: ClientDep
) -> Envelope[SessionsRevokedRead]:
    """Sign a user out everywhere: every session ends at once."""
    ended = await accounts.revoke_user_sessions(user_id, actor=admin, client=client)
    return ok(SessionsRevokedRead(sessions_ended=ended))


@router.patch(
    "/users/{user_id}/role",
    responses=error_responses(NotFoundError, ConflictError, ValidationError) | SIGNED_IN_ERRORS,
)
async def change_user_role(
    user_id: uuid.UUID,
    body: RoleUpdate,
    admin: AdminPrincipal,
    accounts: AccountServiceDep,
    client: ClientDep,
) -> Envelope[UserRead]:
    """Make a user an admin or a user again. It applies to their very next request. The last
    admin cannot be demoted (409); demoting yourself needs `confirmSelfDemotion: true` (400
    without it)."""
    user = await accounts.change_role(
        user_id,
        body.role,
        actor=admin,
        client=client,
        confirm_self_demotion=body.confirm_self_demotion,
    )
    return ok(UserRead.model_validate(user))


@router.get("/audit-logs", responses=SIGNED_IN_ERRORS)
async def list_audit_logs(
    _admin: AdminPrincipal,
    audit: AuditServiceDep,
    page: PageDep,
    filters: Annotated[AuditLogFilter, Query()],
) -> Envelope[Page[AuditLogRead]]:
    """The audit trail, newest first: sign-ins (and failures), sign-outs, password and role
    changes, with actor, IP, user agent and correlation id."""
    rows, total = await audit.page(filters, offset=page.offset, limit=page.limit)
    items = [AuditLogRead.model_validate(row) for row in rows]
    return ok(
        Page[AuditLogRead].build(
            items,
            page=page.page,
            limit=page.limit,
            total_items=total.items,
            total_exact=total.exact,
        )
    )
