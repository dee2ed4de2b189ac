"""Indexes so that the people pages and the Today page read the people and the open items, not
ten years of history (issue 18, item 2).

- Overdue check-outs (Today, for coordinators): `ix_lone_working_checks_open` finds the checks
  with no check-out whose expected end is in the last week; without it every lone-working check
  ever made was read.
- Open agreed actions past their date (Today's figures): `ix_supervision_actions_status_due`.
- The supervision follow-up queue, oldest first: `ix_follow_ups_status_created` reads the open
  ones in order instead of every closed debrief request and sorting.
- The courses list's completions and last completion per course:
  `ix_training_completions_course_completed` answers both from the index (the last from its
  end); it covers and replaces the index on the course alone.

Only indexes: no table is rebuilt and no data changes; the same on SQLite and PostgreSQL.

Revision ID: 0018_people_indexes
Revises: 0016_server_keys
Create Date: 2026-12-08
"""

from alembic import op

revision = "0018_people_indexes"
down_revision = "0017_sealed_contact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_lone_working_checks_open",
        "lone_working_checks",
        ["checked_out_at", "expected_end_at"],
        unique=False,
    )
    op.create_index(
        "ix_supervision_actions_status_due", "supervision_actions", ["status", "due_on"]
    )
    op.create_index("ix_follow_ups_status_created", "follow_ups", ["status", "created_at"])
    op.drop_index("ix_training_completions_course_id", table_name="training_completions")
    op.create_index(
        "ix_training_completions_course_completed",
        "training_completions",
        ["course_id", "completed_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_training_completions_course_completed", table_name="training_completions")
    op.create_index("ix_training_completions_course_id", "training_completions", ["course_id"])
    op.drop_index("ix_follow_ups_status_created", table_name="follow_ups")
    op.drop_index("ix_supervision_actions_status_due", table_name="supervision_actions")
    op.drop_index("ix_lone_working_checks_open", table_name="lone_working_checks")
