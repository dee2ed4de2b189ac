"""The frozen values the rota services take and return: what a coordinator types for a pattern
or a shift, and what the rota shows of a shift and the people on it (names and roles, never
contact details). Times come back both as UTC instants and as the organisation's local wall-clock
day and time, so callers never convert zones themselves."""

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from peerdesk.models import ActivityKind, AssignmentStatus
from peerdesk.services.browse.rota import staffing_word
from peerdesk.wording import Staffing


@dataclass(frozen=True)
class PatternInput:
    """A recurring shift as a coordinator types it. `rrule` is an RFC 5545 RRULE value without
    DTSTART ("FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=WEEKLY;INTERVAL=2;
    BYDAY=MO;COUNT=10"); its occurrences start on `first_on` at `local_start` in the
    organisation's time zone and end `duration_minutes` later (past midnight is allowed)."""

    title: str
    activity_id: uuid.UUID
    rrule: str
    first_on: date
    local_start: time
    duration_minutes: int
    venue_id: uuid.UUID | None = None
    until_on: date | None = None
    min_volunteers: int = 1
    max_volunteers: int = 2
    required_role_ids: frozenset[uuid.UUID] = frozenset()
    lone_working: bool = False


@dataclass(frozen=True)
class ShiftInput:
    """A one-off shift, or the new values of an existing shift, in local wall-clock time."""

    activity_id: uuid.UUID
    day: date
    local_start: time
    duration_minutes: int
    venue_id: uuid.UUID | None = None
    min_volunteers: int = 1
    max_volunteers: int = 2
    required_role_ids: frozenset[uuid.UUID] = frozenset()
    lone_working: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class PatternInfo:
    id: uuid.UUID
    title: str
    activity: str
    venue: str | None
    rrule: str
    first_on: date
    until_on: date | None
    local_start: time
    duration_minutes: int
    min_volunteers: int
    max_volunteers: int
    required_roles: tuple[str, ...]
    lone_working: bool
    active: bool
    # What the pattern form needs to show the pattern again for a change.
    activity_id: uuid.UUID
    venue_id: uuid.UUID | None
    required_role_ids: frozenset[uuid.UUID]


@dataclass(frozen=True)
class Generated:
    """What (re)generating shifts did: shifts added, updated to follow the pattern, removed
    (no longer in the pattern and nobody on them), and kept as they were because someone is
    assigned or a coordinator edited them."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0


@dataclass(frozen=True)
class OnShift:
    """Someone's place on a shift: no contact details, only what the rota shows."""

    assignment_id: uuid.UUID
    volunteer_id: uuid.UUID
    name: str
    roles: tuple[str, ...]
    status: AssignmentStatus
    covering: uuid.UUID | None = None  # the cover request this offer or place takes over

    @property
    def fills(self) -> bool:
        return self.status in (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)


@dataclass(frozen=True)
class ShiftDetail:
    """One shift with everyone on it. `version` goes back with an edit (see `edit_shift`)."""

    id: uuid.UUID
    version: int
    pattern_id: uuid.UUID | None
    title: str  # the pattern's title, or the activity's name for a one-off shift
    activity_id: uuid.UUID
    activity: str
    kind: ActivityKind
    venue_id: uuid.UUID | None
    venue: str | None
    starts_at: datetime  # UTC
    ends_at: datetime
    local_start: datetime  # in the organisation's zone
    local_end: datetime
    min_volunteers: int
    max_volunteers: int
    lone_working: bool
    cancelled: bool
    notes: str | None
    required_roles: tuple[str, ...]
    people: tuple[OnShift, ...] = field(default=())

    @property
    def filled(self) -> int:
        return sum(1 for p in self.people if p.fills)

    @property
    def staffing(self) -> Staffing:
        """filled, short, unfilled, over or cancelled (the words every rota view uses)."""
        return staffing_word(self.filled, self.min_volunteers, self.max_volunteers, self.cancelled)

    @property
    def days(self) -> tuple[date, ...]:
        """The local days the shift touches: two for a shift across midnight."""
        first, last = self.local_start.date(), (self.local_end - timedelta(microseconds=1)).date()
        return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


class Reason(enum.StrEnum):
    """Why someone may not (or should not) be put on a shift."""

    DOUBLE_BOOKED = "double_booked"
    AWAY = "away"
    NOT_ACTIVE = "not_active"
    MISSING_ROLE = "missing_role"
    TRAINING_EXPIRED = "training_expired"
    # No DBS check for a role that needs one, or its recheck overdue: one setting for both
    # (the value is what the organisation's rota policy stores).
    DBS_OVERDUE = "dbs_overdue"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.DOUBLE_BOOKED: "double-booked",
    Reason.AWAY: "away",
    Reason.NOT_ACTIVE: "not active",
    Reason.MISSING_ROLE: "missing a role the shift needs",
    Reason.TRAINING_EXPIRED: "mandatory training expired",
    Reason.DBS_OVERDUE: "no DBS check, or its recheck overdue",
}


@dataclass(frozen=True)
class Concern:
    """One reason, in a sentence naming the particulars, and whether the org's policy blocks it."""

    reason: Reason
    sentence: str
    blocks: bool


@dataclass(frozen=True)
class Eligibility:
    volunteer_id: uuid.UUID
    name: str
    concerns: tuple[Concern, ...]

    @property
    def blocked(self) -> tuple[Concern, ...]:
        return tuple(c for c in self.concerns if c.blocks)

    @property
    def warnings(self) -> tuple[Concern, ...]:
        return tuple(c for c in self.concerns if not c.blocks)

    @property
    def clear(self) -> bool:
        return not self.concerns


@dataclass(frozen=True)
class Suggestion:
    """An eligible volunteer for a shift; the fairest first (fewest recent shifts)."""

    volunteer_id: uuid.UUID
    name: str
    roles: tuple[str, ...]
    recent_shifts: int
    usually_available: bool | None  # None: they have not said when they are usually free


@dataclass(frozen=True)
class CoverRequest:
    """Someone can't make a shift they were on and asked for cover."""

    assignment_id: uuid.UUID
    shift: ShiftDetail
    volunteer_id: uuid.UUID
    name: str
    note: str | None
    offers: tuple[OnShift, ...]  # people who offered to take it, awaiting the coordinator


@dataclass(frozen=True)
class UsualSlot:
    """A usual weekly time someone is free, local time (Monday = 0)."""

    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True)
class AbsenceInfo:
    id: uuid.UUID
    starts_on: date
    ends_on: date
    reason: str | None


@dataclass(frozen=True)
class Availability:
    volunteer_id: uuid.UUID
    usual: tuple[UsualSlot, ...]
    absences: tuple[AbsenceInfo, ...]


@dataclass(frozen=True)
class ReleasedShift:
    """A later shift someone who left was on, and how it is staffed now they are off it."""

    shift_id: uuid.UUID
    activity: str
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    filled: int
    staffing: Staffing
