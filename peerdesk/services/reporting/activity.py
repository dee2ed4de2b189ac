"""Activity figures: sessions by activity and mode, volunteer hours, attendances and new people,
shifts planned, delivered, cancelled and unfilled, and hours and sessions by month.

Sessions are read once (one row each, with the number of co-volunteers) and counted in Python:
a year of a busy group is about ten thousand rows, and months must follow the organisation's
clock, not UTC.

A one-to-one activity's sessions (and a phone or online line's) are each one person's: in the
public report they are counted only as attendances (suppressed), not in the sessions table or
the sessions chart, where they would be printed in full."""

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import utc_from_local
from peerdesk.db.portable import hours_between, utc_hour
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    SessionCoVolunteer,
    SessionLog,
    SessionMode,
    Shift,
    ShiftStatus,
)
from peerdesk.services.reporting.sections import Headline, Section, TableFigure
from peerdesk.services.reporting.tables import one_way, two_way
from peerdesk.wording import count, word

MODES = (SessionMode.IN_PERSON, SessionMode.PHONE, SessionMode.ONLINE, SessionMode.WALK_AND_TALK)
MODE_WORDS = {mode: word(mode) for mode in MODES}


# Activities whose every session is with one person (a one-to-one, a call to the phone line):
# their sessions are counts of people.
ONE_PERSON_EACH = frozenset({ActivityKind.ONE_TO_ONE, ActivityKind.PHONE_ONLINE})


@dataclass(frozen=True)
class Month:
    month: date  # the first of the month
    sessions: int
    hours: float


@dataclass(frozen=True)
class ShiftCounts:
    scheduled: int
    cancelled: int
    delivered: int
    unfilled: int
    to_come: int


@dataclass(frozen=True)
class Work:
    """What the activity section is made from (raw, before suppression)."""

    by_activity_mode: dict[str, dict[SessionMode, int]]
    attendances: dict[str, int]
    new_people: dict[str, int]
    hours: float
    months: tuple[Month, ...]
    shifts: ShiftCounts
    completeness: tuple[str, ...]


def bounds_utc(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """The period as UTC instants: local midnight at its start, local midnight after its end."""
    return utc_from_local(start, 0, 0, zone), utc_from_local(end + timedelta(days=1), 0, 0, zone)


def read_activity(
    session: Session, start: date, end: date, zone: str, public: bool = False
) -> Work:
    since, until = bounds_utc(start, end, zone)
    others = (
        select(func.count())
        .where(SessionCoVolunteer.session_log_id == SessionLog.id)
        .scalar_subquery()
    )
    # Hours in SQL: fetching ten thousand rows of datetimes into Python cost more than the rest.
    length = hours_between(SessionLog.started_at, SessionLog.ended_at)
    volunteer_hours = func.sum(length * (1 + others))
    months: dict[date, tuple[int, float]]
    in_period = (SessionLog.started_at >= since, SessionLog.started_at < until)
    grid: dict[str, dict[SessionMode, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
    attendances: dict[str, int] = defaultdict(int)
    new_people: dict[str, int] = defaultdict(int)
    hours = 0.0
    from_shifts = total = 0
    hour = utc_hour(SessionLog.started_at)
    # One pass, grouped by activity, mode and UTC hour: the hours are then placed in their
    # local month (every time zone's offset is a whole or half hour within the hour's bounds).
    grouped = (
        select(
            Activity.name,
            Activity.kind,
            SessionLog.mode,
            hour,
            func.count(),
            func.sum(SessionLog.attendees),
            func.sum(SessionLog.new_attendees),
            volunteer_hours,
            func.count(SessionLog.shift_id),
        )
        .join(Activity, Activity.id == SessionLog.activity_id)
        .where(*in_period)
        .group_by(Activity.name, Activity.kind, SessionLog.mode, hour)
    )
    months = _empty_months(start, end)
    month_of = _month_finder(ZoneInfo(zone))
    for name, kind, mode, stamp, n, seen, new, worked, on_shift in session.execute(grouped):
        attendances[name] += seen or 0
        new_people[name] += new or 0
        hours += worked or 0.0
        counted = 0 if public and kind in ONE_PERSON_EACH else n
        if counted:
            grid[name][mode] += counted
        total += n
        from_shifts += on_shift
        key = month_of(stamp)
        sessions, month_hours = months.get(key, (0, 0.0))
        months[key] = (sessions + counted, month_hours + (worked or 0.0))
    shifts = read_shifts(session, since, until)
    notes = (
        _public_notes()
        if public
        else (
            f"{from_shifts:,} of {count(total, 'session')} "
            f"{'was' if from_shifts == 1 else 'were'} logged from a rota shift; the rest were "
            "logged as ad hoc sessions.",
            f"{count(shifts.delivered, 'shift')} {'was' if shifts.delivered == 1 else 'were'} "
            "delivered; session logs are the volunteers' own record "
            "of them, so a shift with no log adds no sessions, attendances or hours.",
        )
    )
    return Work(
        by_activity_mode=dict(grid),
        attendances=dict(attendances),
        new_people=dict(new_people),
        hours=hours,
        months=tuple(Month(m, n, h) for m, (n, h) in sorted(months.items())),
        shifts=shifts,
        completeness=notes,
    )


def _public_notes() -> tuple[str, ...]:
    """Without counts: the number of sessions beside the shifts would give a one-to-one
    activity's sessions, which are people."""
    return (
        "Sessions are logged from rota shifts or ad hoc; session logs are the volunteers' own "
        "record, so a shift with no log adds no sessions, attendances or hours.",
        "One-to-one and phone or online sessions are counted as attendances only (each is one "
        "person's), not in the sessions table or the sessions chart.",
    )


def _month_finder(zone: ZoneInfo) -> Callable[[str], date]:
    """The local month of a UTC hour written "YYYY-MM-DD HH" (cached: hours repeat)."""

    @functools.cache
    def month_of(stamp: str) -> date:
        # Sliced, not strptime: a decade of sessions has tens of thousands of distinct hours.
        began = datetime(
            int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]), int(stamp[11:13]), tzinfo=UTC
        )
        return began.astimezone(zone).date().replace(day=1)

    return month_of


def _empty_months(start: date, end: date) -> dict[date, tuple[int, float]]:
    months: dict[date, tuple[int, float]] = {}
    day = start.replace(day=1)
    while day <= end:
        months[day] = (0, 0.0)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def read_shifts(session: Session, since: datetime, until: datetime) -> ShiftCounts:
    """Shifts starting in the period. Delivered: not cancelled and a volunteer attended it or
    logged a session from it. Unfilled: not cancelled, already started, and neither. Still to
    come: not cancelled and not started yet when the report was made."""
    # Correlated EXISTS: each is one seek down an index on shift_id (an IN list of every
    # attended assignment in ten years made SQLite build a temporary index each time).
    attended = exists().where(
        Assignment.shift_id == Shift.id, Assignment.status == AssignmentStatus.ATTENDED
    )
    logged = exists().where(SessionLog.shift_id == Shift.id)
    now = clock.now()
    past, done = (Shift.starts_at < now).label("past"), (attended | logged).label("done")
    rows = session.execute(
        select(Shift.status, past, done, func.count())
        .where(Shift.starts_at >= since, Shift.starts_at < until)
        .group_by(Shift.status, past, done)
    ).all()
    cancelled = sum(n for status, _p, _d, n in rows if status is ShiftStatus.CANCELLED)
    live = [(p, d, n) for status, p, d, n in rows if status is not ShiftStatus.CANCELLED]
    delivered = sum(n for _p, d, n in live if d)
    unfilled = sum(n for p, d, n in live if p and not d)
    to_come = sum(n for p, d, n in live if not p and not d)
    return ShiftCounts(sum(n for *_rest, n in rows), cancelled, delivered, unfilled, to_come)


def activity_section(work: Work, k: int) -> Section:
    names = sorted(work.by_activity_mode, key=str.lower)
    sessions = two_way(
        names,
        [MODE_WORDS[m] for m in MODES],
        [[work.by_activity_mode[n][m] for m in MODES] for n in names],
        # Sessions are the group's work, not people: shown in full (k = 1 hides nothing).
        1,
    )
    reach_names = sorted(work.attendances, key=str.lower)
    attendances = one_way(reach_names, [work.attendances[n] for n in reach_names], k, "Attendances")
    new_people = one_way(reach_names, [work.new_people[n] for n in reach_names], k, "New people")
    s = work.shifts
    return Section(
        key="activity",
        title="Activity",
        headlines=(
            Headline(
                "Volunteer hours",
                f"{work.hours:,.1f}",
                "The length of each session logged in the period, once for the volunteer who "
                "logged it and once for each co-volunteer.",
            ),
            Headline(
                "Shifts scheduled",
                f"{s.scheduled:,}",
                "Rota shifts starting in the period, including those later cancelled.",
            ),
            Headline(
                "Shifts delivered",
                f"{s.delivered:,}",
                "Not cancelled, and a volunteer attended or logged a session from the shift.",
            ),
            Headline("Shifts cancelled", f"{s.cancelled:,}", "Marked cancelled on the rota."),
            Headline(
                "Shifts unfilled",
                f"{s.unfilled:,}",
                "Not cancelled and already past, but nobody attended or logged a session.",
            ),
            Headline(
                "Shifts still to come",
                f"{s.to_come:,}",
                "Not cancelled and not yet started when the report was made.",
            ),
        ),
        tables=(
            TableFigure(
                "Sessions by activity and mode",
                sessions,
                "Session logs whose start falls in the period, by the activity and the mode "
                "recorded with each.",
            ),
            TableFigure(
                "Attendances by activity",
                attendances,
                "The anonymous head counts in session logs, added up: one person at three "
                "sessions counts three times.",
            ),
            TableFigure(
                "New people by activity",
                new_people,
                "Of those attendances, the ones the volunteer marked as someone new to the group.",
            ),
        ),
    )
