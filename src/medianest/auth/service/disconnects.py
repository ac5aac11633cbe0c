"""Ending socket.io connections whose right to exist a change has just taken away."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from medianest.db.engine import after_commit
from medianest.realtime.disconnects import Disconnector


def disconnect_after_commit(
    db: AsyncSession,
    disconnector: Disconnector | None,
    user_id: uuid.UUID,
    *,
    session_id: uuid.UUID | None = None,
) -> None:
    """End the user's socket.io connections (only the session's, given one) on every server
    process, once the change that ends their right to them is committed. Without a
    disconnector (the CLI, tests) they are left alone."""
    if disconnector is None:
        return

    async def disconnect() -> None:
        if session_id is None:
            await disconnector.disconnect_user(user_id)
        else:
            await disconnector.disconnect_session(user_id, session_id)

    after_commit(db, disconnect)
