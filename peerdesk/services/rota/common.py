"""What every rota service shares: the organisation's time zone, who may change the rota,
finding a shift, turning local wall-clock times into UTC, and the rota's own errors."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_
from sqlalchemy.orm import Session

from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import Shift
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    may_act_on_rota_for,
    require,
)

# A shift longer than this is surely a slip (a day typed for an hour).
MAX_SHIFT_MINUTES = 24 * 60


class StaleShift(PeerdeskError):
    """Someone else changed the shift after it was opened for editing."""


class NotEligible(PeerdeskError):
    """The organisation's policy does not allow this person on this shift."""


class NeedsOverride(PeerdeskError):
    """The person may go on the shift only if a coordinator says so knowingly."""

    def __init__(self, message: str, reasons: tuple[str, ...]) -> None:
        super().__init__(message)
        self.reasons = reasons


def local_instant(day: date, start: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time. A time the spring clock change skips (01:30
    on the last Sunday of March) moves forward by the hour, as the clocks do."""
    # zoneinfo reads a time in the gap with the offset from before the change (fold=0, PEP 495),
    # which lands it an hour later on the clock: what the clocks themselves do.
    return datetime.combine(day, start, tzinfo=zone).astimezone(UTC)


def local_span(day: date, start: time, minutes: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Start and end in UTC of a shift starting at a local time and lasting `minutes`. The end
    is measured in real time: a 3-hour shift stays 3 hours across a clock change."""
    begins = local_instant(day, start, zone)
    return begins, begins + timedelta(minutes=minutes)


def day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants from the start of local day `first` to the end of local day `last`."""
    return local_instant(first, time(), zone), local_instant(last + timedelta(days=1), time(), zone)


def overlapping(start: datetime, end: datetime) -> Any:
    """Shifts that overlap `start` to `end`. No shift is longer than a day, so the lower bound
    on `starts_at` keeps the search to an index range instead of every earlier shift."""
    return and_(
        Shift.starts_at < end,
        Shift.starts_at > start - timedelta(minutes=MAX_SHIFT_MINUTES),
        Shift.ends_at > start,
    )


def require_editor(actor: Actor, what: str) -> None:
    require(actor, Permission.EDIT_ROTA)


def require_self(actor: Actor, volunteer_id: uuid.UUID, what: str) -> None:
    """A volunteer acting on their own place on the rota (coordinators may act for anyone)."""
    require(actor, Permission.VIEW_ROTA)
    if not may_act_on_rota_for(actor, volunteer_id):
        raise PermissionDenied(f"You can only {what} for yourself.")


def get_shift(session: Session, shift_id: uuid.UUID, taking_a_place: bool = False) -> Shift:
    """`taking_a_place`: the shift's row stays locked until this write ends (SELECT ... FOR
    UPDATE), so on a server two people taking its last place queue here and the second counts
    the first one's place. The file's writers queue anyway; SQLite ignores FOR UPDATE."""
    shift = session.get(Shift, shift_id, with_for_update=taking_a_place or None)
    if shift is None:
        raise ValidationError("That shift is no longer on the rota.")
    return shift


def check_staffing(least: int, most: int) -> None:
    if least < 0:
        raise ValidationError("The minimum number of volunteers cannot be below 0.")
    if most < max(least, 1):
        raise ValidationError(
            "The maximum number of volunteers must be at least the minimum (and at least 1)."
        )


def check_minutes(minutes: int) -> None:
    if minutes <= 0:
        raise ValidationError(
            "The shift ends before it starts: give it a length of a few minutes or more."
        )
    if minutes > MAX_SHIFT_MINUTES:
        raise ValidationError("A shift can last at most 24 hours; check the end time.")


def pairs(session: Session, stmt: Any) -> dict[Any, Any]:
    """The first two columns of each row, as a dict."""
    return {row[0]: row[1] for row in session.execute(stmt)}
