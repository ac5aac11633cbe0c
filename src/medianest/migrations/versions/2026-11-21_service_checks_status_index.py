"""service_checks_status_index

Revision ID: afa0ac1842fe
Revises: 9dc7bd68da93
Create Date: 2026-11-21 11:28:21.901361+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "afa0ac1842fe"
down_revision: str | None = "9dc7bd68da93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_checks_service_status_checked_at",
            ["service", "status", "checked_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("service_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_service_checks_service_status_checked_at")
