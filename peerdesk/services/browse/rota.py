"""The rota list: every shift with its staffing. Everyone signed in sees the rota: it shows
how many are on each shift, never anyone's contact details."""

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.models import Activity, Assignment, AssignmentStatus, Shift, ShiftStatus, Venue
from peerdesk.services.browse.paging import (
    NameFirst,
    PageQuery,
    Query,
    Sorts,
    columns,
    count,
    matching,
    page,
    row_by_row,
)
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.wording import Staffing

# Assignments that put a volunteer on the shift: offered, declined, cover-requested and no-show
# places are still to fill (or were never filled).
FILLING = (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)


@dataclass(frozen=True)
class ShiftRow:
    id: uuid.UUID
    day: date  # in the organisation's local time
    starts: time
    ends: time
    venue: str | None
    activity: str
    filled: int
    min_volunteers: int
    max_volunteers: int
    cancelled: bool

    @property
    def staffing(self) -> Staffing:
        """One word for how the shift is staffed: filled, short, unfilled, over or cancelled."""
        return staffing_word(self.filled, self.min_volunteers, self.max_volunteers, self.cancelled)


def staffing_word(filled: int, least: int, most: int, cancelled: bool = False) -> Staffing:
    if cancelled:
        return Staffing.CANCELLED
    if filled == 0 and least > 0:
        return Staffing.UNFILLED
    if filled < least:
        return Staffing.SHORT
    return Staffing.OVER if filled > most else Staffing.FILLED


SHIFT_SORTS: Sorts = {
    "date": (Shift.starts_at, Shift.id),
    "venue": (Venue.name, Shift.starts_at, Shift.id),
    "activity": (Activity.name, Shift.starts_at, Shift.id),
}


def _shift_filter(stmt: Query, text: str, since: datetime | None) -> Query:
    if since is not None:
        stmt = stmt.where(Shift.starts_at >= since)
    t = text.strip()
    if t:
        stmt = stmt.where(
            or_(
                row_by_row(Shift.activity_id).in_(matching(Activity.name, Activity.id, t)),
                row_by_row(Shift.venue_id).in_(matching(Venue.name, Venue.id, t)),
            )
        )
    return stmt


def filled_count(shift_id: Any) -> Any:
    return (
        select(func.count())
        .where(Assignment.shift_id == shift_id, Assignment.status.in_(FILLING))
        .scalar_subquery()
    )


def shifts_page(
    session: Session, actor: Actor, q: PageQuery = PageQuery(), since: datetime | None = None
) -> list[ShiftRow]:
    """Shifts with their staffing; `since` leaves out shifts that started earlier."""
    require(actor, Permission.VIEW_ROTA)
    if q.sort == "venue":
        rows = _by_venue(session, q, since)
    else:
        walk = _shift_filter(_shown(_shifts_from(q.sort)), q.text, since)
        rows = page(session, _shown(_shifts_from(None)), SHIFT_SORTS, q, walk)
    here = group_zone(session)
    return [_shift_row(r, here) for r in rows]


def _shown(shifts: Any) -> Query:
    return select(
        *columns(Shift, "id starts_at ends_at min_volunteers max_volunteers status"),
        Venue.name.label("venue"),
        Activity.name.label("activity"),
        filled_count(Shift.id).label("filled"),
    ).select_from(shifts)


def _shifts_from(sort: str | None) -> Any:
    """The shifts with their activity and venue, read in the order of `sort` (see NameFirst)."""
    shifts, activities, venues = Shift.__table__, Activity.__table__, Venue.__table__
    of_activity = activities.c.id == shifts.c.activity_id
    at_venue = venues.c.id == shifts.c.venue_id
    if sort == "activity":
        return NameFirst(activities, shifts, of_activity).outerjoin(venues, at_venue)
    if sort == "venue":  # only the shifts that have a venue: see _by_venue
        return NameFirst(venues, shifts, at_venue).join(activities, of_activity)
    return shifts.join(activities, of_activity).outerjoin(venues, at_venue)


def _by_venue(session: Session, q: PageQuery, since: datetime | None) -> list[Any]:
    """Shifts by venue name, those with no venue first (as SQL sorts a missing name; last when
    descending). Read as two lists one after the other, because SQLite can walk the venues first
    only through an inner join: the shifts with no venue by start, then the others by venue."""
    shown = _shown(_shifts_from(None))
    bare = _shift_filter(shown, q.text, since).where(Shift.venue_id.is_(None))
    placed = _shift_filter(_shown(_shifts_from("venue")), q.text, since)
    parts = [(bare, {"venue": SHIFT_SORTS["date"]}), (placed, SHIFT_SORTS)]
    (first, first_sorts), (second, second_sorts) = parts[::-1] if q.descending else parts
    rows = page(session, shown, first_sorts, q, first)
    if len(rows) == q.limit:
        return rows
    # The first list ends on this page, or before it: the second takes up where it ended.
    in_first = q.offset + len(rows) if rows else count(session, first.with_only_columns(Shift.id))
    rest = replace(q, offset=max(q.offset - in_first, 0), limit=q.limit - len(rows))
    return rows + page(session, shown, second_sorts, rest, second)


def _shift_row(r: Any, here: ZoneInfo) -> ShiftRow:
    start, end = r.starts_at.astimezone(here), r.ends_at.astimezone(here)
    return ShiftRow(
        r.id,
        start.date(),
        start.time(),
        end.time(),
        r.venue,
        r.activity,
        r.filled,
        r.min_volunteers,
        r.max_volunteers,
        r.status == ShiftStatus.CANCELLED,
    )


def count_shifts(
    session: Session, actor: Actor, text: str = "", since: datetime | None = None
) -> int:
    require(actor, Permission.VIEW_ROTA)
    return count(session, _shift_filter(select(Shift.id), text, since))
