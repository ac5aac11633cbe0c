"""youtube_downloads

Revision ID: ef0e82ae0ba9
Revises: 49ddc3e26791
Create Date: 2026-11-21 08:07:52.587559+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from medianest.db import types as db_types

revision: str = "ef0e82ae0ba9"
down_revision: str | None = "49ddc3e26791"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "youtube_downloads",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column(
            "quality",
            sa.Enum(
                "best",
                "2160p",
                "1440p",
                "1080p",
                "720p",
                "480p",
                "360p",
                "audio",
                name="quality",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "format",
            sa.Enum(
                "mp4", "mkv", "webm", "mp3", "m4a", name="container", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("audio_only", sa.Boolean(), nullable=False),
        sa.Column("playlist_items", sa.String(length=300), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "completed",
                "failed",
                "cancelled",
                name="downloadstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("playlist_title", sa.String(length=500), nullable=True),
        sa.Column("is_playlist", sa.Boolean(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("speed", sa.Float(), nullable=True),
        sa.Column("eta", sa.Integer(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_expires_at", db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_youtube_downloads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_youtube_downloads")),
    )
    with op.batch_alter_table("youtube_downloads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_youtube_downloads_lease_expires_at"), ["lease_expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_youtube_downloads_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_youtube_downloads_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("youtube_downloads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_youtube_downloads_user_id"))
        batch_op.drop_index(batch_op.f("ix_youtube_downloads_status"))
        batch_op.drop_index(batch_op.f("ix_youtube_downloads_lease_expires_at"))

    op.drop_table("youtube_downloads")
