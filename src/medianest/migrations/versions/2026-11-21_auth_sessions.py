"""Auth: refresh-token reuse detection on sessions, user agent in the audit log.

Revision ID: 0e5d48df555c
Revises: 5934dc969681
Create Date: 2026-11-21 05:33:46.003649+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0e5d48df555c"
down_revision: str | None = "5934dc969681"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_agent", sa.String(length=500), nullable=True))

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("previous_refresh_token_hash", sa.String(length=128), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("previous_refresh_token_hash")

    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.drop_column("user_agent")
