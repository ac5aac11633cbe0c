"""list_indexes_audit_unread

The audit log filtered by actor or by action, and a user's unread notifications (their list
and the unread count every page of notifications shows), read from indexes in the lists'
order (`created_at`, then `id`), the unread ones from a partial index of those alone. The
audit log's single-column indexes go: each new index serves what its first column did
(`actor_id` also for `ON DELETE SET NULL`).

Revision ID: 2ea4894386f8
Revises: f598bd7246fe
Create Date: 2026-12-06 08:47:25.624035+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2ea4894386f8"
down_revision: str | None = "f598bd7246fe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_logs_action"))
        batch_op.drop_index(batch_op.f("ix_audit_logs_actor_id"))
        batch_op.create_index(
            "ix_audit_logs_action_created_at_id", ["action", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_logs_actor_id_created_at_id", ["actor_id", "created_at", "id"], unique=False
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_unread_user_id_created_at_id",
            ["user_id", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_notifications_unread_user_id_created_at_id",
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )

    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_logs_actor_id_created_at_id")
        batch_op.drop_index("ix_audit_logs_action_created_at_id")
        batch_op.create_index(batch_op.f("ix_audit_logs_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_logs_action"), ["action"], unique=False)
