"""monitoring_notifications_error_reports

Revision ID: 9dc7bd68da93
Revises: ef0e82ae0ba9
Create Date: 2026-11-21 10:39:10.374352+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from medianest.db import types as db_types

revision: str = "9dc7bd68da93"
down_revision: str | None = "ef0e82ae0ba9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_checks",
        sa.Column("service", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response_ms", sa.Float(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("checked_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_checks")),
    )
    with op.batch_alter_table("service_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_checks_checked_at"), ["checked_at"], unique=False
        )
        batch_op.create_index(
            "ix_service_checks_service_checked_at", ["service", "checked_at"], unique=False
        )

    op.create_table(
        "error_reports",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("stack_trace", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_error_reports_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_reports")),
    )
    with op.batch_alter_table("error_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_error_reports_correlation_id"), ["correlation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_error_reports_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_error_reports_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_error_reports_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("read_at", db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_user_id_created_at", ["user_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_notifications_created_at"))

    op.drop_table("notifications")
    with op.batch_alter_table("error_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_error_reports_user_id"))
        batch_op.drop_index(batch_op.f("ix_error_reports_source"))
        batch_op.drop_index(batch_op.f("ix_error_reports_created_at"))
        batch_op.drop_index(batch_op.f("ix_error_reports_correlation_id"))

    op.drop_table("error_reports")
    with op.batch_alter_table("service_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_service_checks_service_checked_at")
        batch_op.drop_index(batch_op.f("ix_service_checks_checked_at"))

    op.drop_table("service_checks")
