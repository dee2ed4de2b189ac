"""The one table only a group on a PostgreSQL server uses: its keyslots (see
`peerdesk.db.server_store`). A plain table, not a mapped class: it is read and written by the
store before anyone has signed in, never through the audited ORM session (a sign-in attempt
changes it, and the audit trail records sign-ins in its own words)."""

from sqlalchemy import CheckConstraint, Column, Integer, Table, Text

from peerdesk.models.base import Base

server_keys = Table(
    "server_keys",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("document", Text, nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)
