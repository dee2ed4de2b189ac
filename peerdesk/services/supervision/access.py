"""Who may record supervision, for whom, and who may read which parts of it.

| part of a session         | who may read it                                                     |
|---------------------------|---------------------------------------------------------------------|
| that it happened, summary | coordinators; its supervisor; supervisors of anyone who attended;   |
|                           | the supervisees listed in it                                        |
| agreed actions            | coordinators; the supervisee's supervisor; the supervisee           |
| wellbeing check           | coordinators; the session's supervisor; the supervisee it is about  |
| confidential notes        | coordinators and the note's author only                             |

Supervisors record sessions they lead with their own supervisees; coordinators record any
session, led by any supervisor or coordinator. Volunteers and trustees record none.
"""

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.errors import ValidationError
from peerdesk.models import User, Volunteer, VolunteerStatus
from peerdesk.services.permissions import (
    Actor,
    Permission,
    PermissionDenied,
    can,
    require,
    role_can,
    roles_with,
    supervisee_ids,
    visible_volunteer_ids,
)


def require_recorder(actor: Actor) -> None:
    require(actor, Permission.VIEW_SUPERVISION)
    require(actor, Permission.LEAD_SUPERVISION)


def supervisees_for(session: Session, actor: Actor, *days: date) -> set[uuid.UUID] | None:
    """Whom the actor may record supervision for: None means anyone (a coordinator). A
    supervisor's supervisees on any of `days` (the session's day and today: a pairing may have
    begun or ended in between)."""
    if can(actor, Permission.OVERSEE_SUPERVISION):
        return None
    found: set[uuid.UUID] = set()
    for day in days:
        found |= supervisee_ids(session, actor, day)
    return found


def readable_volunteers(session: Session, actor: Actor) -> set[uuid.UUID] | None:
    """Whose supervision (summaries, actions) the actor may read: None means everyone's."""
    require(actor, Permission.VIEW_SUPERVISION)
    return visible_volunteer_ids(session, actor)


def check_supervisor(session: Session, actor: Actor, user_id: uuid.UUID | None) -> uuid.UUID:
    """The session's supervisor: a supervisor records their own sessions; a coordinator may
    name any active supervisor or coordinator."""
    if user_id is None or user_id == actor.user_id:
        if actor.user_id is None:
            raise ValidationError("Choose who led the session.")
        return actor.user_id
    if not can(actor, Permission.OVERSEE_SUPERVISION):
        raise PermissionDenied("You can record only the sessions you lead yourself.")
    user = session.get(User, user_id)
    if user is None or not user.active or not role_can(user.role, Permission.LEAD_SUPERVISION):
        raise ValidationError(
            "The supervisor chosen cannot lead supervision any more; choose another."
        )
    return user_id


def may_record_for(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of everyone the actor may record supervision for today, by name: people who
    have not left."""
    require_recorder(actor)
    allowed = supervisees_for(session, actor, clock.today())
    stmt = (
        select(Volunteer.id, Volunteer.preferred_name)
        .where(Volunteer.status != VolunteerStatus.LEFT, Volunteer.anonymised_at.is_(None))
        .order_by(Volunteer.preferred_name, Volunteer.id)
    )
    if allowed is not None:
        stmt = stmt.where(Volunteer.id.in_(allowed))
    return [(vid, name) for vid, name in session.execute(stmt)]


def supervisors(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """(user id, name) of who may lead a session the actor records: themselves, or for a
    coordinator every active supervisor and coordinator (themselves first)."""
    require_recorder(actor)
    if not can(actor, Permission.OVERSEE_SUPERVISION):
        return [(actor.user_id, actor.display_name)] if actor.user_id else []
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.active.is_(True), User.role.in_(roles_with(Permission.LEAD_SUPERVISION)))
        .order_by(User.display_name)
    )
    found = [(uid, name) for uid, name in rows]
    return sorted(found, key=lambda r: r[0] != actor.user_id)
