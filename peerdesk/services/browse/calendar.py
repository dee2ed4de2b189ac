"""What the rota's Week, Month, List and "My shifts" views read: shifts between two local dates
with who is on them, filtered by venue, activity or volunteer.

A week costs two queries whatever its size: the shifts (on the `starts_at` index), then everyone
assigned to them with their roles. The month grid has no room for names, so it costs one: the
shifts with their filled places counted in SQL (names are read for a day's tooltip). Everyone
signed in sees the rota and who is on each shift (names and roles, never contact details);
trustees see staffing figures only, since their role reads aggregates rather than people.
The filter boxes' choices and the shift dialog's extras are in `calendar_choices`.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import String, literal, or_, select, type_coerce
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.portable import id_key
from peerdesk.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftPattern,
    ShiftStatus,
    Venue,
    Volunteer,
    VolunteerRole,
)
from peerdesk.services.browse.paging import (
    PageQuery,
    Query,
    count,
    joined,
    matching,
    page,
    roles_of,
)
from peerdesk.services.browse.rota import FILLING, SHIFT_SORTS, filled_count, staffing_word
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, can, require
from peerdesk.wording import Staffing

# The rota services refuse a shift longer than a day, so a range's query may start a day before
# its first day and still find every shift reaching into it, on the starts_at index.
LONGEST_SHIFT = timedelta(days=1)
# Declined places are not on the shift; every other status is shown with its word.
ON_SHIFT = tuple(s for s in AssignmentStatus if s is not AssignmentStatus.DECLINED)
RECENT_DAYS = 28
AHEAD_DAYS = 90


@dataclass(frozen=True)
class RotaFilter:
    """Which shifts a view shows: None for any venue, activity or volunteer."""

    venue_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    volunteer_id: uuid.UUID | None = None


NO_FILTER = RotaFilter()


# The two row types below are NamedTuples rather than frozen dataclasses: a month on the large
# demo makes a thousand of them per switch, and a tuple is made several times faster.
class OnShift(NamedTuple):
    """Someone with a place on a shift (any status but declined)."""

    volunteer_key: str  # the volunteer's id as stored (hex): cheaper than a UUID per row
    name: str
    roles: tuple[str, ...]
    status: AssignmentStatus

    @property
    def volunteer_id(self) -> uuid.UUID:
        return uuid.UUID(self.volunteer_key)

    @property
    def filling(self) -> bool:
        return self.status in FILLING


class CalendarShift(NamedTuple):
    """One shift as the calendar shows it; times are in the organisation's local time."""

    key: str  # the shift's id as stored (hex); `id` makes the UUID when one is needed
    starts: datetime
    ends: datetime
    title: str | None  # the pattern's title; None for a one-off shift
    activity: str
    venue: str | None
    min_volunteers: int
    max_volunteers: int
    lone_working: bool
    cancelled: bool
    filled: int
    people: tuple[OnShift, ...] = ()  # empty for trustees, who see figures only
    mine: AssignmentStatus | None = None  # the signed-in volunteer's own place, if any
    version: int = 1

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(self.key)

    @property
    def staffing(self) -> Staffing:
        return staffing_word(self.filled, self.min_volunteers, self.max_volunteers, self.cancelled)

    @property
    def days(self) -> list[date]:
        """Every local day the shift touches: one across midnight shows on both days (a shift
        ending at exactly midnight belongs to its first day only)."""
        first = self.starts.date()
        last = (self.ends - _INSTANT).date()
        if last == first:
            return [first]
        return [first + timedelta(days=n) for n in range(max((last - first).days, 0) + 1)]

    @property
    def heading(self) -> str:
        return self.title or self.activity


@dataclass(frozen=True)
class MyShifts:
    upcoming: list[CalendarShift] = field(default_factory=list)
    recent: list[CalendarShift] = field(default_factory=list)


def sees_names(actor: Actor) -> bool:
    """Whether the actor sees who is on each shift (everyone but trustees)."""
    return can(actor, Permission.VIEW_ROTA_NAMES)


def local_bounds(session: Session, first: date, last: date) -> tuple[datetime, datetime, ZoneInfo]:
    """The UTC instants of local midnight before `first` and after `last`."""
    here = group_zone(session)
    start = datetime.combine(first, time(), here).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), here).astimezone(UTC)
    return start, end, here


def _raw(column: Any) -> Any:
    """An enum column read as stored: making thousands of enums costs more than the query."""
    return type_coerce(column, String)


def _shift_select() -> Query:
    return _joined(
        select(
            id_key(Shift.id).label("key"),
            Shift.starts_at,
            Shift.ends_at,
            Shift.min_volunteers,
            Shift.max_volunteers,
            Shift.lone_working,
            _raw(Shift.status).label("status"),
            Shift.version,
            ShiftPattern.title,
            Activity.name.label("activity"),
            Venue.name.label("venue"),
        )
    )


def _filtered(stmt: Query, only: RotaFilter) -> Query:
    if only.venue_id is not None:
        stmt = stmt.where(Shift.venue_id == only.venue_id)
    if only.activity_id is not None:
        stmt = stmt.where(Shift.activity_id == only.activity_id)
    if only.volunteer_id is not None:
        placed = select(Assignment.shift_id).where(
            Assignment.volunteer_id == only.volunteer_id, Assignment.status.in_(ON_SHIFT)
        )
        stmt = stmt.where(Shift.id.in_(placed))
    return stmt


def shifts_between(
    session: Session,
    actor: Actor,
    first: date,
    last: date,
    only: RotaFilter = NO_FILTER,
    people: bool = True,
) -> list[CalendarShift]:
    """Every shift touching the local days `first` to `last` (inclusive), in start order.

    `people=False` leaves out who is on each shift (the month grid has no room for names; its
    tooltips ask `people_on`) and counts the filled places in SQL instead: one query."""
    require(actor, Permission.VIEW_ROTA)
    start, end, here = local_bounds(session, first, last)
    touching = (
        Shift.starts_at >= start - LONGEST_SHIFT,
        Shift.starts_at < end,
        Shift.ends_at > start,
    )
    stmt = _filtered(_shift_select(), only).where(*touching).order_by(Shift.starts_at, Shift.id)
    if not people:
        counted = stmt.add_columns(filled_count(Shift.id).label("filled"), _own(actor))
        return _calendar_shifts(actor, list(session.execute(counted)), None, here)
    rows = list(session.execute(stmt))
    places = _places(session, _filtered(select(Shift.id), only).where(*touching))
    return _calendar_shifts(actor, rows, places, here)


def _own(actor: Actor) -> Any:
    """The signed-in volunteer's own place on each shift, as stored (NULL: none)."""
    if actor.volunteer_id is None:
        return literal(None, String).label("own")
    return (
        select(_raw(Assignment.status))
        .where(
            Assignment.shift_id == Shift.id,
            Assignment.volunteer_id == actor.volunteer_id,
            Assignment.status.in_(ON_SHIFT),
        )
        .scalar_subquery()
        .label("own")
    )


def people_on(session: Session, actor: Actor, keys: list[str]) -> dict[str, list[OnShift]]:
    """Who is on each of these shifts (by stored id); nothing for trustees."""
    require(actor, Permission.VIEW_ROTA)
    if not sees_names(actor) or not keys:
        return {}
    return _places(session, keys)


def _calendar_shifts(
    actor: Actor,
    rows: Sequence[Any],
    places: dict[str, list[OnShift]] | None,
    here: ZoneInfo,
) -> list[CalendarShift]:
    """`places` None: the rows carry their own `filled` count and `own` status."""
    show = sees_names(actor)
    mine = actor.volunteer_id.hex if actor.volunteer_id is not None else None
    cancelled = ShiftStatus.CANCELLED.value
    shifts = []
    # Rows are unpacked by position: reading a thousand rows' columns by name costs more
    # than the query (columns as in `_shift_select`, then `filled` and `own` when counted).
    for row in rows:
        key, starts, ends, least, most, lone, status, version, title, activity, venue = row[:11]
        if places is None:
            people: list[OnShift] = []
            filled, own_word = row[11], row[12]
            own = _STATUSES[own_word] if own_word else None
        else:
            people = places.get(key, [])
            filled = sum(1 for p in people if p.filling)
            own = next((p.status for p in people if p.volunteer_key == mine), None)
        shifts.append(
            CalendarShift(
                key,
                starts.astimezone(here),
                ends.astimezone(here),
                title,
                activity,
                venue,
                least,
                most,
                lone,
                status == cancelled,
                filled,
                tuple(people) if show else (),
                own,
                version,
            )
        )
    return shifts


_STATUSES = {s.value: s for s in AssignmentStatus}
_INSTANT = timedelta(microseconds=1)


def _places(session: Session, shifts: Any) -> dict[str, list[OnShift]]:
    """Everyone placed on the shifts `shifts` selects (a subquery or a list of stored ids),
    filling places first, then by name."""
    found: dict[str, list[OnShift]] = defaultdict(list)
    # Ids compared as ids: a list of keys is turned back into UUIDs.
    ids = [uuid.UUID(hex=key) for key in shifts] if isinstance(shifts, list) else shifts
    roles = roles_of(VolunteerRole.volunteer_id, VolunteerRole.role_id, Volunteer.id)
    stmt = (
        select(
            id_key(Assignment.shift_id).label("shift"),
            id_key(Assignment.volunteer_id).label("volunteer"),
            _raw(Assignment.status).label("status"),
            Volunteer.preferred_name,
            roles.label("roles"),
        )
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.shift_id.in_(ids), Assignment.status.in_(ON_SHIFT))
    )
    for r in session.execute(stmt):
        found[r.shift].append(
            OnShift(r.volunteer, r.preferred_name, joined(r.roles), _STATUSES[r.status])
        )
    for people in found.values():
        people.sort(key=lambda p: (not p.filling, p.name.casefold()))
    return found


def my_shifts(session: Session, actor: Actor, today: date) -> MyShifts:
    """The signed-in volunteer's own shifts: the next AHEAD_DAYS days, and the last
    RECENT_DAYS days newest first. Someone who is not a volunteer has none."""
    require(actor, Permission.VIEW_ROTA)
    if actor.volunteer_id is None:
        return MyShifts()
    own = RotaFilter(volunteer_id=actor.volunteer_id)
    ahead = shifts_between(session, actor, today, today + timedelta(days=AHEAD_DAYS), own)
    behind = shifts_between(session, actor, today - timedelta(days=RECENT_DAYS), today, own)
    now = clock.now()
    return MyShifts(
        upcoming=[s for s in ahead if s.ends > now],
        recent=[s for s in reversed(behind) if s.ends <= now],
    )


# The List view: paged like every other list, with the rota's filters -------------------------
def rota_list_page(
    session: Session,
    actor: Actor,
    q: PageQuery,
    only: RotaFilter = NO_FILTER,
    since: datetime | None = None,
) -> list[CalendarShift]:
    """One page of shifts with who is on them; `since` leaves out shifts that started earlier."""
    require(actor, Permission.VIEW_ROTA)
    rows = page(session, _list_query(_shift_select(), q.text, only, since), SHIFT_SORTS, q)
    places = _places(session, [r.key for r in rows]) if rows else {}
    return _calendar_shifts(actor, rows, places, group_zone(session))


def count_rota_list(
    session: Session,
    actor: Actor,
    text: str = "",
    only: RotaFilter = NO_FILTER,
    since: datetime | None = None,
) -> int:
    require(actor, Permission.VIEW_ROTA)
    return count(session, _list_query(_joined(select(Shift.id)), text, only, since))


def _list_query(stmt: Query, text: str, only: RotaFilter, since: datetime | None) -> Query:
    """`stmt` must join Activity, Venue and ShiftPattern (as `_shift_select` does)."""
    if since is not None:
        stmt = stmt.where(Shift.starts_at >= since)
    typed = text.strip()
    if typed:
        stmt = stmt.where(
            or_(
                Shift.activity_id.in_(matching(Activity.name, Activity.id, typed)),
                Shift.venue_id.in_(matching(Venue.name, Venue.id, typed)),
                Shift.pattern_id.in_(matching(ShiftPattern.title, ShiftPattern.id, typed)),
            )
        )
    return _filtered(stmt, only)


def _joined(stmt: Query) -> Query:
    return (
        stmt.join(Activity, Activity.id == Shift.activity_id)
        .outerjoin(Venue, Venue.id == Shift.venue_id)
        .outerjoin(ShiftPattern, ShiftPattern.id == Shift.pattern_id)
    )
