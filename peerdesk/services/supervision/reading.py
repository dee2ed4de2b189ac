"""Reading supervision back: one session in full (as much of it as the reader may see), and the
agreed actions of the people the reader may see. The rules are in `access`; each part a reader
may not see is left out of what is returned, never blanked by the window."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.keyring import UNREADABLE, open_value, shown_value
from peerdesk.errors import ValidationError
from peerdesk.models import (
    ActionStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    User,
    Volunteer,
)
from peerdesk.services.permissions import (
    Actor,
    PermissionDenied,
    may_amend_supervision,
    may_read_confidential_note,
    may_see_wellbeing_words,
)
from peerdesk.services.supervision.access import readable_volunteers, supervisees_for

NOT_FOUND = "That supervision session is no longer on record."


@dataclass(frozen=True)
class AttendeeView:
    volunteer_id: uuid.UUID
    name: str
    attended: bool
    wellbeing_check: str | None  # None when empty or not the reader's to see


@dataclass(frozen=True)
class NoteView:
    author: str
    body: str
    by_leader: bool  # written by whoever led the session (the note the session form edits)


@dataclass(frozen=True)
class ActionView:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer: str
    description: str
    owner: str | None
    due_on: date | None
    status: ActionStatus
    done_on: date | None
    agreed_on: date  # the day of the session that agreed it


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    kind: SupervisionKind
    held_on: date
    duration_minutes: int
    supervisor: str
    shared_summary: str | None
    attendees: tuple[AttendeeView, ...]  # the ones the reader may see
    others: int  # how many more were listed, whom the reader may not see
    notes: tuple[NoteView, ...]  # only notes the reader may read
    actions: tuple[ActionView, ...]
    amendable: bool  # the reader led it or is a coordinator, so may put it right


def session_detail(session: Session, actor: Actor, session_id: uuid.UUID) -> SessionView:
    visible = readable_volunteers(session, actor)
    held = session.get(SupervisionSession, session_id)
    if held is None:
        raise ValidationError(NOT_FOUND)
    leads = held.supervisor_user_id == actor.user_id
    rows = session.execute(
        select(SupervisionAttendee, Volunteer.preferred_name)
        .join(Volunteer, Volunteer.id == SupervisionAttendee.volunteer_id)
        .where(SupervisionAttendee.session_id == held.id)
        .order_by(Volunteer.preferred_name)
    ).all()
    seen = [(a, name) for a, name in rows if visible is None or leads or a.volunteer_id in visible]
    if not seen and not leads:
        raise PermissionDenied("This supervision session is not one of yours to see.")
    return SessionView(
        id=held.id,
        kind=held.kind,
        held_on=held.held_on,
        duration_minutes=held.duration_minutes,
        supervisor=_user_name(session, held.supervisor_user_id),
        shared_summary=held.shared_summary,
        attendees=tuple(_attendee(session, actor, held, a, name) for a, name in seen),
        others=len(rows) - len(seen),
        notes=_notes(session, actor, held),
        actions=tuple(actions_of(session, {a.volunteer_id for a, _ in seen}, session_id=held.id)),
        amendable=may_amend_supervision(actor, held.supervisor_user_id),
    )


def _attendee(
    session: Session, actor: Actor, held: SupervisionSession, a: SupervisionAttendee, name: str
) -> AttendeeView:
    shown = may_see_wellbeing_words(actor, a.volunteer_id, held.supervisor_user_id)
    wellbeing = shown_value(session, a.wellbeing_check) if shown else None
    return AttendeeView(a.volunteer_id, name, a.attended, wellbeing)


def _notes(session: Session, actor: Actor, held: SupervisionSession) -> tuple[NoteView, ...]:
    rows = session.execute(
        select(SupervisionNote.author_user_id, User.display_name, SupervisionNote.body)
        .join(User, User.id == SupervisionNote.author_user_id)
        .where(SupervisionNote.session_id == held.id)
        .order_by(SupervisionNote.created_at)
    )
    return tuple(
        NoteView(name, open_value(session, body) or UNREADABLE, author == held.supervisor_user_id)
        for author, name, body in rows
        if may_read_confidential_note(actor, author)
    )


def _user_name(session: Session, user_id: uuid.UUID) -> str:
    return session.scalar(select(User.display_name).where(User.id == user_id)) or "Unknown"


def actions_of(
    session: Session,
    volunteer_ids: set[uuid.UUID] | None,
    open_only: bool = False,
    session_id: uuid.UUID | None = None,
) -> list[ActionView]:
    """Actions of these volunteers (None: everyone's), open ones first by due date. Callers
    check who may see them."""
    stmt = (
        select(SupervisionAction, Volunteer.preferred_name, SupervisionSession.held_on)
        .join(Volunteer, Volunteer.id == SupervisionAction.volunteer_id)
        .join(SupervisionSession, SupervisionSession.id == SupervisionAction.session_id)
    )
    if volunteer_ids is not None:
        stmt = stmt.where(SupervisionAction.volunteer_id.in_(volunteer_ids))
    if open_only:
        stmt = stmt.where(SupervisionAction.status == ActionStatus.OPEN)
    if session_id is not None:
        stmt = stmt.where(SupervisionAction.session_id == session_id)
    rows = [
        ActionView(
            a.id, a.volunteer_id, name, a.description, a.owner, a.due_on, a.status, a.done_on, held
        )
        for a, name, held in session.execute(stmt)
    ]
    return sorted(rows, key=_action_order)


def _action_order(a: ActionView) -> tuple[bool, date, date, str]:
    return (a.status is not ActionStatus.OPEN, a.due_on or date.max, a.agreed_on, a.volunteer)


def agreed_actions(session: Session, actor: Actor, open_only: bool = True) -> list[ActionView]:
    """The actions the actor may see: their own, their supervisees', or (coordinators) all."""
    return actions_of(session, readable_volunteers(session, actor), open_only)


def actions_to_carry(
    session: Session, actor: Actor, volunteer_ids: set[uuid.UUID]
) -> list[ActionView]:
    """Open actions of the people in a session being recorded, to look at again in it."""
    readable_volunteers(session, actor)  # the permission check
    allowed = supervisees_for(session, actor, clock.today())
    wanted = volunteer_ids if allowed is None else volunteer_ids & allowed
    return actions_of(session, wanted, open_only=True) if wanted else []


def set_action_status(
    session: Session, actor: Actor, action_id: uuid.UUID, status: ActionStatus, on: date
) -> None:
    """Mark an action done, dropped or open again between sessions: the supervisee themself,
    their supervisor, or a coordinator."""
    visible = readable_volunteers(session, actor)
    action = session.get(SupervisionAction, action_id)
    if action is None:
        raise ValidationError("That action is no longer on record.")
    if visible is not None and action.volunteer_id not in visible:
        raise PermissionDenied("That action is not one of yours to change.")
    action.status = status
    action.done_on = on if status is ActionStatus.DONE else None
    session.flush()
