"""Who is on which shift: a coordinator assigns (or offers) and unassigns and, after the shift,
records who came; a volunteer signs up, accepts or declines an offer, and sees their own shifts.

Eligibility is checked on every way onto a shift. A coordinator is stopped by a blocking reason
and asked to confirm an override for a warning (the override is audited with its reasons); a
volunteer signing up is stopped by either and told to ask a coordinator.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from peerdesk import clock
from peerdesk.db import audit
from peerdesk.errors import ValidationError
from peerdesk.models import Assignment, AssignmentStatus, Shift, ShiftStatus, Volunteer
from peerdesk.services.permissions import Actor, Permission, PermissionDenied, require
from peerdesk.services.rota.common import (
    NeedsOverride,
    NotEligible,
    get_shift,
    require_editor,
    require_self,
)
from peerdesk.services.rota.eligibility import eligibility_of, policy_of
from peerdesk.services.rota.shapes import Eligibility, ShiftDetail
from peerdesk.services.rota.shifts import shift_detail, shifts_between

A = AssignmentStatus
# A place that counts someone in (or still might): they cannot be put on the shift again.
ON_IT = (A.OFFERED, A.CONFIRMED, A.ATTENDED, A.NO_SHOW)


def assign(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    volunteer_id: uuid.UUID,
    override: bool = False,
    offer: bool = False,
    note: str | None = None,
) -> ShiftDetail:
    """Put a volunteer on a shift (confirmed; or only offered to them, with `offer`)."""
    require_editor(actor, "put people on shifts")
    shift = _open_shift(session, shift_id)
    volunteer = volunteer_on_record(session, volunteer_id)
    checked = eligibility_of(session, shift, volunteer, policy_of(session))
    place = place_for(session, shift.id, volunteer_id)
    allow(session, checked, override, place)
    place.status = A.OFFERED if offer else A.CONFIRMED
    place.responded_at = None if offer else clock.now()
    place.note = (note or "").strip() or None
    # Someone the coordinator puts on a shift that has asked for cover covers the request.
    place.covering_id = None if offer else _uncovered_request(session, shift.id)
    session.flush()
    if checked.warnings:
        record_override(session, place, checked)
    return shift_detail(session, actor, shift.id)


def _uncovered_request(session: Session, shift_id: uuid.UUID) -> uuid.UUID | None:
    """The earliest cover request on the shift that nobody has taken yet."""
    cover = aliased(Assignment)
    taken = select(cover.id).where(
        cover.covering_id == Assignment.id, cover.status.in_((A.CONFIRMED, A.ATTENDED))
    )
    return session.scalar(
        select(Assignment.id)
        .where(
            Assignment.shift_id == shift_id,
            Assignment.status == A.COVER_REQUESTED,
            ~taken.exists(),
        )
        .order_by(Assignment.responded_at, Assignment.id)
        .limit(1)
    )


def allow(session: Session, checked: Eligibility, override: bool, place: Assignment) -> None:
    """Stop a blocked assignment; ask for the override on a warned one."""
    if checked.blocked:
        reasons = " ".join(c.sentence for c in checked.blocked)
        raise NotEligible(f"{checked.name} cannot go on this shift: {reasons}")
    if checked.warnings and not override:
        reasons = " ".join(c.sentence for c in checked.warnings)
        raise NeedsOverride(
            f"Check before putting {checked.name} on this shift: {reasons} "
            "Put them on anyway only if you are sure.",
            tuple(c.reason.value for c in checked.warnings),
        )


def record_override(session: Session, place: Assignment, checked: Eligibility) -> None:
    changes = {"reasons": [c.reason.value for c in checked.warnings]}
    audit.record(session, "rota_override", "assignments", str(place.id), changes)


def place_for(session: Session, shift_id: uuid.UUID, volunteer_id: uuid.UUID) -> Assignment:
    """Their row on the shift, reused if they had declined or asked for cover before."""
    place = session.scalar(
        select(Assignment).where(
            Assignment.shift_id == shift_id, Assignment.volunteer_id == volunteer_id
        )
    )
    if place is None:
        place = Assignment(shift_id=shift_id, volunteer_id=volunteer_id)
        session.add(place)
    elif place.status in ON_IT:
        raise ValidationError("They are already on this shift.")
    return place


def _open_shift(session: Session, shift_id: uuid.UUID) -> Shift:
    shift = get_shift(session, shift_id, taking_a_place=True)
    if shift.status is ShiftStatus.CANCELLED:
        raise ValidationError("This shift is cancelled; nobody can go on it.")
    return shift


def volunteer_on_record(session: Session, volunteer_id: uuid.UUID) -> Volunteer:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.anonymised_at is not None:
        raise ValidationError("That volunteer is no longer on record.")
    return volunteer


def get_place(session: Session, assignment_id: uuid.UUID) -> Assignment:
    place = session.get(Assignment, assignment_id)
    if place is None:
        raise ValidationError("That place on the rota is no longer there.")
    return place


def unassign(session: Session, actor: Actor, assignment_id: uuid.UUID) -> ShiftDetail:
    """Take someone off a shift (the audit trail keeps that they were on it)."""
    require_editor(actor, "take people off shifts")
    place = get_place(session, assignment_id)
    if place.status in (A.ATTENDED, A.NO_SHOW):
        raise ValidationError("This shift's attendance is recorded; it cannot be undone here.")
    shift_id = place.shift_id
    session.delete(place)
    session.flush()
    return shift_detail(session, actor, shift_id)


def sign_up(session: Session, actor: Actor, shift_id: uuid.UUID, now: datetime) -> ShiftDetail:
    """A volunteer puts themself on a shift that is still to come and has room."""
    volunteer_id = own_record(actor)
    shift = _open_shift(session, shift_id)
    if shift.starts_at <= now:
        raise ValidationError("This shift has already started.")
    detail = shift_detail(session, actor, shift.id)
    if detail.filled >= shift.max_volunteers:
        raise ValidationError("This shift is full. Ask a coordinator if you want to help.")
    checked = eligibility_of(
        session, shift, volunteer_on_record(session, volunteer_id), policy_of(session)
    )
    if checked.concerns:
        reasons = " ".join(c.sentence for c in checked.concerns)
        raise NotEligible(f"You cannot sign up for this shift: {reasons} Ask a coordinator.")
    place = place_for(session, shift.id, volunteer_id)
    place.status, place.responded_at, place.covering_id = A.CONFIRMED, now, None
    session.flush()
    return shift_detail(session, actor, shift.id)


def own_record(actor: Actor) -> uuid.UUID:
    require(actor, Permission.VIEW_ROTA)
    if actor.volunteer_id is None:
        raise PermissionDenied("Your account is not linked to a volunteer record.")
    return actor.volunteer_id


def accept_offer(session: Session, actor: Actor, assignment_id: uuid.UUID) -> ShiftDetail:
    """Say yes to a shift a coordinator offered."""
    place = get_place(session, assignment_id)
    require_self(actor, place.volunteer_id, "accept a shift")
    if place.status is not A.OFFERED or place.covering_id is not None:
        raise ValidationError("There is no offer waiting for your answer on this shift.")
    place.status, place.responded_at = A.CONFIRMED, clock.now()
    session.flush()
    return shift_detail(session, actor, place.shift_id)


def decline(
    session: Session, actor: Actor, assignment_id: uuid.UUID, note: str | None = None
) -> ShiftDetail:
    """Say no to an offered shift (or take back an offer to cover). A confirmed place is given
    up with "I can't make it" instead, so someone looks for cover."""
    place = get_place(session, assignment_id)
    require_self(actor, place.volunteer_id, "decline a shift")
    if place.status is A.CONFIRMED:
        raise ValidationError('You are confirmed on this shift: use "I can\'t make it" instead.')
    if place.status is not A.OFFERED:
        raise ValidationError("There is nothing to decline on this shift.")
    place.status, place.responded_at = A.DECLINED, clock.now()
    place.note = (note or "").strip() or place.note
    session.flush()
    return shift_detail(session, actor, place.shift_id)


def record_attendance(
    session: Session, actor: Actor, assignment_id: uuid.UUID, attended: bool, now: datetime
) -> ShiftDetail:
    """After the shift has started: they came, or they did not."""
    require_editor(actor, "record who came")
    place = get_place(session, assignment_id)
    shift = get_shift(session, place.shift_id)
    if shift.starts_at > now:
        raise ValidationError("The shift has not happened yet; record who came after it starts.")
    if place.status not in (A.CONFIRMED, A.ATTENDED, A.NO_SHOW):
        raise ValidationError("Only someone who was confirmed on the shift can be marked.")
    place.status = A.ATTENDED if attended else A.NO_SHOW
    session.flush()
    return shift_detail(session, actor, shift.id)


def my_shifts(session: Session, actor: Actor, first_day: date, last_day: date) -> list[ShiftDetail]:
    """The signed-in volunteer's shifts between two local days (none without a record)."""
    require(actor, Permission.VIEW_ROTA)
    if actor.volunteer_id is None:
        return []
    return shifts_between(session, actor, first_day, last_day, volunteer_id=actor.volunteer_id)
