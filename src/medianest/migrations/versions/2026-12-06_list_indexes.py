"""list_indexes

Indexes in the lists' default order (`created_at`, then `id` for ties), for everyone's
rows, one status's and one user's, so a page is read from an index (forwards or backwards)
instead of sorting the whole table. The single-column indexes they start with go: each
new index serves what those did.

Revision ID: f598bd7246fe
Revises: afa0ac1842fe
Create Date: 2026-12-06 01:47:08.912250+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f598bd7246fe"
down_revision: str | None = "afa0ac1842fe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.create_index("ix_audit_logs_created_at_id", ["created_at", "id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_audit_logs_created_at"))

    with op.batch_alter_table("media_requests", schema=None) as batch_op:
        batch_op.create_index("ix_media_requests_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_media_requests_status_created_at_id", ["status", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_media_requests_user_id_created_at_id", ["user_id", "created_at", "id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_media_requests_status"))
        batch_op.drop_index(batch_op.f("ix_media_requests_user_id"))

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_user_id_created_at_id", ["user_id", "created_at", "id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_notifications_user_id_created_at"))

    with op.batch_alter_table("youtube_downloads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_youtube_downloads_created_at_id", ["created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_youtube_downloads_status_created_at_id",
            ["status", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_youtube_downloads_user_id_created_at_id",
            ["user_id", "created_at", "id"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_youtube_downloads_status"))
        batch_op.drop_index(batch_op.f("ix_youtube_downloads_user_id"))


def downgrade() -> None:
    with op.batch_alter_table("youtube_downloads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_youtube_downloads_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_youtube_downloads_status"), ["status"], unique=False)
        batch_op.drop_index("ix_youtube_downloads_user_id_created_at_id")
        batch_op.drop_index("ix_youtube_downloads_status_created_at_id")
        batch_op.drop_index("ix_youtube_downloads_created_at_id")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_user_id_created_at"),
            ["user_id", "created_at"],
            unique=False,
        )
        batch_op.drop_index("ix_notifications_user_id_created_at_id")

    with op.batch_alter_table("media_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_requests_status"), ["status"], unique=False)
        batch_op.drop_index("ix_media_requests_user_id_created_at_id")
        batch_op.drop_index("ix_media_requests_status_created_at_id")
        batch_op.drop_index("ix_media_requests_created_at_id")

    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_logs_created_at"), ["created_at"], unique=False)
        batch_op.drop_index("ix_audit_logs_created_at_id")
