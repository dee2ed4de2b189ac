"""The rota: venues, activities, recurring shift patterns, shifts and who is on them.

Patterns hold an RFC 5545 recurrence rule in the organisation's local wall-clock time, so a
weekly 10:00 shift stays at 10:00 across the clock changes; each generated shift stores its
actual start and end in UTC.
"""

import enum
import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerdesk.models.base import Base, Record, str_enum


class ActivityKind(enum.StrEnum):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"
    PHONE_ONLINE = "phone_online"
    WALK_AND_TALK = "walk_and_talk"


class ShiftStatus(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class AssignmentStatus(enum.StrEnum):
    OFFERED = "offered"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    COVER_REQUESTED = "cover_requested"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class ExceptionKind(enum.StrEnum):
    CANCELLED = "cancelled"
    MOVED = "moved"


class Venue(Record):
    __tablename__ = "venues"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


class Activity(Record):
    __tablename__ = "activities"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "kind"))
    active: Mapped[bool] = mapped_column(default=True)
    # The funder or project this activity's work is for, as the board report splits it.
    funded_by: Mapped[str | None] = mapped_column(String(200))


_staffing_checks = (
    CheckConstraint("min_volunteers >= 0", name="min_volunteers_not_negative"),
    CheckConstraint("max_volunteers >= min_volunteers", name="max_at_least_min"),
)

pattern_required_roles = Table(
    "pattern_required_roles",
    Base.metadata,
    Column("pattern_id", ForeignKey("shift_patterns.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="RESTRICT"), primary_key=True),
)

shift_required_roles = Table(
    "shift_required_roles",
    Base.metadata,
    Column("shift_id", ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="RESTRICT"), primary_key=True),
)


class ShiftPattern(Record):
    """A recurring shift: RRULE text plus local start time and length."""

    __tablename__ = "shift_patterns"
    __table_args__ = (
        *_staffing_checks,
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("until_on IS NULL OR until_on >= first_on", name="until_after_first"),
    )

    title: Mapped[str] = mapped_column(String(200))
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"), index=True)
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"), index=True)
    rrule: Mapped[str] = mapped_column(String(500))
    first_on: Mapped[date]
    until_on: Mapped[date | None]
    local_start: Mapped[time]
    duration_minutes: Mapped[int]
    min_volunteers: Mapped[int] = mapped_column(default=1)
    max_volunteers: Mapped[int] = mapped_column(default=2)
    lone_working: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class PatternException(Record):
    """One date of a pattern cancelled or moved."""

    __tablename__ = "pattern_exceptions"
    __table_args__ = (
        UniqueConstraint("pattern_id", "occurrence_on"),
        CheckConstraint(
            "kind = 'cancelled'"
            " OR (moved_starts_at IS NOT NULL AND moved_ends_at > moved_starts_at)",
            name="moved_has_times",
        ),
    )

    pattern_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shift_patterns.id", ondelete="CASCADE")
    )
    occurrence_on: Mapped[date]
    kind: Mapped[ExceptionKind] = mapped_column(str_enum(ExceptionKind, "kind"))
    moved_starts_at: Mapped[datetime | None]
    moved_ends_at: Mapped[datetime | None]


class Shift(Record):
    __tablename__ = "shifts"
    __table_args__ = (
        *_staffing_checks,
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("pattern_id", "occurrence_on"),
        # Each order the rota list offers walks one of these (migration 0009).
        Index("ix_shifts_venue_starts", "venue_id", "starts_at"),
        Index("ix_shifts_activity_starts", "activity_id", "starts_at"),
        # The monthly top-up asks each pattern for its latest shift.
        Index("ix_shifts_pattern_starts", "pattern_id", "starts_at"),
    )

    pattern_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("shift_patterns.id", ondelete="SET NULL")
    )
    # The pattern date this shift was generated for (None for one-off shifts).
    occurrence_on: Mapped[date | None]
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    min_volunteers: Mapped[int] = mapped_column(default=1)
    max_volunteers: Mapped[int] = mapped_column(default=2)
    lone_working: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ShiftStatus] = mapped_column(
        str_enum(ShiftStatus, "status"), default=ShiftStatus.PLANNED
    )
    notes: Mapped[str | None] = mapped_column(Text)
    # Optimistic concurrency: two coordinators editing one shift never silently lose an update.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Assignment(Record):
    """A volunteer on a shift, and where that stands."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("shift_id", "volunteer_id"),
        Index("ix_assignments_volunteer_status", "volunteer_id", "status"),
    )

    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus, "status"), default=AssignmentStatus.OFFERED
    )
    responded_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    # An offer to take over someone's place: the cover request (their assignment) it answers.
    covering_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )


class LoneWorkingCheck(Record):
    """Check-in and check-out for a lone-working shift."""

    __tablename__ = "lone_working_checks"
    __table_args__ = (
        # Overdue check-outs (Today): the few still open, by expected end, not every check ever.
        Index("ix_lone_working_checks_open", "checked_out_at", "expected_end_at"),
        CheckConstraint("expected_end_at > checked_in_at", name="expected_after_check_in"),
        CheckConstraint(
            "checked_out_at IS NULL OR checked_out_at >= checked_in_at", name="out_after_in"
        ),
    )

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    checked_in_at: Mapped[datetime]
    expected_end_at: Mapped[datetime]
    checked_out_at: Mapped[datetime | None]


class EligibilityRule(Record):
    """The organisation's choice for one rota eligibility reason (a code of
    `peerdesk.services.rota.Reason`): does it stop an assignment, or only warn? A reason with
    no row follows peerdesk's default."""

    __tablename__ = "rota_policies"

    reason: Mapped[str] = mapped_column(String(40), unique=True)
    blocks: Mapped[bool]
