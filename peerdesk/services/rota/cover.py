"""Cover: "I can't make it" turns someone's place into a cover request; volunteers who could take
the shift see it and offer; a coordinator confirms one offer, and the request is covered.

A request is the asker's own assignment in `cover_requested`; an offer is the offerer's
assignment, `offered`, pointing at the request (`covering_id`). The request stays as it was, so
the history shows who asked and who covered; it is open while no confirmed (or attended) place
covers it and the shift is still to come.
"""

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from peerdesk.errors import ValidationError
from peerdesk.models import Assignment, AssignmentStatus, Shift, ShiftStatus, Volunteer
from peerdesk.services.permissions import Actor, Permission, can, may_act_on_rota_for, require
from peerdesk.services.rota.assignments import (
    allow,
    get_place,
    own_record,
    place_for,
    record_override,
    volunteer_on_record,
)
from peerdesk.services.rota.checks import Checker
from peerdesk.services.rota.common import (
    NotEligible,
    get_shift,
    require_editor,
    require_self,
)
from peerdesk.services.rota.eligibility import eligibility_of, policy_of
from peerdesk.services.rota.shapes import CoverRequest, ShiftDetail
from peerdesk.services.rota.shifts import details, shift_detail

A = AssignmentStatus
COVERED_BY = (A.CONFIRMED, A.ATTENDED)


def cant_make_it(
    session: Session, actor: Actor, assignment_id: uuid.UUID, note: str | None, now: datetime
) -> ShiftDetail:
    """Give up a confirmed place on a shift still to come and ask for cover."""
    place = get_place(session, assignment_id)
    require_self(actor, place.volunteer_id, "ask for cover")
    shift = get_shift(session, place.shift_id)
    if shift.starts_at <= now:
        raise ValidationError("This shift has already started; tell a coordinator directly.")
    if shift.status is ShiftStatus.CANCELLED:
        raise ValidationError("This shift is cancelled; there is nothing to cover.")
    if place.status is A.OFFERED:
        raise ValidationError("You have not said yes to this shift yet: decline it instead.")
    if place.status is not A.CONFIRMED:
        raise ValidationError("You are not confirmed on this shift.")
    place.status, place.responded_at = A.COVER_REQUESTED, now
    place.note = (note or "").strip() or None
    session.flush()
    return shift_detail(session, actor, shift.id)


def _open_requests(session: Session, now: datetime) -> list[Assignment]:
    cover = aliased(Assignment)
    covered = select(cover.id).where(
        cover.covering_id == Assignment.id, cover.status.in_(COVERED_BY)
    )
    # From the shifts still to come (an index range), not from every assignment ever made.
    future = select(Shift.id).where(Shift.starts_at > now, Shift.status == ShiftStatus.PLANNED)
    stmt = (
        select(Assignment)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            Assignment.shift_id.in_(future),
            Assignment.status == A.COVER_REQUESTED,
            ~covered.exists(),
        )
        .order_by(Shift.starts_at, Assignment.id)
    )
    return list(session.scalars(stmt))


def open_cover_requests(session: Session, actor: Actor, now: datetime) -> list[CoverRequest]:
    """Coordinators see every open request; a volunteer those they could take (not their own,
    not on a shift they are already on, and with no eligibility concern); a trustee none."""
    require(actor, Permission.VIEW_ROTA)
    everyone = can(actor, Permission.EDIT_ROTA)
    if not can(actor, Permission.VIEW_ROTA_NAMES) or (not everyone and not actor.volunteer_id):
        return []
    requests = _open_requests(session, now)
    if not everyone:
        requests = _could_take(session, actor.volunteer_id, requests)
    if not requests:
        return []
    shifts = {d.id: d for d in details(session, select(Shift).where(
        Shift.id.in_({r.shift_id for r in requests})))}  # fmt: skip
    offers: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for offer in session.scalars(
        select(Assignment).where(
            Assignment.covering_id.in_([r.id for r in requests]), Assignment.status == A.OFFERED
        )
    ):
        offers[offer.covering_id].append(offer.id)  # type: ignore[index]
    return [_request(r, shifts[r.shift_id], offers.get(r.id, []), actor) for r in requests]


def _request(
    r: Assignment, shift: ShiftDetail, offer_ids: list[uuid.UUID], actor: Actor
) -> CoverRequest:
    people = {p.assignment_id: p for p in shift.people}
    asker = people[r.id]
    # Only coordinators see who else offered; a volunteer sees whether they already have.
    offers = tuple(
        people[i] for i in offer_ids if may_act_on_rota_for(actor, people[i].volunteer_id)
    )
    note = r.note if can(actor, Permission.EDIT_ROTA) else None
    return CoverRequest(r.id, shift, r.volunteer_id, asker.name, note, offers)


def _could_take(
    session: Session, volunteer_id: uuid.UUID | None, requests: list[Assignment]
) -> list[Assignment]:
    volunteer = session.get(Volunteer, volunteer_id) if volunteer_id else None
    if volunteer is None:
        return []
    checker = Checker(session, [volunteer.id], policy_of(session).blocking)
    mine = set(
        session.scalars(
            select(Assignment.shift_id).where(
                Assignment.volunteer_id == volunteer.id,
                Assignment.status.in_((A.CONFIRMED, A.ATTENDED, A.COVER_REQUESTED)),
            )
        )
    )
    found = []
    for r in requests:
        if r.shift_id in mine:
            continue
        if checker.check(get_shift(session, r.shift_id), volunteer.id).clear:
            found.append(r)
    return found


def _open_request(session: Session, request_id: uuid.UUID, now: datetime) -> Assignment:
    if request_id not in {r.id for r in _open_requests(session, now)}:
        raise ValidationError("That cover request is no longer open.")
    return get_place(session, request_id)


def offer_cover(
    session: Session, actor: Actor, request_id: uuid.UUID, now: datetime
) -> ShiftDetail:
    """A volunteer offers to take someone's place; a coordinator then confirms it."""
    volunteer_id = own_record(actor)
    request = _open_request(session, request_id, now)
    if request.volunteer_id == volunteer_id:
        raise ValidationError("This is your own cover request.")
    shift = get_shift(session, request.shift_id, taking_a_place=True)
    checked = eligibility_of(
        session, shift, volunteer_on_record(session, volunteer_id), policy_of(session)
    )
    if checked.concerns:
        reasons = " ".join(c.sentence for c in checked.concerns)
        raise NotEligible(f"You cannot cover this shift: {reasons} Ask a coordinator.")
    place = place_for(session, shift.id, volunteer_id)
    place.status, place.responded_at, place.covering_id = A.OFFERED, now, request.id
    place.note = None
    session.flush()
    return shift_detail(session, actor, shift.id)


def confirm_cover(
    session: Session, actor: Actor, offer_id: uuid.UUID, now: datetime, override: bool = False
) -> ShiftDetail:
    """A coordinator accepts an offer: the offerer is on the shift, the request is covered and
    any other offers for it are declined."""
    require_editor(actor, "confirm cover")
    offer = get_place(session, offer_id)
    if offer.status is not A.OFFERED or offer.covering_id is None:
        raise ValidationError("That is not an offer to cover a shift.")
    _open_request(session, offer.covering_id, now)
    shift = get_shift(session, offer.shift_id)
    checked = eligibility_of(
        session, shift, volunteer_on_record(session, offer.volunteer_id), policy_of(session)
    )
    allow(session, checked, override, offer)
    offer.status = A.CONFIRMED
    others = session.scalars(
        select(Assignment).where(
            Assignment.covering_id == offer.covering_id,
            Assignment.id != offer.id,
            Assignment.status == A.OFFERED,
        )
    )
    for other in others:
        other.status, other.responded_at = A.DECLINED, now
    session.flush()
    if checked.warnings:
        record_override(session, offer, checked)
    return shift_detail(session, actor, shift.id)
