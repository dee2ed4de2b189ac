"""The session-log list: what was delivered, when, by whom, and anonymous head counts (never the
notes). Coordinators see every log; supervisors their own and their supervisees'; volunteers
their own and those they co-delivered."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peerdesk.models import Activity, SessionCoVolunteer, SessionLog, SessionMode, Volunteer
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
from peerdesk.services.permissions import Actor, Permission, require, visible_volunteer_ids


@dataclass(frozen=True)
class SessionLogRow:
    id: uuid.UUID
    day: date
    starts: time
    activity: str
    volunteer: str
    mode: SessionMode
    attendees: int
    new_attendees: int


SESSION_SORTS: Sorts = {
    "date": (SessionLog.started_at, SessionLog.id),
    # The volunteer's id parts two people of one name, so SQLite can walk people in name order
    # (ix_volunteers_name) and each one's logs by start, stopping at the page's end.
    "volunteer": (Volunteer.preferred_name, Volunteer.id, SessionLog.started_at, SessionLog.id),
    "activity": (Activity.name, SessionLog.started_at, SessionLog.id),
}


def _session_filter(session: Session, actor: Actor, stmt: Query, text: str) -> Query:
    visible = visible_volunteer_ids(session, actor)
    if visible is not None:
        co_delivered = select(SessionCoVolunteer.session_log_id).where(
            SessionCoVolunteer.volunteer_id.in_(visible)
        )
        stmt = stmt.where(
            or_(SessionLog.volunteer_id.in_(visible), SessionLog.id.in_(co_delivered))
        )
    t = text.strip()
    if not t:
        return stmt
    return stmt.where(
        or_(
            row_by_row(SessionLog.volunteer_id).in_(
                matching(Volunteer.preferred_name, Volunteer.id, t)
            ),
            row_by_row(SessionLog.activity_id).in_(matching(Activity.name, Activity.id, t)),
        )
    )


def _everything(stmt: Query) -> Query:
    return stmt


def session_logs_page(
    session: Session,
    actor: Actor,
    q: PageQuery = PageQuery(),
    narrow: Callable[[Query], Query] = _everything,
) -> list[SessionLogRow]:
    """`narrow`: further conditions, such as the Sessions page's filters."""
    require(actor, Permission.VIEW_SESSION_LOGS)
    shown = select(
        *columns(SessionLog, "id started_at mode attendees new_attendees"),
        Activity.name.label("activity"),
        Volunteer.preferred_name.label("volunteer"),
    )
    walk = narrow(_session_filter(session, actor, shown.select_from(_logs_from(q.sort)), q.text))
    here = group_zone(session)
    rows = page(session, shown.select_from(_logs_from(None)), SESSION_SORTS, q, walk)
    return [_session_row(r, r.started_at.astimezone(here)) for r in rows]


def _logs_from(sort: str | None) -> Any:
    """The logs with their activity and volunteer, read in the order of `sort` (see NameFirst)."""
    logs, activities, people = SessionLog.__table__, Activity.__table__, Volunteer.__table__
    by_activity = activities.c.id == logs.c.activity_id
    by_person = people.c.id == logs.c.volunteer_id
    if sort == "volunteer":
        return NameFirst(people, logs, by_person).join(activities, by_activity)
    if sort == "activity":
        return NameFirst(activities, logs, by_activity).join(people, by_person)
    return logs.join(activities, by_activity).join(people, by_person)


def _session_row(r: Any, start: datetime) -> SessionLogRow:
    return SessionLogRow(
        r.id,
        start.date(),
        start.time(),
        r.activity,
        r.volunteer,
        r.mode,
        r.attendees,
        r.new_attendees,
    )


def count_session_logs(
    session: Session,
    actor: Actor,
    text: str = "",
    narrow: Callable[[Query], Query] = _everything,
) -> int:
    require(actor, Permission.VIEW_SESSION_LOGS)
    return count(session, narrow(_session_filter(session, actor, select(SessionLog.id), text)))


def visible_session_logs(session: Session, actor: Actor, stmt: Query, text: str = "") -> Query:
    """`stmt` (over SessionLog) narrowed to the logs the actor may see, matching `text`."""
    require(actor, Permission.VIEW_SESSION_LOGS)
    return _session_filter(session, actor, stmt, text)
