"""A user's notifications on the dashboard, and admins' broadcasts."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from medianest.auth.deps import SIGNED_IN_ERRORS, AdminPrincipal, ClientDep, CurrentPrincipal
from medianest.http.deps import PageDep
from medianest.http.envelope import Envelope, ok
from medianest.http.openapi import error_responses
from medianest.kit.errors import NotFoundError, ValidationError
from medianest.kit.schemas import Pagination
from medianest.notifications.deps import NotificationServiceDep
from medianest.notifications.schemas import (
    BroadcastCreate,
    BroadcastSent,
    MarkedRead,
    NotificationPage,
    NotificationRead,
)

router = APIRouter(prefix="/dashboard/notifications", tags=["dashboard"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])

NotificationId = Annotated[uuid.UUID, Path(description="The notification's id.")]


@router.get("", responses=SIGNED_IN_ERRORS)
async def list_notifications(
    principal: CurrentPrincipal,
    notifications: NotificationServiceDep,
    page: PageDep,
    unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
) -> Envelope[NotificationPage]:
    """Your notifications, newest first, with how many are unread: request status changes,
    finished and failed downloads, and messages from the admins."""
    user_id = principal.user.id
    rows, total = await notifications.page(
        user_id, unread_only=unread, offset=page.offset, limit=page.limit
    )
    return ok(
        NotificationPage(
            items=[NotificationRead.model_validate(row) for row in rows],
            pagination=Pagination.build(
                page=page.page,
                limit=page.limit,
                total_items=total.items,
                total_exact=total.exact,
            ),
            unread_count=await notifications.unread_count(user_id),
        )
    )


@router.post("/read-all", responses=SIGNED_IN_ERRORS)
async def mark_all_notifications_read(
    principal: CurrentPrincipal, notifications: NotificationServiceDep
) -> Envelope[MarkedRead]:
    """Mark all your notifications read; says how many were unread."""
    return ok(MarkedRead(marked=await notifications.mark_all_read(principal.user.id)))


@router.post("/{notification_id}/read", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS)
async def mark_notification_read(
    notification_id: NotificationId,
    principal: CurrentPrincipal,
    notifications: NotificationServiceDep,
) -> Envelope[NotificationRead]:
    """Mark one of your notifications read."""
    row = await notifications.mark_read(principal.user.id, notification_id)
    return ok(NotificationRead.model_validate(row))


@router.delete("/{notification_id}", responses=error_responses(NotFoundError) | SIGNED_IN_ERRORS)
async def delete_notification(
    notification_id: NotificationId,
    principal: CurrentPrincipal,
    notifications: NotificationServiceDep,
) -> Envelope[None]:
    """Remove one of your notifications."""
    await notifications.delete(principal.user.id, notification_id)
    return ok(None)


@admin_router.post(
    "/notifications",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ValidationError) | SIGNED_IN_ERRORS,
)
async def broadcast_notification(
    body: BroadcastCreate,
    admin: AdminPrincipal,
    notifications: NotificationServiceDep,
    client: ClientDep,
) -> Envelope[BroadcastSent]:
    """Send a notification to the users named in `userIds`, or to every active user. Each
    gets it in their notifications and, when connected, as a `system:notification` event."""
    sent = await notifications.broadcast(body, actor_id=admin.user.id, client=client)
    return ok(BroadcastSent(recipients=sent))
