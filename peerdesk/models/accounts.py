"""Accounts, the audit trail and the record of exported reports.

The audit trail is append-only: each event carries the hash of the one before it, so removing or
altering an event is detectable. Confidential fields are recorded only as "changed".
"""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Base, Record, str_enum, utcnow


class UserRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    SUPERVISOR = "supervisor"
    VOLUNTEER = "volunteer"
    TRUSTEE = "trustee"


class ReportKind(enum.StrEnum):
    GOVERNANCE = "governance"
    ROTA = "rota"
    VOLUNTEER_RECORD = "volunteer_record"


class User(Record):
    __tablename__ = "users"
    # Supervision sessions sorted by supervisor walk people in name order (migration 0009).
    __table_args__ = (Index("ix_users_display_name", "display_name", "id"),)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "role"))
    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="SET NULL"), unique=True
    )
    # The password or PIN itself is checked by the user's keyslot (Argon2id + AES-GCM, in the
    # keys file beside the database), which also counts failed attempts: a database nobody has
    # unlocked cannot record them.
    uses_pin: Mapped[bool] = mapped_column(default=False)
    # Set when a coordinator gave (or reset) the password: it was seen by someone else, so the
    # person chooses their own at their next sign-in before they can do anything.
    must_change_secret: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_sign_in_at: Mapped[datetime | None]
    # The person's own X25519 key (see docs/keys.md): the public half in clear, so others can
    # seal to them; the private half is wrapped in their keyslot, and a copy is sealed to the
    # coordinators' group key so a coordinator can give it to a new keyslot after a reset.
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), info={"confidential": True})
    escrowed_key: Mapped[str | None] = mapped_column(Text, info={"confidential": True})


class AuditEvent(Base):
    """One thing someone did. Never updated or deleted; `seq` orders the hash chain."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity_type", "entity_id"),
        Index("ix_audit_events_user_occurred", "user_id", "occurred_at"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str | None] = mapped_column(String(60))
    # A link-table row's id is its two UUIDs joined by "/": 73 characters (0014 widened it).
    entity_id: Mapped[str | None] = mapped_column(String(200))
    # JSON: {"field": [old, new]} for ordinary fields, {"field": "changed"} for confidential ones.
    changes: Mapped[str | None] = mapped_column(Text)
    # The chain covers sha256(salt + changes), not the changes themselves, so erasing a person
    # can blank `changes` and `changes_salt` and the chain still verifies (see services.audit).
    changes_salt: Mapped[str | None] = mapped_column(String(32))
    changes_hash: Mapped[str] = mapped_column(String(64), default="")
    scrubbed_at: Mapped[datetime | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ReportExport(Record):
    """A report that was exported: enough to verify the file later and to show sign-off."""

    __tablename__ = "report_exports"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_ends_after_start"),
        Index("ix_report_exports_kind_period", "kind", "period_start", "period_end"),
    )

    report_code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, "kind"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    exported_at: Mapped[datetime] = mapped_column(default=utcnow)
    exported_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    figures_sha256: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # The coordinator's narrative (JSON of sections), stored with the report.
    narrative: Mapped[str | None] = mapped_column(Text)


class ReportSignOff(Record):
    """A trustee's sign-off of a recorded report."""

    __tablename__ = "report_sign_offs"

    report_export_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("report_exports.id", ondelete="CASCADE"), index=True
    )
    signed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    comment: Mapped[str | None] = mapped_column(Text)
