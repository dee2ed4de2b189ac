"""The volunteer list: everyone for coordinators; a supervisor's own record and supervisees';
a volunteer's own record. Contact details only for coordinators and the person themself.

Email and phone are sealed (docs/keys.md): they are opened here for the rows of one page, so
the list can no longer sort or search by them in SQL; it searches names, roles and status."""

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peerdesk.db.folding import contains_folded
from peerdesk.db.keyring import shown_value
from peerdesk.models import Role, Volunteer, VolunteerRole, VolunteerStatus
from peerdesk.services.browse.paging import (
    PageQuery,
    Query,
    Sorts,
    columns,
    count,
    joined,
    only,
    page,
    roles_of,
)
from peerdesk.services.permissions import (
    Actor,
    Permission,
    may_see_contact_details,
    require,
    visible_volunteer_ids,
)


@dataclass(frozen=True)
class VolunteerRow:
    id: uuid.UUID
    preferred_name: str
    full_name: str
    roles: tuple[str, ...]
    status: VolunteerStatus
    started_on: date | None
    email: str | None
    phone: str | None


_ROLE_NAMES = roles_of(VolunteerRole.volunteer_id, VolunteerRole.role_id, Volunteer.id)
VOLUNTEER_SORTS: Sorts = {
    "name": (func.lower(Volunteer.preferred_name), Volunteer.id),
    "full_name": (func.lower(Volunteer.last_name), func.lower(Volunteer.first_name), Volunteer.id),
    "roles": (_ROLE_NAMES, Volunteer.id),
    "status": (Volunteer.status, Volunteer.preferred_name, Volunteer.id),
    "started": (Volunteer.started_on, Volunteer.id),
}


def _volunteer_filter(session: Session, actor: Actor, stmt: Query, text: str) -> Query:
    stmt = only(stmt, Volunteer.id, visible_volunteer_ids(session, actor))
    t = text.strip()
    if not t:
        return stmt
    # Case and accents ignored: "sian" finds Siân, "ELODIE" finds Élodie. Not emails: they
    # are sealed, and a hidden column that filtered would spell them out a letter at a time.
    searched = "preferred_name first_name last_name"
    names = [contains_folded(c, t) for c in columns(Volunteer, searched)]
    # Typing a role ("facilitator") or a status ("paused") finds those people too.
    with_role = select(VolunteerRole.volunteer_id).join(Role, Role.id == VolunteerRole.role_id)
    roles = Volunteer.id.in_(with_role.where(contains_folded(Role.name, t)))
    statuses = [s for s in VolunteerStatus if t.casefold() in s.value]
    by_status = [Volunteer.status.in_(statuses)] if statuses else []
    return stmt.where(or_(*names, roles, *by_status))


def volunteers_page(
    session: Session, actor: Actor, q: PageQuery = PageQuery()
) -> list[VolunteerRow]:
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    roles = _ROLE_NAMES
    # Columns, not entities: loading Volunteer would also run its eager role query.
    cols = columns(Volunteer, "id preferred_name first_name last_name status started_on email")
    stmt = _volunteer_filter(session, actor, select(*cols, Volunteer.phone, roles), q.text)
    return [_volunteer_row(session, actor, r) for r in page(session, stmt, VOLUNTEER_SORTS, q)]


def _volunteer_row(session: Session, actor: Actor, r: Any) -> VolunteerRow:
    full = " ".join(p for p in (r.first_name, r.last_name) if p)
    row = VolunteerRow(
        r.id, r.preferred_name, full, joined(r[-1]), r.status, r.started_on, None, None
    )
    if not may_see_contact_details(actor, r.id):
        return row
    return replace(row, email=shown_value(session, r.email), phone=shown_value(session, r.phone))


def count_volunteers(session: Session, actor: Actor, text: str = "") -> int:
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    return count(session, _volunteer_filter(session, actor, select(Volunteer.id), text))
