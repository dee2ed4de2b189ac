"""Who may do what. Every service function takes an `Actor` and asks here; the UI only hides
what a role cannot do, it is never the guard.

| role        | sees                                                                      |
|-------------|---------------------------------------------------------------------------|
| coordinator | everything; manages people, the rota, users, backups and the audit trail  |
| supervisor  | their own record; supervision of their supervisees (never other notes)    |
| volunteer   | their own profile, shifts, logs, supervision summaries, actions, training;|
|             | the rota (who is on which shift) but not other people's contact details   |
| trustee     | aggregate figures and reports; no personal notes, no contact details      |
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.errors import PeerdeskError
from peerdesk.models import SupervisionPairing, UserRole


class PermissionDenied(PeerdeskError):
    """The signed-in person's role does not allow this."""


class Permission(enum.StrEnum):
    VIEW_VOLUNTEER_LIST = "view the volunteer list"
    EDIT_VOLUNTEERS = "change volunteer records"
    VIEW_ROTA = "see the rota"
    EDIT_ROTA = "change the rota"
    VIEW_SESSION_LOGS = "see session logs"
    VIEW_ALL_SESSION_LOGS = "see everyone's session logs"
    LOG_SESSIONS = "log sessions, check in for lone working and raise safeguarding concerns"
    VIEW_SUPERVISION = "see supervision records"
    VIEW_TRAINING = "see training records"
    VIEW_CATALOGUE = "see the course catalogue"
    VIEW_REPORTS = "see reports and figures"
    EXPORT_REPORTS = "export reports"
    SEE_GOVERNANCE_FIGURES = "see the governance figures (the board and public reports)"
    VIEW_SAFEGUARDING = "see safeguarding concerns"
    MANAGE_USERS = "manage accounts"
    VIEW_AUDIT = "see the audit trail"
    MANAGE_DATA = "look after the data (check, back up, restore, re-key)"


_EVERYONE_SIGNED_IN = {Permission.VIEW_ROTA, Permission.VIEW_REPORTS, Permission.VIEW_CATALOGUE}
_PEOPLE = {
    Permission.VIEW_VOLUNTEER_LIST,
    Permission.VIEW_SESSION_LOGS,
    Permission.VIEW_SUPERVISION,
    Permission.VIEW_TRAINING,
    Permission.LOG_SESSIONS,
}
ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.COORDINATOR: frozenset(Permission),
    UserRole.SUPERVISOR: frozenset(_EVERYONE_SIGNED_IN | _PEOPLE),
    UserRole.VOLUNTEER: frozenset(_EVERYONE_SIGNED_IN | _PEOPLE),
    UserRole.TRUSTEE: frozenset(
        _EVERYONE_SIGNED_IN | {Permission.EXPORT_REPORTS, Permission.SEE_GOVERNANCE_FIGURES}
    ),
}


@dataclass(frozen=True)
class Actor:
    """The person a service call acts for."""

    user_id: uuid.UUID | None
    username: str
    display_name: str
    role: UserRole
    volunteer_id: uuid.UUID | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role is UserRole.COORDINATOR


def can(actor: Actor, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[actor.role]


def require(actor: Actor, permission: Permission) -> None:
    if not can(actor, permission):
        raise PermissionDenied(
            f"Your account ({actor.role.value}) cannot {permission.value}. "
            "Ask a coordinator if you need to."
        )


def supervisee_ids(session: Session, actor: Actor, on: date | None = None) -> set[uuid.UUID]:
    """Volunteers the actor supervises now (or on a given day)."""
    if actor.user_id is None:
        return set()
    day = on or clock.today()
    rows = session.scalars(
        select(SupervisionPairing.volunteer_id).where(
            SupervisionPairing.supervisor_user_id == actor.user_id,
            SupervisionPairing.since_on <= day,
            or_(SupervisionPairing.until_on.is_(None), SupervisionPairing.until_on >= day),
        )
    )
    return set(rows)


def visible_volunteer_ids(session: Session, actor: Actor) -> set[uuid.UUID] | None:
    """Whose personal records the actor may see: None means everyone's."""
    if actor.is_coordinator:
        return None
    own = {actor.volunteer_id} if actor.volunteer_id else set()
    if actor.role is UserRole.SUPERVISOR:
        return own | supervisee_ids(session, actor)
    if actor.role is UserRole.VOLUNTEER:
        return own
    return set()


def may_see_contact_details(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """Phone, email, address and emergency contact: coordinators, and the person themself."""
    return actor.is_coordinator or actor.volunteer_id == volunteer_id


def may_log_sessions_for_others(actor: Actor) -> bool:
    """Coordinators log sessions for anyone: they often run sessions, or enter them from paper."""
    return actor.is_coordinator and can(actor, Permission.LOG_SESSIONS)


def may_log_sessions_for(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """Whose sessions the actor may log: their own (anyone who logs sessions), and anyone's for a
    coordinator."""
    if not can(actor, Permission.LOG_SESSIONS):
        return False
    return may_log_sessions_for_others(actor) or actor.volunteer_id == volunteer_id


def may_read_confidential_note(actor: Actor, author_user_id: uuid.UUID) -> bool:
    """A confidential supervision note: its author and coordinators only."""
    return actor.is_coordinator or actor.user_id == author_user_id
