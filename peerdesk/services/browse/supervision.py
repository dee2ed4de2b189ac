"""The supervision list: when, what kind, who led and how many attended; never notes or
wellbeing text. Coordinators see every session; supervisors those they led or their supervisees
attended; volunteers those they attended."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.models import SupervisionAttendee, SupervisionKind, SupervisionSession, User
from peerdesk.services.browse.paging import PageQuery, Query, Sorts, columns, count, matching, page
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
    "supervisor": (User.display_name, SupervisionSession.held_on, SupervisionSession.id),
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
    return stmt.where(SupervisionSession.supervisor_user_id.in_(supervisors))


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
    stmt = select(
        *columns(SupervisionSession, "id held_on kind"),
        User.display_name,
        SupervisionSession.duration_minutes,
        supervisees,
    ).join(User, User.id == SupervisionSession.supervisor_user_id)
    rows = page(session, _supervision_filter(session, actor, stmt, q.text), SUPERVISION_SORTS, q)
    return [SupervisionRow(*r) for r in rows]


def count_supervision(session: Session, actor: Actor, text: str = "") -> int:
    require(actor, Permission.VIEW_SUPERVISION)
    stmt = select(SupervisionSession.id)
    return count(session, _supervision_filter(session, actor, stmt, text))
