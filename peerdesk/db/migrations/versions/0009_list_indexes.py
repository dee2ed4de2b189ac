"""Indexes for the orders the lists offer and the rota's monthly top-up, so each answers its first
page without reading the whole history.

- Session logs sorted by volunteer: SQLite walks the volunteers in name order (name, then id, so
  two people called Sam never interleave) and each one's logs by start time; without
  `ix_volunteers_name` it read every log through another index and sorted them all (1.4 s on the
  large demo). Supervision sessions by supervisor likewise (`ix_users_display_name`). Venues and
  activities already have unique names, indexed. Only indexes are added: no table is rebuilt.
- Shifts and logs by venue or activity: the same walk needs each one's rows by start time
  (`ix_shifts_venue_starts` exists; `ix_shifts_activity_starts` replaces the index on activity
  alone, which it covers).
- `keep_rota_ahead` asks each live pattern for its latest shift at every coordinator's sign-in:
  `ix_shifts_pattern_starts` answers that from the index's end instead of reading every shift.

Revision ID: 0009_list_indexes
Revises: 0008_first_password
Create Date: 2026-12-07
"""

from alembic import op

revision = "0009_list_indexes"
down_revision = "0008_first_password"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_volunteers_name", "volunteers", ["preferred_name", "id"], unique=False)
    op.create_index("ix_users_display_name", "users", ["display_name", "id"], unique=False)
    op.drop_index("ix_shifts_activity_id", table_name="shifts")
    op.create_index(
        "ix_shifts_activity_starts", "shifts", ["activity_id", "starts_at"], unique=False
    )
    op.create_index("ix_shifts_pattern_starts", "shifts", ["pattern_id", "starts_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_shifts_pattern_starts", table_name="shifts")
    op.drop_index("ix_shifts_activity_starts", table_name="shifts")
    op.create_index("ix_shifts_activity_id", "shifts", ["activity_id"], unique=False)
    op.drop_index("ix_users_display_name", table_name="users")
    op.drop_index("ix_volunteers_name", table_name="volunteers")
