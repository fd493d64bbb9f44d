"""The history tables: sessions, reps, findings, artefacts.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("exercise_version", sa.Integer(), nullable=True),
        sa.Column("video_hash", sa.String(64), nullable=True),
        sa.Column("model", sa.String(16), nullable=True),
        sa.Column("mirrored", sa.Boolean(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("view", sa.String(16), nullable=True),
        sa.Column("lunge_type", sa.String(16), nullable=True),
        sa.Column("reps_left", sa.Integer(), nullable=True),
        sa.Column("reps_right", sa.Integer(), nullable=True),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("lowering_median_s", sa.Float(), nullable=True),
        sa.Column("rise_median_s", sa.Float(), nullable=True),
        sa.Column("depth_median", sa.Float(), nullable=True),
        sa.Column("analysis_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_created_at", "sessions", ["created_at"])
    op.create_index("ix_sessions_week", "sessions", ["week"])
    op.create_index("ix_sessions_lookup", "sessions",
                    ["video_hash", "model", "exercise_id", "exercise_version"])
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("set", sa.Integer(), nullable=True),
        sa.Column("leg", sa.String(8), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=True),
        sa.Column("bottom_s", sa.Float(), nullable=True),
        sa.Column("end_s", sa.Float(), nullable=True),
        sa.Column("lowering_s", sa.Float(), nullable=True),
        sa.Column("bottom_hold_s", sa.Float(), nullable=True),
        sa.Column("rise_s", sa.Float(), nullable=True),
        sa.Column("depth", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], name=op.f("fk_reps_session_id_sessions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reps")),
    )
    op.create_index(op.f("ix_reps_session_id"), "reps", ["session_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("rep", sa.Integer(), nullable=True),
        sa.Column("leg", sa.String(8), nullable=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("measured", sa.Float(), nullable=True),
        sa.Column("limit", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(16), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_findings_session_id_sessions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_session_id"), "findings", ["session_id"])
    op.create_table(
        "artefacts",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"],
                                name=op.f("fk_artefacts_session_id_sessions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "kind", name=op.f("pk_artefacts")),
    )


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("artefacts")
    op.drop_index(op.f("ix_findings_session_id"), table_name="findings")
    op.drop_table("findings")
    op.drop_index(op.f("ix_reps_session_id"), table_name="reps")
    op.drop_table("reps")
    op.drop_index("ix_sessions_lookup", table_name="sessions")
    op.drop_index("ix_sessions_week", table_name="sessions")
    op.drop_index("ix_sessions_created_at", table_name="sessions")
    op.drop_table("sessions")
