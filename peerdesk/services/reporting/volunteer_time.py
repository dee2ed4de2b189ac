"""Volunteer time for the board report's funders section: the hours given, their value at the
organisation's rate, and the work split by the funder or project each activity is for.

Hours are counted as the activity section counts them (each session's length, once for the
volunteer who logged it and once for each co-volunteer). Board only: hours by funder are sums
over a few people where a project is small, and the public report prints none of this (its
volunteer hours headline is the one total it prints)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import hours_between
from peerdesk.models import Activity, SessionCoVolunteer, SessionLog
from peerdesk.services.organisation import pounds
from peerdesk.services.reporting.activity import bounds_utc
from peerdesk.services.reporting.sections import TableFigure
from peerdesk.services.reporting.suppression import Shown
from peerdesk.services.reporting.tables import TOTAL, Table

NOT_TAGGED = "No funder or project given"


@dataclass(frozen=True)
class Funded:
    """One funder's or project's share of the period's work."""

    name: str
    sessions: int
    attendances: int
    hours: float


def read_funded(session: Session, start: date, end: date, zone: str) -> tuple[Funded, ...]:
    """The period's sessions, attendances and volunteer hours by the funder or project of
    their activity, the named ones by name and the untagged last."""
    since, until = bounds_utc(start, end, zone)
    others = (
        select(func.count())
        .where(SessionCoVolunteer.session_log_id == SessionLog.id)
        .scalar_subquery()
    )
    length = hours_between(SessionLog.started_at, SessionLog.ended_at)
    rows = session.execute(
        select(
            Activity.funded_by,
            func.count(),
            func.sum(SessionLog.attendees),
            func.sum(length * (1 + others)),
        )
        .join(Activity, Activity.id == SessionLog.activity_id)
        .where(SessionLog.started_at >= since, SessionLog.started_at < until)
        .group_by(Activity.funded_by)
    ).all()
    found: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for name, sessions, seen, hours in rows:
        share = found[(name or "").strip() or NOT_TAGGED]
        share[0] += sessions
        share[1] += seen or 0
        share[2] += hours or 0.0
    order = sorted(found, key=lambda n: (n == NOT_TAGGED, n.lower()))
    return tuple(Funded(n, int(found[n][0]), int(found[n][1]), found[n][2]) for n in order)


def total_hours(funded: tuple[Funded, ...]) -> float:
    return sum(f.hours for f in funded)


def value_text(hours: float, pence: int | None) -> str:
    """The hours' value at the rate, to the pound, or why there is none."""
    if pence is None:
        return "no rate set"
    return f"£{round(hours * pence / 100):,}"


def by_funder_table(funded: tuple[Funded, ...], pence: int | None) -> TableFigure | None:
    """The period's work by funder or project; None when no activity names one (a single
    row would only repeat the totals)."""
    if all(f.name == NOT_TAGGED for f in funded):
        return None
    columns = ("Sessions", "Attendances", "Volunteer hours", "Value of the hours")

    def row(f: Funded) -> tuple[str, tuple[Shown, ...]]:
        cells = (
            Shown(f.sessions, f"{f.sessions:,}"),
            Shown(f.attendances, f"{f.attendances:,}"),
            Shown(round(f.hours), f"{f.hours:,.1f}"),
            Shown(None, value_text(f.hours, pence)),
        )
        return f.name, cells

    total = Funded(
        TOTAL,
        sum(f.sessions for f in funded),
        sum(f.attendances for f in funded),
        total_hours(funded),
    )
    rate = (
        f"valued at {pounds(pence)} an hour, the organisation's rate"
        if pence is not None
        else "not valued: no rate is set in Settings"
    )
    return TableFigure(
        "By funder or project",
        Table(columns, (*map(row, funded), row(total))),
        "Session logs in the period by the funder or project named on their activity (edited "
        f"with the activity on the rota); volunteer hours {rate}.",
    )
