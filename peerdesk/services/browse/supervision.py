"""The supervision list: when, what kind, who led and how many attended; never notes or
wellbeing text. Coordinators see every session; supervisors those they led or their supervisees
attended; volunteers those they attended."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.models import SupervisionAttendee, SupervisionKind, SupervisionSession, User
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
from peerdesk.services.permissions import Actor, Permission, require, visible_volunteer_ids


@dataclass(frozen=True)
class SupervisionRow:
    id: uuid.UUID
    held_on: date
    kind: SupervisionKind
    supervisor: str
    duration_minutes: int
    supervisees: int


SUPERVISION_SORTS: Sorts = {
    "date": (SupervisionSession.held_on, SupervisionSession.id),
    # The supervisor's id parts two of one name, so SQLite can walk the supervisors in name order
    # (ix_users_display_name) and each one's sessions by day (see NameFirst).
    "supervisor": (
        User.display_name,
        User.id,
        SupervisionSession.held_on,
        SupervisionSession.id,
    ),
}


def _supervision_filter(session: Session, actor: Actor, stmt: Query, text: str) -> Query:
    visible = visible_volunteer_ids(session, actor)
    if visible is not None:
        attended_by = select(SupervisionAttendee.session_id).where(
            SupervisionAttendee.volunteer_id.in_(visible)
        )
        stmt = stmt.where(
            or_(
                SupervisionSession.supervisor_user_id == actor.user_id,
                SupervisionSession.id.in_(attended_by),
            )
        )
    t = text.strip()
    if not t:
        return stmt
    supervisors = matching(User.display_name, User.id, t)
    return stmt.where(row_by_row(SupervisionSession.supervisor_user_id).in_(supervisors))


def supervision_page(
    session: Session, actor: Actor, q: PageQuery = PageQuery()
) -> list[SupervisionRow]:
    require(actor, Permission.VIEW_SUPERVISION)
    supervisees = (
        select(func.count())
        .where(
            SupervisionAttendee.session_id == SupervisionSession.id,
            SupervisionAttendee.attended.is_(True),
        )
        .scalar_subquery()
    )
    shown = select(
        *columns(SupervisionSession, "id held_on kind"),
        User.display_name,
        SupervisionSession.duration_minutes,
        supervisees,
    )
    walk = _supervision_filter(session, actor, shown.select_from(_sessions_from(q.sort)), q.text)
    rows = page(session, shown.select_from(_sessions_from(None)), SUPERVISION_SORTS, q, walk)
    return [SupervisionRow(*r) for r in rows]


def _sessions_from(sort: str | None) -> Any:
    sessions, users = SupervisionSession.__table__, User.__table__
    led_by = users.c.id == sessions.c.supervisor_user_id
    if sort == "supervisor":
        return NameFirst(users, sessions, led_by)
    return sessions.join(users, led_by)


def count_supervision(session: Session, actor: Actor, text: str = "") -> int:
    require(actor, Permission.VIEW_SUPERVISION)
    stmt = select(SupervisionSession.id)
    return count(session, _supervision_filter(session, actor, stmt, text))
