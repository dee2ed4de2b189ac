"""The audit trail's record ids are wide enough for a link-table row, and on PostgreSQL its
append-only triggers refuse with an integrity error, as SQLite's do.

- `audit_events.entity_id` was VARCHAR(64), but a link-table row's id is its two UUIDs joined by
  "/" (73 characters). PostgreSQL refuses the longer value; SQLite never enforces a VARCHAR
  length, so it stored them all along. On PostgreSQL the column is widened in place (no row is
  rewritten, so the append-only triggers are not involved). On SQLite only the declared type
  changes: rebuilding the table in batch mode would copy and drop the audit trail under its
  append-only triggers, and rewrite the whole trail for no change to any stored value. SQLite's
  own documented way to change a declaration that does not alter what is stored is to edit the
  schema text (PRAGMA writable_schema, then bump schema_version so every connection re-reads
  it); TEXT affinity is the same before and after, so the file's contents stay valid.
- PostgreSQL's trigger functions raised a plain exception (SQLSTATE P0001, which SQLAlchemy
  reports as a ProgrammingError); they now raise integrity_constraint_violation (23000), so an
  attempt to change the trail is an IntegrityError on both engines.

Stepping back: SQLite's declaration goes back to VARCHAR(64). PostgreSQL's column is narrowed
only while no id is longer than 64 characters; a trail that already holds link-table rows keeps
the wider column (the older peerdesk reads it the same), and upgrading again is a no-op for it.

Revision ID: 0014_audit_entity_width
Revises: 0013_outcomes
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_audit_entity_width"
down_revision = "0013_outcomes"
branch_labels = None
depends_on = None

OLD_WIDTH = 64
NEW_WIDTH = 200  # five UUIDs and their separators: room for any composite key we have
MESSAGE = "audit events are append-only"
# As in 0003: an update may only blank changes and salt and set scrubbed_at.
SCRUB_ONLY = (
    "NEW.changes IS NULL AND NEW.changes_salt IS NULL AND NEW.scrubbed_at IS NOT NULL"
    " AND NEW.seq = OLD.seq AND NEW.occurred_at = OLD.occurred_at"
    " AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.action = OLD.action"
    " AND NEW.entity_type IS NOT DISTINCT FROM OLD.entity_type"
    " AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id"
    " AND NEW.changes_hash = OLD.changes_hash AND NEW.prev_hash = OLD.prev_hash"
    " AND NEW.hash = OLD.hash"
)


def _refusal(errcode: bool) -> str:
    return f"RAISE EXCEPTION '{MESSAGE}'" + (
        " USING ERRCODE = 'integrity_constraint_violation'" if errcode else ""
    )


def _postgres_triggers(errcode: bool) -> None:
    """Replace the bodies of the two trigger functions (0002, 0003); the triggers stay."""
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        f"BEGIN {_refusal(errcode)}; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_events_scrub_only() RETURNS trigger AS $$ BEGIN "
        f"IF {SCRUB_ONLY} THEN RETURN NEW; END IF; {_refusal(errcode)}; END; $$ "
        "LANGUAGE plpgsql"
    )


def _sqlite_declare(width_from: int, width_to: int) -> None:
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'"
    ).scalar_one()
    before = f"entity_id VARCHAR({width_from})"
    if before not in sql:
        return  # already declared so (stepped back and up again)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.execute(
            sa.text(
                "UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'audit_events'"
            ),
            {"sql": sql.replace(before, f"entity_id VARCHAR({width_to})")},
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "audit_events",
            "entity_id",
            type_=sa.String(NEW_WIDTH),
            existing_type=sa.String(OLD_WIDTH),
            existing_nullable=True,
        )
        _postgres_triggers(errcode=True)
        return
    _sqlite_declare(OLD_WIDTH, NEW_WIDTH)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgres_triggers(errcode=False)
        longest = bind.exec_driver_sql("SELECT max(length(entity_id)) FROM audit_events").scalar()
        if (longest or 0) <= OLD_WIDTH:
            op.alter_column(
                "audit_events",
                "entity_id",
                type_=sa.String(OLD_WIDTH),
                existing_type=sa.String(NEW_WIDTH),
                existing_nullable=True,
            )
        return
    _sqlite_declare(NEW_WIDTH, OLD_WIDTH)
