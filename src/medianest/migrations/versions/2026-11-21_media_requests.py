"""media_requests

Revision ID: 49ddc3e26791
Revises: d1157e4e54a8
Create Date: 2026-11-21 07:47:08.221065+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from medianest.db import types as db_types

revision: str = "49ddc3e26791"
down_revision: str | None = "d1157e4e54a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_requests",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "media_type",
            sa.Enum("movie", "tv", name="mediatype", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("tmdb_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("poster_path", sa.String(length=500), nullable=True),
        sa.Column("seasons", sa.JSON(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "processing",
                "partially_available",
                "available",
                "declined",
                "failed",
                name="requeststatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("overseerr_request_id", sa.Integer(), nullable=True),
        sa.Column("overseerr_user_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("status_changed_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_media_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_requests")),
    )
    with op.batch_alter_table("media_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_requests_overseerr_request_id"),
            ["overseerr_request_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_media_requests_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_media_requests_open_per_user",
            ["user_id", "media_type", "tmdb_id"],
            unique=True,
            sqlite_where=sa.text(
                "status IN ('approved', 'partially_available', 'pending', 'processing')"
            ),
            postgresql_where=sa.text(
                "status IN ('approved', 'partially_available', 'pending', 'processing')"
            ),
        )

    op.create_table(
        "request_comments",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_request_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["media_requests.id"],
            name=op.f("fk_request_comments_request_id_media_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_comments")),
    )
    with op.batch_alter_table("request_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_comments_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "request_status_changes",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "pending",
                "approved",
                "processing",
                "partially_available",
                "available",
                "declined",
                "failed",
                name="requeststatus",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "pending",
                "approved",
                "processing",
                "partially_available",
                "available",
                "declined",
                "failed",
                name="requeststatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "user",
                "admin",
                "webhook",
                "reconciliation",
                name="changesource",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_request_status_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["media_requests.id"],
            name=op.f("fk_request_status_changes_request_id_media_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_status_changes")),
    )
    with op.batch_alter_table("request_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_status_changes_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("request_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_status_changes_request_id"))

    op.drop_table("request_status_changes")
    with op.batch_alter_table("request_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_comments_request_id"))

    op.drop_table("request_comments")
    with op.batch_alter_table("media_requests", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_media_requests_open_per_user",
            sqlite_where=sa.text(
                "status IN ('approved', 'partially_available', 'pending', 'processing')"
            ),
            postgresql_where=sa.text(
                "status IN ('approved', 'partially_available', 'pending', 'processing')"
            ),
        )
        batch_op.drop_index(batch_op.f("ix_media_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_media_requests_status"))
        batch_op.drop_index(batch_op.f("ix_media_requests_overseerr_request_id"))

    op.drop_table("media_requests")
