"""Audit events commit to a salted hash of their changes, so a person's data can later be erased
from the trail (changes and salt blanked) without breaking the hash chain. The append-only
trigger now allows exactly that one update and nothing else.

Revision ID: 0003_audit_scrubbable
Revises: 0002_audit_append_only
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_audit_scrubbable"
down_revision = "0002_audit_append_only"
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"
# An update may only blank changes and salt and set scrubbed_at; every other column stays.
SCRUB_ONLY = (
    "NEW.changes IS NULL AND NEW.changes_salt IS NULL AND NEW.scrubbed_at IS NOT NULL"
    " AND NEW.seq = OLD.seq AND NEW.occurred_at = OLD.occurred_at"
    " AND NEW.user_id IS OLD.user_id AND NEW.action = OLD.action"
    " AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id"
    " AND NEW.changes_hash = OLD.changes_hash AND NEW.prev_hash = OLD.prev_hash"
    " AND NEW.hash = OLD.hash"
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("changes_salt", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("changes_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("scrubbed_at", sa.DateTime(timezone=True), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER audit_events_no_update ON audit_events")
        op.execute(
            "CREATE FUNCTION audit_events_scrub_only() RETURNS trigger AS $$ BEGIN "
            f"IF {SCRUB_ONLY.replace(' IS OLD.', ' IS NOT DISTINCT FROM OLD.')} "
            f"THEN RETURN NEW; END IF; RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_scrub_only()"
        )
        return
    # Batch mode recreated the table, which drops its triggers: put both back.
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    op.execute(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        f"WHEN NOT ({SCRUB_ONLY}) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER audit_events_no_update" + (" ON audit_events" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION audit_events_scrub_only()")
    else:
        op.execute("DROP TRIGGER audit_events_no_delete")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("scrubbed_at")
        batch.drop_column("changes_hash")
        batch.drop_column("changes_salt")
    if postgres:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for verb in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb} BEFORE {verb.upper()} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
