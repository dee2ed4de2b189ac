"""Reading, creating and editing a volunteer's record."""

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.folding import fold, folded
from peerdesk.db.keyring import UNREADABLE, kept_if_unreadable, shown_value
from peerdesk.errors import ValidationError
from peerdesk.models import Role, Volunteer, VolunteerStatus, VolunteerStatusChange
from peerdesk.services.names import clean_name
from peerdesk.services.permissions import (
    Actor,
    Permission,
    can,
    may_see_contact_details,
    may_see_equality,
    require,
)
from peerdesk.services.volunteers.common import (
    check_date,
    get_editable,
    get_volunteer,
    require_visible,
    tidy,
)
from peerdesk.services.volunteers.equality import EqualityAnswers, read_answers

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE = re.compile(r"^[\d\s+()\-.]+$")
# The longest each field may be, as the columns allow.
LIMITS = {
    "preferred name": 100,
    "first name": 100,
    "last name": 100,
    "pronouns": 40,
    "email address": 254,
    "phone number": 40,
    "emergency contact's name": 200,
    "emergency contact's phone number": 40,
}


@dataclass(frozen=True)
class StatusStep:
    status: VolunteerStatus
    on: date
    note: str | None


@dataclass(frozen=True)
class VolunteerInput:
    """What a coordinator types on the record; `roles` are names of existing roles."""

    preferred_name: str
    first_name: str | None = None
    last_name: str | None = None
    pronouns: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    started_on: date | None = None
    left_on: date | None = None
    notes: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class VolunteerRecord:
    """One volunteer as the reader may see them: fields they may not see are None."""

    id: uuid.UUID
    preferred_name: str
    first_name: str | None
    last_name: str | None
    pronouns: str | None
    email: str | None
    phone: str | None
    address: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    roles: tuple[str, ...]  # sorted
    status: VolunteerStatus
    started_on: date | None
    left_on: date | None
    history: tuple[StatusStep, ...]  # oldest first
    notes: str | None  # coordinators only
    leaving_reason: str | None  # coordinators only
    equality: EqualityAnswers | None  # coordinators and the person themself
    anonymised: bool
    updated_at: datetime  # pass back to `update_volunteer` to detect someone else's edit
    contact_shown: bool


def volunteer_record(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> VolunteerRecord:
    require_visible(session, actor, volunteer_id)
    v = get_volunteer(session, volunteer_id)
    contact = may_see_contact_details(actor, v.id)
    equality = read_answers(session, v.id) if may_see_equality(actor, v.id) else None
    notes_shown = can(actor, Permission.VIEW_VOLUNTEER_NOTES)
    return VolunteerRecord(
        id=v.id,
        preferred_name=v.preferred_name,
        first_name=v.first_name,
        last_name=v.last_name,
        pronouns=v.pronouns,
        email=shown_value(session, v.email) if contact else None,
        phone=shown_value(session, v.phone) if contact else None,
        address=shown_value(session, v.address) if contact else None,
        emergency_contact_name=shown_value(session, v.emergency_contact_name) if contact else None,
        emergency_contact_phone=shown_value(session, v.emergency_contact_phone)
        if contact
        else None,
        roles=tuple(sorted(r.name for r in v.roles)),
        status=v.status,
        started_on=v.started_on,
        left_on=v.left_on,
        history=_history(session, v.id),
        notes=shown_value(session, v.notes) if notes_shown else None,
        leaving_reason=shown_value(session, v.leaving_reason) if notes_shown else None,
        equality=equality,
        anonymised=v.anonymised_at is not None,
        updated_at=v.updated_at,
        contact_shown=contact,
    )


def _history(session: Session, volunteer_id: uuid.UUID) -> tuple[StatusStep, ...]:
    stmt = (
        select(VolunteerStatusChange)
        .where(VolunteerStatusChange.volunteer_id == volunteer_id)
        .order_by(VolunteerStatusChange.changed_on, VolunteerStatusChange.created_at)
    )
    return tuple(StatusStep(c.status, c.changed_on, c.note) for c in session.scalars(stmt))


def create_volunteer(
    session: Session, actor: Actor, data: VolunteerInput, today: date | None = None
) -> VolunteerRecord:
    """A new volunteer, starting as an applicant (the first step of their history)."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    day = today or clock.today()
    if data.left_on is not None:
        raise ValidationError("A new volunteer has not left; record leaving once they do.")
    roles = _check(session, data, day)
    volunteer = Volunteer(status=VolunteerStatus.APPLICANT)
    _apply(volunteer, data, roles)
    session.add(volunteer)
    session.flush()
    session.add(
        VolunteerStatusChange(
            volunteer_id=volunteer.id,
            status=VolunteerStatus.APPLICANT,
            changed_on=data.started_on or day,
        )
    )
    session.flush()
    return volunteer_record(session, actor, volunteer.id)


def update_volunteer(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    data: VolunteerInput,
    expected_updated_at: datetime,
    today: date | None = None,
) -> VolunteerRecord:
    """Save an edit made on the copy read at `expected_updated_at`. If the record changed since,
    nothing is saved: the coordinator reloads and keeps what they typed, nobody's edit is lost."""
    require(actor, Permission.EDIT_VOLUNTEERS)
    volunteer = get_editable(session, volunteer_id)
    if volunteer.updated_at != expected_updated_at:
        raise ValidationError(
            "Someone else changed this record after you opened it. "
            "Reload it to see their changes, then make yours again."
        )
    if data.left_on is not None and volunteer.status is not VolunteerStatus.LEFT:
        raise ValidationError("Record leaving with the leaving steps, not by typing a date.")
    if data.left_on is None and volunteer.status is VolunteerStatus.LEFT:
        raise ValidationError("A volunteer who has left needs a leaving date.")
    roles = _check(session, data, today or clock.today())
    _apply(volunteer, data, roles)
    # Role links do not change the row itself: touch it so a stale copy is always detected.
    volunteer.updated_at = clock.now()
    session.flush()
    return volunteer_record(session, actor, volunteer.id)


def _check(session: Session, data: VolunteerInput, today: date) -> list[Role]:
    """The roles named, or ValidationError with the first rule the input breaks."""
    if not clean_name(data.preferred_name):
        raise ValidationError("Give the name this volunteer likes to be called by.")
    _check_lengths(data)
    email = tidy(data.email)
    if email and email != UNREADABLE and not EMAIL.match(email):
        raise ValidationError(f"'{email}' does not look like an email address; check it.")
    _check_phone(data.phone, "phone number")
    _check_phone(data.emergency_contact_phone, "emergency contact's phone number")
    check_date(data.started_on, "start date", today)
    check_date(data.left_on, "leaving date", today)
    if data.started_on and data.left_on and data.left_on < data.started_on:
        raise ValidationError("The leaving date is before the start date; check both.")
    return _roles_named(session, data.roles)


def _check_lengths(data: VolunteerInput) -> None:
    values = (
        data.preferred_name,
        data.first_name,
        data.last_name,
        data.pronouns,
        data.email,
        data.phone,
        data.emergency_contact_name,
        data.emergency_contact_phone,
    )
    for (what, limit), value in zip(LIMITS.items(), values, strict=True):
        if len((value or "").strip()) > limit:
            raise ValidationError(f"The {what} is too long (at most {limit} letters).")


def _check_phone(phone: str | None, what: str) -> None:
    number = tidy(phone)
    if number is None or number == UNREADABLE:  # sealed, shown as such: kept as it was
        return
    digits = sum(ch.isdigit() for ch in number)
    if not PHONE.match(number) or not 7 <= digits <= 15:
        raise ValidationError(
            f"The {what} should be digits (spaces, + and brackets are fine), "
            "for example 07700 900123."
        )


def _roles_named(session: Session, names: tuple[str, ...]) -> list[Role]:
    wanted = {fold(n.strip()): n.strip() for n in names if n.strip()}
    found = session.scalars(select(Role).where(folded(Role.name).in_(wanted))).all()
    known = {fold(r.name) for r in found}
    for key, name in wanted.items():
        if key not in known:
            raise ValidationError(f"There is no role called '{name}'; add it to the roles first.")
    return list(found)


def _apply(volunteer: Volunteer, data: VolunteerInput, roles: list[Role]) -> None:
    volunteer.preferred_name = clean_name(data.preferred_name)
    volunteer.first_name = tidy(data.first_name)
    volunteer.last_name = tidy(data.last_name)
    volunteer.pronouns = tidy(data.pronouns)
    # Sealed (see docs/keys.md): a value the form could not show is kept as it was.
    for name in ("email", "phone", "address", "emergency_contact_name", "emergency_contact_phone"):
        setattr(
            volunteer, name, kept_if_unreadable(tidy(getattr(data, name)), getattr(volunteer, name))
        )
    volunteer.started_on = data.started_on
    volunteer.left_on = data.left_on
    volunteer.notes = kept_if_unreadable(tidy(data.notes), volunteer.notes)
    # Only real changes, so the audit trail records one link or unlink per role changed.
    wanted = {r.id for r in roles}
    for role in [r for r in volunteer.roles if r.id not in wanted]:
        volunteer.roles.remove(role)
    held = {r.id for r in volunteer.roles}
    volunteer.roles.extend(r for r in roles if r.id not in held)
