"""What funders and commissioners ask a group for, beside the same figures for the period before
(the board report only: these tables are not in the ledger of public releases, so they are not
printed where the disclosure audit has not checked them).

No-shows and cover requests are counted on shifts starting in the period; lone-working check-ins
by when the volunteer checked in; a missed check-out is one made later than the expected end
plus the organisation's margin, or not made at all once that time has passed; supervision
sessions by the day they were held; the time to close a concern over the concerns closed in the
period, from when it happened to when it was closed.
"""

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.models import (
    Assignment,
    AssignmentStatus,
    LoneWorkingCheck,
    SafeguardingConcern,
    Shift,
    SupervisionSession,
)
from peerdesk.services.organisation import pounds
from peerdesk.services.reporting.activity import bounds_utc
from peerdesk.services.reporting.periods import add_months
from peerdesk.services.reporting.sections import Section, TableFigure
from peerdesk.services.reporting.suppression import Shown
from peerdesk.services.reporting.tables import Table
from peerdesk.services.reporting.volunteer_time import (
    by_funder_table,
    read_funded,
    total_hours,
    value_text,
)

TITLE = "What funders ask for"
KEY = "funders"


@dataclass(frozen=True)
class Asked:
    no_shows: int
    cover_requests: int
    check_ins: int
    missed_check_outs: int
    supervision_sessions: int
    concerns_closed: int
    median_days_to_close: float | None


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same kind just before: whole months step back by as many months, any
    other span by as many days."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return add_months(start, -months), start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def read_asked(session: Session, start: date, end: date, zone: str, margin_minutes: int) -> Asked:
    since, until = bounds_utc(start, end, zone)
    on_shifts = (
        select(func.count())
        .select_from(Assignment)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Shift.starts_at >= since, Shift.starts_at < until)
    )
    no_shows = session.scalar(on_shifts.where(Assignment.status == AssignmentStatus.NO_SHOW))
    # A request is an assignment still asking for cover, or one whose place was taken.
    covered = select(Assignment.covering_id).where(Assignment.covering_id.is_not(None))
    cover = session.scalar(
        on_shifts.where(
            (Assignment.status == AssignmentStatus.COVER_REQUESTED) | Assignment.id.in_(covered)
        )
    )
    checks = session.execute(
        select(LoneWorkingCheck.expected_end_at, LoneWorkingCheck.checked_out_at).where(
            LoneWorkingCheck.checked_in_at >= since, LoneWorkingCheck.checked_in_at < until
        )
    ).all()
    now = clock.now().astimezone(UTC).replace(tzinfo=None)
    margin = timedelta(minutes=margin_minutes)
    missed = sum(
        1
        for expected, out in checks
        if (out is None and _naive(expected) + margin < now)
        or (out is not None and _naive(out) > _naive(expected) + margin)
    )
    held = session.scalar(
        select(func.count())
        .select_from(SupervisionSession)
        .where(SupervisionSession.held_on >= start, SupervisionSession.held_on <= end)
    )
    closed = session.execute(
        select(SafeguardingConcern.occurred_at, SafeguardingConcern.closed_at).where(
            SafeguardingConcern.closed_at >= since, SafeguardingConcern.closed_at < until
        )
    ).all()
    days = [
        max(0.0, (_naive(c) - _naive(o)).total_seconds() / 86400)
        for o, c in closed
        if c is not None
    ]
    return Asked(
        no_shows=no_shows or 0,
        cover_requests=cover or 0,
        check_ins=len(checks),
        missed_check_outs=missed,
        supervision_sessions=held or 0,
        concerns_closed=len(days),
        median_days_to_close=statistics.median(days) if days else None,
    )


def funders_section(
    session: Session,
    start: date,
    end: date,
    zone: str,
    margin_minutes: int,
    hour_pence: int | None = None,
) -> Section:
    """`hour_pence`: the organisation's value of an hour of volunteer time (None: not set)."""
    before = previous_period(start, end)
    now = read_asked(session, start, end, zone, margin_minutes)
    then = read_asked(session, *before, zone, margin_minutes)
    funded = read_funded(session, start, end, zone)
    hours = (total_hours(funded), total_hours(read_funded(session, *before, zone)))
    rows = (
        ("No-shows on rota shifts", now.no_shows, then.no_shows),
        ("Cover requests", now.cover_requests, then.cover_requests),
        ("Lone-working check-ins", now.check_ins, then.check_ins),
        ("Missed or late lone-working check-outs", now.missed_check_outs,
         then.missed_check_outs),
        ("Supervision sessions held", now.supervision_sessions, then.supervision_sessions),
        ("Safeguarding concerns closed", now.concerns_closed, then.concerns_closed),
    )  # fmt: skip
    table_rows: list[tuple[str, tuple[Shown, ...]]] = [
        (label, (_count(a), _count(b))) for label, a, b in rows
    ]
    table_rows.append(
        (
            "Median days from a concern to its closing",
            (_days(now.median_days_to_close), _days(then.median_days_to_close)),
        )
    )
    table_rows += [
        ("Volunteer hours", tuple(Shown(round(h), f"{h:,.1f}") for h in hours)),
        ("Value of volunteer time", tuple(Shown(None, value_text(h, hour_pence)) for h in hours)),
    ]
    columns = ("This period", f"{show_date(before[0])} to {show_date(before[1])}")
    method = (
        f"Exact counts, for the board. Missed check-out: later than the expected end plus "
        f"{margin_minutes} minutes, or none once that time has passed. People reached is "
        f"counted where participants are recorded. Volunteer time is {_valued(hour_pence)}."
    )
    split = by_funder_table(funded, hour_pence)
    return Section(
        KEY,
        TITLE,
        (),
        (
            TableFigure("Beside the period before", Table(columns, tuple(table_rows)), method),
            *((split,) if split else ()),
        ),
    )


def _valued(pence: int | None) -> str:
    if pence is None:
        return "not valued until a rate is set in Settings"
    return f"valued at {pounds(pence)} an hour (the organisation's rate), to the pound"


def _count(n: int) -> Shown:
    return Shown(n, f"{n:,}")


def _days(median: float | None) -> Shown:
    if median is None:
        return Shown(None, "none closed")
    return Shown(round(median), f"{median:.1f}")


def _naive(moment: datetime) -> datetime:
    """UTC without a zone, as the database gives it back."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
