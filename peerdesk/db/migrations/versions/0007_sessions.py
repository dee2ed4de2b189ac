"""The Sessions page filters the logs by activity, newest first: index session_logs by activity
and start time together (replacing the index on activity alone, which it covers). Without it,
the first page of one activity's logs sorted every one of them (0.5 s on ten years of data).

Revision ID: 0007_sessions
Revises: 0005_course_requirements_by_role
Create Date: 2026-11-26
"""

from alembic import op

revision = "0007_sessions"
down_revision = "0006_rota_policies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_session_logs_activity_id", table_name="session_logs")
    op.create_index(
        "ix_session_logs_activity_started",
        "session_logs",
        ["activity_id", "started_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_session_logs_activity_started", table_name="session_logs")
    op.create_index("ix_session_logs_activity_id", "session_logs", ["activity_id"], unique=False)
