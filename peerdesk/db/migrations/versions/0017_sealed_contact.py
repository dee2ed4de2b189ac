"""Keys by role for email and phone, and the old audit events that recorded sealed values.

- `volunteers.email_index`: the keyed blind index an import matches emails by
  (`db/blind_index.py`); filled at the first coordinator's sign-in, as only a coordinator holds
  the group key its key comes from.
- Email and phone already stored are sealed here, to the current group key and the person's
  accounts: sealing needs only their public keys. Before any group key exists (an older folder
  not yet signed into) they stay in clear and are sealed at the first coordinator's sign-in.
- Audit events written before a field was sealed (address and emergency contact before 0015,
  email and phone before this) hold its old and new values in clear. They are scrubbed, as
  erasing a person scrubs them: their `changes` and salt blanked, the changes' hash kept, so the
  hash chain still verifies; one event is appended saying which events and why. Rewriting
  those events' changes instead would change their hashes and break the chain.
- On PostgreSQL email and phone become TEXT (a sealed value is longer).

Stepping back drops the index; sealed values stay sealed and scrubbed events stay scrubbed
(neither can be undone without the keys or the erased text; an older peerdesk shows sealed
text as it is, as after 0012).

Revision ID: 0017_sealed_contact
Revises: 0016_server_keys
Create Date: 2026-12-08
"""

import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from peerdesk import clock
from peerdesk.db.audit import GENESIS, chained_event
from peerdesk.db.sealing import PREFIX, group_recipient, seal, user_recipient
from peerdesk.models.base import UTCDateTime

revision = "0017_sealed_contact"
down_revision = "0016_server_keys"
branch_labels = None
depends_on = None

SEALED_NOW = (("email", 254), ("phone", 40))
# Every column sealed by this revision, by table, as the audit trail names them.
SEALED_FIELDS = {
    "volunteers": {
        "email",
        "phone",
        "address",
        "emergency_contact_name",
        "emergency_contact_phone",
        "notes",
        "leaving_reason",
    },
    "dbs_checks": {"certificate_number"},
    "equality_monitoring": {
        "age_band",
        "gender",
        "ethnicity",
        "disability",
        "sexual_orientation",
        "religion",
        "lived_experience",
    },
    "session_logs": {"notes"},
    "supervision_attendees": {"wellbeing_check"},
    "safeguarding_concerns": {"what_happened", "action_taken"},
    "concern_actions": {"description"},
    "supervision_notes": {"body"},
    "feedback_answers": {"words"},
    "goals": {"wording"},
}
ACTION = "seal_in_trail"


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("volunteers", sa.Column("email_index", sa.String(64), nullable=True))
    op.create_index("ix_volunteers_email_index", "volunteers", ["email_index"])
    if bind.dialect.name != "sqlite":  # SQLite does not enforce lengths (see 0015)
        for column, length in SEALED_NOW:
            op.alter_column("volunteers", column, type_=sa.Text(), existing_type=sa.String(length))
    _seal_contact(bind)
    _scrub_clear_values(bind)


def downgrade() -> None:
    op.drop_index("ix_volunteers_email_index", "volunteers")
    op.drop_column("volunteers", "email_index")


def _seal_contact(bind: sa.Connection) -> None:
    group = bind.execute(
        sa.text(
            "SELECT id, public_key FROM group_keys WHERE retired_at IS NULL "
            "ORDER BY created_at DESC LIMIT 1"
        )
    ).first()
    if group is None:
        return  # sealed at the first coordinator's sign-in (keyring.seal_existing)
    volunteers = sa.table(
        "volunteers",
        sa.column("id", sa.Uuid()),
        sa.column("email", sa.Text()),
        sa.column("phone", sa.Text()),
    )
    users = sa.table(
        "users",
        sa.column("id", sa.Uuid()),
        sa.column("volunteer_id", sa.Uuid()),
        sa.column("public_key", sa.LargeBinary()),
        sa.column("active", sa.Boolean()),
    )
    group_to = {group_recipient(_uuid(group.id)): bytes(group.public_key)}
    accounts: dict[uuid.UUID, dict[str, bytes]] = {}
    for user_id, volunteer_id, public in bind.execute(
        sa.select(users.c.id, users.c.volunteer_id, users.c.public_key).where(
            users.c.volunteer_id.is_not(None), users.c.public_key.is_not(None), users.c.active
        )
    ):
        accounts.setdefault(volunteer_id, {})[user_recipient(user_id)] = bytes(public)
    in_clear = sa.or_(
        *(
            volunteers.c[c].is_not(None) & volunteers.c[c].not_like(PREFIX + "%")
            for c, _ in SEALED_NOW
        )
    )
    for row in bind.execute(sa.select(volunteers).where(in_clear)).all():
        to = group_to | accounts.get(row.id, {})
        sealed = {
            c: seal(getattr(row, c), to)
            for c, _ in SEALED_NOW
            if getattr(row, c) is not None and not getattr(row, c).startswith(PREFIX)
        }
        bind.execute(sa.update(volunteers).where(volunteers.c.id == row.id).values(**sealed))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _holds_clear_value(table: str, changes: str) -> bool:
    """Whether an event's changes hold a sealed field's value in clear (an old and new pair,
    not "changed"), rather than a sealed value or none."""
    try:
        found = json.loads(changes)
    except ValueError:
        return False
    if not isinstance(found, dict):
        return False
    for field in SEALED_FIELDS[table] & found.keys():
        value = found[field]
        pair = value if isinstance(value, list) else []
        if any(isinstance(v, str) and not v.startswith(PREFIX) for v in pair):
            return True
    return False


def _scrub_clear_values(bind: sa.Connection) -> None:
    events = sa.table(
        "audit_events",
        sa.column("seq", sa.Integer()),
        sa.column("occurred_at", UTCDateTime()),
        sa.column("user_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("entity_type", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("changes", sa.Text()),
        sa.column("changes_salt", sa.String()),
        sa.column("changes_hash", sa.String()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
        sa.column("scrubbed_at", UTCDateTime()),
    )
    rows = bind.execute(
        sa.select(events.c.seq, events.c.entity_type, events.c.changes).where(
            events.c.entity_type.in_(SEALED_FIELDS),
            events.c.changes.is_not(None),
            events.c.scrubbed_at.is_(None),
        )
    )
    wanted = sorted(seq for seq, table, changes in rows if _holds_clear_value(table, changes))
    if not wanted:
        return
    now = clock.now()
    for start in range(0, len(wanted), 500):  # the update trigger allows only this
        bind.execute(
            sa.update(events)
            .where(events.c.seq.in_(wanted[start : start + 500]))
            .values(changes=None, changes_salt=None, scrubbed_at=now)
        )
    head = bind.execute(sa.select(events.c.hash).order_by(events.c.seq.desc()).limit(1))
    scrubbed = {"events": len(wanted), "first": wanted[0], "last": wanted[-1]}
    said = chained_event(head.scalar() or GENESIS, ACTION, changes=scrubbed)
    bind.execute(
        sa.insert(events).values(
            occurred_at=said.occurred_at,
            action=said.action,
            changes=said.changes,
            changes_salt=said.changes_salt,
            changes_hash=said.changes_hash,
            prev_hash=said.prev_hash,
            hash=said.hash,
        )
    )
