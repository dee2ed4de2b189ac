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
    """Each act a role may or may not do. The value finishes "Your account (role) cannot …"."""

    VIEW_VOLUNTEER_LIST = "view the volunteer list"
    EDIT_VOLUNTEERS = "change volunteer records"
    VIEW_VOLUNTEER_NOTES = "see the coordinators' notes on volunteers"
    VIEW_CONTACT_DETAILS = "see everyone's contact details"
    VIEW_EQUALITY = "see everyone's equality monitoring answers"
    EXPORT_RECORDS = "export anyone's volunteer record"
    VIEW_ROTA = "see the rota"
    VIEW_ROTA_NAMES = "see who is on each shift"
    EDIT_ROTA = "change the rota"
    VIEW_SESSION_LOGS = "see session logs"
    VIEW_ALL_RECORDS = "see everyone's personal records"
    LOG_SESSIONS = "log sessions, check in for lone working and raise safeguarding concerns"
    LOG_SESSIONS_FOR_OTHERS = "log sessions for someone else"
    CORRECT_SESSION_LOGS = "correct a session log"
    WATCH_LONE_WORKING = "see and confirm who has not checked out"
    VIEW_SUPERVISION = "see supervision records"
    LEAD_SUPERVISION = "record supervision"
    OVERSEE_SUPERVISION = "see and record everyone's supervision"
    VIEW_TRAINING = "see training records"
    VIEW_CATALOGUE = "see the course catalogue"
    KEEP_TRAINING = "record training or change the course catalogue"
    VIEW_COMPLIANCE = "see the training compliance matrix"
    KEEP_DBS = "record DBS checks"
    VIEW_REPORTS = "see reports"
    VIEW_FIGURES = "see the group's figures"
    EXPORT_REPORTS = "export reports"
    WRITE_NARRATIVE = "write a report's narrative"
    SIGN_OFF_REPORTS = "sign off a report"
    VIEW_SAFEGUARDING = "see safeguarding concerns"
    ACT_ON_CONCERNS = "act on a safeguarding concern"
    MANAGE_USERS = "manage accounts"
    VIEW_AUDIT = "see the audit trail"
    MANAGE_DATA = "look after the data (check, back up, restore, re-key)"
    USE_PIN = "sign in with a PIN"
    RECORD_FEEDBACK = "record feedback from the people the group supports"
    MANAGE_MEASURES = "change the outcome measures or the communities they are reported by"


_P = Permission
# The one table of who holds what; tests/test_policy_table.py writes the whole matrix out.
_EVERYONE_SIGNED_IN = {_P.VIEW_ROTA, _P.VIEW_REPORTS, _P.VIEW_CATALOGUE}
# What a volunteer does with their own records (and a supervisor with their supervisees').
_PEOPLE = {
    _P.VIEW_VOLUNTEER_LIST,
    _P.VIEW_ROTA_NAMES,
    _P.VIEW_SESSION_LOGS,
    _P.VIEW_SUPERVISION,
    _P.VIEW_TRAINING,
    _P.LOG_SESSIONS,
    _P.RECORD_FEEDBACK,
}
# Sign-off is the board's check on a report, so the coordinator who wrote it cannot give it.
_BOARD_ONLY = {_P.SIGN_OFF_REPORTS}
# A PIN is quick on a shared laptop, and only a volunteer's account opens so little.
_VOLUNTEER_ONLY = {_P.USE_PIN}
ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.COORDINATOR: frozenset(set(Permission) - _BOARD_ONLY - _VOLUNTEER_ONLY),
    UserRole.SUPERVISOR: frozenset(
        _EVERYONE_SIGNED_IN | _PEOPLE | {_P.LEAD_SUPERVISION, _P.VIEW_COMPLIANCE}
    ),
    UserRole.VOLUNTEER: frozenset(_EVERYONE_SIGNED_IN | _PEOPLE | _VOLUNTEER_ONLY),
    UserRole.TRUSTEE: frozenset(
        _EVERYONE_SIGNED_IN | _BOARD_ONLY | {_P.VIEW_FIGURES, _P.EXPORT_REPORTS}
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


def can(actor: Actor, permission: Permission) -> bool:
    return role_can(actor.role, permission)


def require(actor: Actor, permission: Permission) -> None:
    if can(actor, permission):
        return
    if role_can(UserRole.COORDINATOR, permission):
        then = "Ask a coordinator if you need to."
    else:
        then = f"Only a {' or a '.join(r.value for r in roles_with(permission))} can."
    raise PermissionDenied(f"Your account ({actor.role.value}) cannot {permission.value}. {then}")


def role_can(role: UserRole, permission: Permission) -> bool:
    """What an account of `role` could do: for rules about someone else's account (the last
    person who can manage accounts, who may lead supervision, who may use a PIN)."""
    return permission in ROLE_PERMISSIONS[role]


def roles_with(permission: Permission) -> tuple[UserRole, ...]:
    """The roles holding `permission`, in the order of `UserRole` (for queries over accounts)."""
    return tuple(r for r in UserRole if role_can(r, permission))


# Relational rules: whether the actor may do something to one record depends on whose it is. ----


def _own(actor: Actor, volunteer_id: uuid.UUID | None) -> bool:
    return actor.volunteer_id is not None and actor.volunteer_id == volunteer_id


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
    """Whose personal records the actor may see: None means everyone's. A supervisor sees
    their supervisees'; anyone linked to a volunteer record sees their own."""
    if can(actor, Permission.VIEW_ALL_RECORDS):
        return None
    if not can(actor, Permission.VIEW_VOLUNTEER_LIST):
        return set()
    own = {actor.volunteer_id} if actor.volunteer_id else set()
    if can(actor, Permission.LEAD_SUPERVISION):
        return own | supervisee_ids(session, actor)
    return own


def supervision_queue_ids(session: Session, actor: Actor, on: date) -> set[uuid.UUID] | None:
    """Whose supervision the actor keeps track of (None: everyone's): a supervisor their
    supervisees' (their own is in someone else's queue), a volunteer their own."""
    if can(actor, Permission.OVERSEE_SUPERVISION):
        return None
    if can(actor, Permission.LEAD_SUPERVISION):
        return supervisee_ids(session, actor, on)
    return {actor.volunteer_id} if actor.volunteer_id else set()


def may_see_contact_details(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """Phone, email, address and emergency contact: coordinators, and the person themself."""
    return can(actor, Permission.VIEW_CONTACT_DETAILS) or _own(actor, volunteer_id)


def may_see_equality(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """Equality monitoring answers. Not supervisors: monitoring is about the group, never part
    of supervising a person."""
    return can(actor, Permission.VIEW_EQUALITY) or _own(actor, volunteer_id)


def may_export_record(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """A volunteer's whole record as a file (a subject access request): coordinators, and the
    person themself."""
    return can(actor, Permission.EXPORT_RECORDS) or _own(actor, volunteer_id)


def may_log_sessions_for(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """Whose sessions the actor may log: their own (anyone who logs sessions), and anyone's for a
    coordinator (they often run sessions, or enter them from paper)."""
    if not can(actor, Permission.LOG_SESSIONS):
        return False
    return can(actor, Permission.LOG_SESSIONS_FOR_OTHERS) or _own(actor, volunteer_id)


def may_record_feedback_for(actor: Actor, session_volunteer_id: uuid.UUID | None) -> bool:
    """Feedback on a session: whoever may log that session (the locked feedback screen acts for
    the volunteer who opened it); feedback tied to no session log: anyone who records feedback."""
    if not can(actor, Permission.RECORD_FEEDBACK):
        return False
    return session_volunteer_id is None or may_log_sessions_for(actor, session_volunteer_id)


def may_read_feedback_words(actor: Actor, entered_by_user_id: uuid.UUID | None) -> bool:
    """A participant's own words ("What helped?", their goals): coordinators, and the account
    that entered them (the keys enforce the same: the words are sealed to just those)."""
    by_account = actor.user_id is not None and actor.user_id == entered_by_user_id
    return can(actor, Permission.VIEW_ALL_RECORDS) or by_account


def may_see_session_notes(actor: Actor, volunteer_id: uuid.UUID) -> bool:
    """The notes on a session log: whoever logged it, and coordinators (not the co-volunteers)."""
    return can(actor, Permission.VIEW_ALL_RECORDS) or _own(actor, volunteer_id)


def may_act_on_rota_for(actor: Actor, volunteer_id: uuid.UUID | None) -> bool:
    """Someone's own place on the rota (availability, cover, notes, their shifts as a
    calendar): the person themself, and coordinators for anyone."""
    return can(actor, Permission.EDIT_ROTA) or _own(actor, volunteer_id)


def may_see_concern(
    actor: Actor, raised_by_user_id: uuid.UUID | None, raised_by_volunteer_id: uuid.UUID | None
) -> bool:
    """A safeguarding concern: coordinators, and whoever raised it (by account or by person)."""
    if can(actor, Permission.VIEW_SAFEGUARDING):
        return True
    by_account = actor.user_id is not None and raised_by_user_id == actor.user_id
    return by_account or _own(actor, raised_by_volunteer_id)


def may_amend_supervision(actor: Actor, led_by_user_id: uuid.UUID) -> bool:
    """A supervision session's record: the supervisor who led it, and coordinators."""
    return can(actor, Permission.OVERSEE_SUPERVISION) or led_by_user_id == actor.user_id


def may_see_wellbeing_words(
    actor: Actor, volunteer_id: uuid.UUID, led_by_user_id: uuid.UUID
) -> bool:
    """A supervisee's own words on how they are: for them, the supervisor who heard them, and
    coordinators (not another supervisor, not the other attendees of a group session)."""
    return may_amend_supervision(actor, led_by_user_id) or _own(actor, volunteer_id)


def may_read_confidential_note(actor: Actor, author_user_id: uuid.UUID) -> bool:
    """A confidential supervision note: its author and coordinators only."""
    return can(actor, Permission.OVERSEE_SUPERVISION) or actor.user_id == author_user_id


def needs_volunteer_record(role: UserRole) -> bool:
    """An account that acts only on its own records needs a volunteer record to act on."""
    return role is UserRole.VOLUNTEER


def starts_at_logging(actor: Actor) -> bool:
    """A volunteer signs in to log a session: the window opens there for them."""
    return actor.role is UserRole.VOLUNTEER
