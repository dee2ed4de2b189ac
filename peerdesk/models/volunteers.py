"""Volunteers: the person, their roles, status history, DBS checks, availability and the
optional equality monitoring (kept in its own table, reported only in aggregate)."""

import enum
import uuid
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

from peerdesk.models.base import Base, Record, str_enum
from peerdesk.models.organisation import Role

_CONFIDENTIAL = {"confidential": True}


def _sealed(length: int) -> TypeEngine[str]:
    """A column that holds a sealed value (docs/keys.md): its old length on SQLite, which does
    not enforce it (so the table is not rebuilt), TEXT elsewhere (migration 0015)."""
    return String(length).with_variant(Text(), "postgresql")


class VolunteerStatus(enum.StrEnum):
    APPLICANT = "applicant"
    INDUCTION = "induction"
    PROBATION = "probation"
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class DBSLevel(enum.StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED = "enhanced_barred"


class VolunteerRole(Base):
    """Which roles a volunteer holds."""

    __tablename__ = "volunteer_roles"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("roles.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    since: Mapped[date | None]


class Volunteer(Record):
    __tablename__ = "volunteers"
    __table_args__ = (
        CheckConstraint(
            "left_on IS NULL OR started_on IS NULL OR left_on >= started_on",
            name="left_after_start",
        ),
        Index("ix_volunteers_status_name", "status", "preferred_name"),
        # Lists sorted by volunteer walk people in name order (migration 0009).
        Index("ix_volunteers_name", "preferred_name", "id"),
    )

    preferred_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100), index=True)
    pronouns: Mapped[str | None] = mapped_column(String(40))
    # Sealed (docs/keys.md) like the address below, so neither sorted nor searched in SQL.
    email: Mapped[str | None] = mapped_column(_sealed(254), info=_CONFIDENTIAL)
    phone: Mapped[str | None] = mapped_column(_sealed(40), info=_CONFIDENTIAL)
    # A keyed hash of the normalised email (`db/blind_index.py`), so an import can find the
    # same person without opening every address; it shows only which emails are equal.
    email_index: Mapped[str | None] = mapped_column(String(64), index=True)
    # Sealed (docs/keys.md), so audited as "changed" only. SQLite keeps the old lengths
    # (unenforced), elsewhere TEXT (migration 0015).
    address: Mapped[str | None] = mapped_column(Text, info=_CONFIDENTIAL)
    emergency_contact_name: Mapped[str | None] = mapped_column(_sealed(200), info=_CONFIDENTIAL)
    emergency_contact_phone: Mapped[str | None] = mapped_column(_sealed(40), info=_CONFIDENTIAL)
    status: Mapped[VolunteerStatus] = mapped_column(
        str_enum(VolunteerStatus, "status"), default=VolunteerStatus.APPLICANT
    )
    started_on: Mapped[date | None]
    left_on: Mapped[date | None]
    leaving_reason: Mapped[str | None] = mapped_column(Text, info={"confidential": True})
    notes: Mapped[str | None] = mapped_column(Text, info={"confidential": True})
    # Set when a leaver's personal data is removed after the retention period; counts stay.
    anonymised_at: Mapped[datetime | None]

    roles: Mapped[list[Role]] = relationship(secondary="volunteer_roles", lazy="selectin")


class VolunteerStatusChange(Record):
    """One step in a volunteer's status history."""

    __tablename__ = "volunteer_status_changes"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[VolunteerStatus] = mapped_column(str_enum(VolunteerStatus, "status"))
    changed_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)


class DBSCheck(Record):
    """A DBS certificate. Certificates do not expire: recheck dates come from org policy."""

    __tablename__ = "dbs_checks"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[DBSLevel] = mapped_column(str_enum(DBSLevel, "level"))
    certificate_number: Mapped[str | None] = mapped_column(_sealed(20), info={"confidential": True})
    issued_on: Mapped[date]
    update_service: Mapped[bool] = mapped_column(default=False)
    update_service_checked_on: Mapped[date | None]


class EqualityMonitoring(Record):
    """Optional, self-described equality monitoring. Every field may be 'Prefer not to say' or
    empty. Kept apart from the volunteer record and only ever reported in aggregate."""

    __tablename__ = "equality_monitoring"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), unique=True
    )
    age_band: Mapped[str | None] = mapped_column(_sealed(40), info={"confidential": True})
    gender: Mapped[str | None] = mapped_column(_sealed(100), info={"confidential": True})
    ethnicity: Mapped[str | None] = mapped_column(_sealed(100), info={"confidential": True})
    disability: Mapped[str | None] = mapped_column(_sealed(100), info={"confidential": True})
    sexual_orientation: Mapped[str | None] = mapped_column(
        _sealed(100), info={"confidential": True}
    )
    religion: Mapped[str | None] = mapped_column(_sealed(100), info={"confidential": True})
    lived_experience: Mapped[str | None] = mapped_column(_sealed(100), info={"confidential": True})


class UsualAvailability(Record):
    """A volunteer's usual weekly availability, in the organisation's local time."""

    __tablename__ = "usual_availability"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]  # Monday = 0
    starts_at: Mapped[time]
    ends_at: Mapped[time]


class Absence(Record):
    """Dates a volunteer is away."""

    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        UniqueConstraint("volunteer_id", "starts_on"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))
