"""The Sessions page: session logs narrowed by period, activity, venue and volunteer, and the
totals for exactly those logs (sessions, volunteer hours, attendances, new people).

Who sees which logs is decided once, in `browse.sessions`: coordinators every log, supervisors
their own and their supervisees', volunteers their own and those they co-delivered.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.db.portable import hours_between
from peerdesk.models import Activity, SessionCoVolunteer, SessionLog, Volunteer
from peerdesk.services.browse.paging import PageQuery, Query
from peerdesk.services.browse.sessions import (
    SESSION_SORTS,
    SessionLogRow,
    count_session_logs,
    session_logs_page,
    visible_session_logs,
)
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor


@dataclass(frozen=True)
class SessionFilter:
    """Which logs: days are inclusive and local; `volunteer_id` matches whoever logged the
    session or co-delivered it. None means no limit."""

    first_day: date | None = None
    last_day: date | None = None
    activity_id: uuid.UUID | None = None
    venue_id: uuid.UUID | None = None
    volunteer_id: uuid.UUID | None = None

    def narrow(self, session: Session, stmt: Query) -> Query:
        here = group_zone(session)
        if self.first_day is not None:
            start = datetime.combine(self.first_day, time(), here).astimezone(UTC)
            stmt = stmt.where(SessionLog.started_at >= start)
        if self.last_day is not None:
            end = datetime.combine(self.last_day + timedelta(days=1), time(), here)
            stmt = stmt.where(SessionLog.started_at < end.astimezone(UTC))
        if self.activity_id is not None:
            stmt = stmt.where(SessionLog.activity_id == self.activity_id)
        if self.venue_id is not None:
            stmt = stmt.where(SessionLog.venue_id == self.venue_id)
        if self.volunteer_id is not None:
            co = select(SessionCoVolunteer.session_log_id).where(
                SessionCoVolunteer.volunteer_id == self.volunteer_id
            )
            stmt = stmt.where(
                or_(SessionLog.volunteer_id == self.volunteer_id, SessionLog.id.in_(co))
            )
        return stmt


@dataclass(frozen=True)
class SessionTotals:
    sessions: int
    volunteer_hours: float  # each session's length times everyone who delivered it
    attendances: int
    new_people: int


def filtered_page(
    session: Session, actor: Actor, q: PageQuery, where: SessionFilter
) -> list[SessionLogRow]:
    """One page of the matching logs. The page's ids are chosen first, then read in full by
    id: handing the filter to the list's paging query made SQLite, which has no statistics,
    walk every log of a chosen activity to fetch 200 of them (0.2 s on ten years of data)."""
    keys = SESSION_SORTS[q.sort or next(iter(SESSION_SORTS))]
    order = [k.desc() if q.descending else k.asc() for k in keys]
    stmt = (
        select(SessionLog.id)
        .join(Activity, Activity.id == SessionLog.activity_id)
        .join(Volunteer, Volunteer.id == SessionLog.volunteer_id)
    )
    stmt = where.narrow(session, visible_session_logs(session, actor, stmt, q.text))
    ids = list(session.scalars(stmt.order_by(*order).offset(max(q.offset, 0)).limit(q.limit)))
    if not ids:
        return []
    chosen = replace(q, offset=0)
    return session_logs_page(session, actor, chosen, lambda s: s.where(SessionLog.id.in_(ids)))


def filtered_count(session: Session, actor: Actor, text: str, where: SessionFilter) -> int:
    return count_session_logs(session, actor, text, lambda stmt: where.narrow(session, stmt))


def session_totals(
    session: Session, actor: Actor, where: SessionFilter, text: str = ""
) -> SessionTotals:
    """The totals of the logs the actor may see that match the filter, in one pass over the
    logs. Volunteer hours count each log's length once for whoever logged it and once more for
    each co-volunteer (looked up in their covering primary key: joining a grouped count, or
    joining the co-volunteers to the logs, costs two to four times as much)."""
    hours = hours_between(SessionLog.started_at, SessionLog.ended_at)
    others = (
        select(func.count())
        .where(SessionCoVolunteer.session_log_id == SessionLog.id)
        .scalar_subquery()
    )
    stmt = select(
        func.count(),
        func.coalesce(func.sum(hours * (1 + others)), 0.0),
        func.coalesce(func.sum(SessionLog.attendees), 0),
        func.coalesce(func.sum(SessionLog.new_attendees), 0),
    ).select_from(SessionLog)
    stmt = where.narrow(session, visible_session_logs(session, actor, stmt, text))
    sessions, volunteer_hours, attendances, new = session.execute(stmt).one()
    return SessionTotals(sessions, round(float(volunteer_hours), 1), attendances, new)
