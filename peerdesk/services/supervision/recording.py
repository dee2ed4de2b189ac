"""Recording a supervision session: 1:1 or group, who came, the shared summary, a confidential
note, each supervisee's wellbeing in their own words, actions agreed, open actions carried
forward (done, dropped or still open), and follow-ups the session dealt with.

Everything is checked before anything is written, and all of it is written in the caller's one
transaction, so a refused session leaves nothing behind. Error sentences never quote what was
typed: a summary or note may be confidential.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.keyring import seal_for
from peerdesk.errors import ValidationError
from peerdesk.models import (
    ActionStatus,
    FollowUp,
    FollowUpStatus,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionKind,
    SupervisionNote,
    SupervisionSession,
    Volunteer,
)
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.supervision.access import (
    check_supervisor,
    require_recorder,
    supervisees_for,
)
from peerdesk.services.volunteers.common import check_date, tidy

MAX_MINUTES = 8 * 60
MAX_OWNER = 200


@dataclass(frozen=True)
class AttendeeInput:
    volunteer_id: uuid.UUID
    attended: bool = True
    wellbeing_check: str | None = None  # in the supervisee's own words


@dataclass(frozen=True)
class ActionInput:
    volunteer_id: uuid.UUID
    description: str
    owner: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class SessionInput:
    kind: SupervisionKind
    held_on: date
    duration_minutes: int
    attendees: tuple[AttendeeInput, ...]
    supervisor_user_id: uuid.UUID | None = None  # None: the person recording it
    shared_summary: str | None = None
    confidential_note: str | None = None
    new_actions: tuple[ActionInput, ...] = ()
    # Open actions looked at again in this session: their new status (left out: still open).
    carried: dict[uuid.UUID, ActionStatus] = field(default_factory=dict)
    # Follow-ups talked through in this session, which it closes.
    follow_ups_closed: frozenset[uuid.UUID] = frozenset()


def record_session(
    session: Session, actor: Actor, data: SessionInput, today: date | None = None
) -> uuid.UUID:
    """Check and write one session; returns its id."""
    require_recorder(actor)
    day = today or clock.today()
    data = replace(data, kind=SupervisionKind(data.kind))  # a plain "group" from a form is fine
    supervisor = check_supervisor(session, actor, data.supervisor_user_id)
    _check_when(data, day)
    people = _check_attendees(session, actor, data, day)
    actions = _check_new_actions(data, people)
    carried = _check_carried(session, data, people)
    follow_ups = _check_follow_ups(session, data, people)
    held = SupervisionSession(
        kind=data.kind,
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        supervisor_user_id=supervisor,
        shared_summary=tidy(data.shared_summary),
    )
    session.add(held)
    session.flush()
    _write(session, held, data, supervisor, actions)
    for action in carried:
        action.status = data.carried[action.id]
        action.done_on = data.held_on if action.status is ActionStatus.DONE else None
    for follow_up in follow_ups:
        follow_up.status, follow_up.closed_at = FollowUpStatus.CLOSED, clock.now()
        follow_up.closed_by_session_id = held.id
    session.flush()
    return held.id


def _write(
    session: Session,
    held: SupervisionSession,
    data: SessionInput,
    supervisor: uuid.UUID,
    actions: list[ActionInput],
) -> None:
    for a in data.attendees:
        wellbeing = tidy(a.wellbeing_check) if a.attended else None
        session.add(
            SupervisionAttendee(
                session_id=held.id,
                volunteer_id=a.volunteer_id,
                attended=a.attended,
                wellbeing_check=wellbeing,
            )
        )
    note = tidy(data.confidential_note)
    if note is not None:
        # A 1:1 note is about its supervisee; a group note about the group.
        about = data.attendees[0].volunteer_id if data.kind is SupervisionKind.ONE_TO_ONE else None
        # Sealed to its author and the coordinators (see docs/keys.md).
        sealed = seal_for(session, note, [supervisor]) or ""
        session.add(
            SupervisionNote(
                session_id=held.id, author_user_id=supervisor, about_volunteer_id=about, body=sealed
            )
        )
    for action in actions:
        session.add(
            SupervisionAction(
                session_id=held.id,
                volunteer_id=action.volunteer_id,
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
            )
        )


def _check_when(data: SessionInput, today: date) -> None:
    check_date(data.held_on, "session date", today)
    if data.held_on > today:
        raise ValidationError(
            "The session date is in the future; record a session once it has happened."
        )
    if not 0 < data.duration_minutes <= MAX_MINUTES:
        raise ValidationError("The length of the session should be between 1 minute and 8 hours.")


def _check_attendees(
    session: Session, actor: Actor, data: SessionInput, today: date
) -> set[uuid.UUID]:
    """The supervisees who came; refuses a list the actor may not record or that does not fit
    the kind of session."""
    ids = [a.volunteer_id for a in data.attendees]
    if not ids:
        raise ValidationError("Add the supervisee (or, for a group, the supervisees) first.")
    if len(set(ids)) != len(ids):
        raise ValidationError("Someone is listed twice; list each supervisee once.")
    if data.kind is SupervisionKind.ONE_TO_ONE:
        if len(ids) != 1:
            raise ValidationError("A 1:1 has one supervisee; choose Group to record more people.")
        if not data.attendees[0].attended:
            raise ValidationError(
                "A 1:1 the supervisee did not come to is not a session; leave it unrecorded."
            )
    elif not any(a.attended for a in data.attendees):
        raise ValidationError("Nobody is marked as having come; tick who came.")
    allowed = supervisees_for(session, actor, data.held_on, today)
    if allowed is not None and not set(ids) <= allowed:
        raise PermissionDenied("You can record supervision only for the people you supervise.")
    found = session.scalars(
        select(Volunteer).where(Volunteer.id.in_(ids), Volunteer.anonymised_at.is_(None))
    ).all()
    if len(found) != len(ids):
        raise ValidationError("Someone listed is no longer on record; take them off the list.")
    return {a.volunteer_id for a in data.attendees if a.attended}


def _check_new_actions(data: SessionInput, came: set[uuid.UUID]) -> list[ActionInput]:
    checked = []
    for n, a in enumerate(data.new_actions, start=1):
        description, owner = tidy(a.description), tidy(a.owner)
        if description is None:
            raise ValidationError(f"Action {n} has no description; say what was agreed.")
        if a.volunteer_id not in came:
            raise ValidationError(f"Action {n} is for someone who did not come to this session.")
        if owner is not None and len(owner) > MAX_OWNER:
            raise ValidationError(f"The owner of action {n} is too long; a name is enough.")
        if a.due_on is not None and a.due_on < data.held_on:
            raise ValidationError(f"Action {n} is due before the session; check its date.")
        checked.append(ActionInput(a.volunteer_id, description, owner, a.due_on))
    return checked


def _check_carried(
    session: Session, data: SessionInput, came: set[uuid.UUID]
) -> list[SupervisionAction]:
    if not data.carried:
        return []
    actions = session.scalars(
        select(SupervisionAction).where(SupervisionAction.id.in_(data.carried))
    ).all()
    if len(actions) != len(data.carried) or any(
        a.status is not ActionStatus.OPEN or a.volunteer_id not in came for a in actions
    ):
        raise ValidationError(
            "An earlier action changed since this form was opened; close it and open it again."
        )
    return list(actions)


def _check_follow_ups(session: Session, data: SessionInput, came: set[uuid.UUID]) -> list[FollowUp]:
    if not data.follow_ups_closed:
        return []
    found = session.scalars(select(FollowUp).where(FollowUp.id.in_(data.follow_ups_closed))).all()
    if len(found) != len(data.follow_ups_closed) or any(
        f.status is not FollowUpStatus.OPEN or f.volunteer_id not in came for f in found
    ):
        raise ValidationError(
            "A follow-up was closed or changed since this form was opened; "
            "close the form and open it again."
        )
    return list(found)
