"""Keys by role for the rest of the confidential values: wellbeing words, session-log notes, DBS
certificate numbers, contact details (address, emergency contact) and equality answers.

No table changes on SQLite: a sealed value is text in the same column, and SQLite does not
enforce a VARCHAR's length. Elsewhere (PostgreSQL) the short columns are widened to TEXT, as a
sealed value is far longer than the clear one. The values already stored are sealed at the first
coordinator's sign-in after this upgrade, not here (sealing needs the group key, which only a
signed-in coordinator holds; see docs/keys.md), as for 0012.

Revision ID: 0015_sealed_more
Revises: 0014_audit_entity_width
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_sealed_more"
down_revision = "0014_audit_entity_width"
branch_labels = None
depends_on = None

# (table, column, its length before): each now holds a sealed value.
WIDENED = (
    ("dbs_checks", "certificate_number", 20),
    ("volunteers", "emergency_contact_name", 200),
    ("volunteers", "emergency_contact_phone", 40),
    ("equality_monitoring", "age_band", 40),
    *(
        ("equality_monitoring", column, 100)
        for column in (
            "gender",
            "ethnicity",
            "disability",
            "sexual_orientation",
            "religion",
            "lived_experience",
        )
    ),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # no rebuild: lengths are not enforced, and the audit trail refers to these rows
    for table, column, length in WIDENED:
        op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    """The columns stay wide: sealed values would not fit back, and a value sealed to the
    group key must not be cut (an older peerdesk shows it as sealed text, as after 0012)."""
