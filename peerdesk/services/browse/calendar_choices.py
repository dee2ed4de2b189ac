"""What the rota's filter boxes and forms offer (venues, activities, volunteers, roles), and
what the shift dialog reads beyond the rota services' `ShiftDetail`. Trustees, who read figures
rather than people, get no volunteers to filter by; phone numbers follow
`may_see_contact_details` (coordinators, and the person themself)."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.keyring import shown_value
from peerdesk.models import (
    Activity,
    Assignment,
    Role,
    Shift,
    Venue,
    Volunteer,
    VolunteerStatus,
    shift_required_roles,
)
from peerdesk.services.browse.calendar import sees_names
from peerdesk.services.permissions import (
    Actor,
    Permission,
    may_act_on_rota_for,
    may_see_contact_details,
    require,
)


@dataclass(frozen=True)
class Choice:
    """One entry of a filter box."""

    id: uuid.UUID
    name: str


def venue_choices(session: Session, actor: Actor, in_use_only: bool = False) -> list[Choice]:
    """Every venue (the filters find past shifts at a retired one), or with `in_use_only` those
    not retired (what a new shift may use)."""
    require(actor, Permission.VIEW_ROTA)
    stmt = select(Venue.id, Venue.name, Venue.active).order_by(Venue.name)
    rows = session.execute(stmt.where(Venue.active) if in_use_only else stmt)
    return [Choice(r.id, _marked(r.name, r.active)) for r in rows]


def activity_choices(session: Session, actor: Actor, in_use_only: bool = False) -> list[Choice]:
    """Every activity, or with `in_use_only` those not retired."""
    require(actor, Permission.VIEW_ROTA)
    stmt = select(Activity.id, Activity.name, Activity.active).order_by(Activity.name)
    rows = session.execute(stmt.where(Activity.active) if in_use_only else stmt)
    return [Choice(r.id, _marked(r.name, r.active)) for r in rows]


def _marked(name: str, active: bool) -> str:
    """A retired one still finds past shifts, but says it is retired (a shift being changed
    may keep it, and nothing new may choose it)."""
    return name if active else f"{name} (retired)"


def volunteer_choices(session: Session, actor: Actor) -> list[Choice]:
    """Everyone still with the group, by preferred name; none for trustees. Applicants and
    people in induction are listed too: choosing one gives the rota's "not active" reason, which
    says what to do, where leaving them out said nothing at all."""
    require(actor, Permission.VIEW_ROTA)
    if not sees_names(actor):
        return []
    rows = session.execute(
        select(Volunteer.id, Volunteer.preferred_name, Volunteer.last_name)
        .where(Volunteer.status != VolunteerStatus.LEFT)
        .order_by(Volunteer.preferred_name, Volunteer.last_name)
    )
    return [Choice(r.id, _short_name(r.preferred_name, r.last_name)) for r in rows]


def _short_name(preferred: str, last: str | None) -> str:
    """ "Sam K." tells two Sams apart in a filter box without showing more than the rota does."""
    return f"{preferred} {last[0]}." if last else preferred


def role_choices(session: Session, actor: Actor) -> list[Choice]:
    """Roles a shift may need (a group needs a facilitator)."""
    require(actor, Permission.VIEW_ROTA)
    rows = session.execute(select(Role.id, Role.name).order_by(Role.name))
    return [Choice(r.id, r.name) for r in rows]


@dataclass(frozen=True)
class ShiftExtras:
    """What the shift dialog needs beyond the rota's `ShiftDetail`: the roles the shift needs
    (to edit them), the pattern date it was made for (to cancel or move that date), the
    phone numbers of the people on it that the actor may see (a coordinator filling a gap),
    and the notes left with places ("I can't make it: hospital appointment"), which are for
    the coordinators and the person who wrote them."""

    required_role_ids: frozenset[uuid.UUID]
    occurrence_on: date | None
    phones: dict[uuid.UUID, str]
    notes: dict[uuid.UUID, str] = field(default_factory=dict)  # by assignment id
    venue_address: str | None = None  # so whoever is on the shift can find it


def shift_extras(session: Session, actor: Actor, shift_id: uuid.UUID) -> ShiftExtras:
    require(actor, Permission.VIEW_ROTA)
    occurrence_on = session.scalar(select(Shift.occurrence_on).where(Shift.id == shift_id))
    address = session.scalar(
        select(Venue.address).join(Shift, Shift.venue_id == Venue.id).where(Shift.id == shift_id)
    )
    roles = session.scalars(
        select(shift_required_roles.c.role_id).where(shift_required_roles.c.shift_id == shift_id)
    )
    rows = session.execute(
        select(Volunteer.id, Volunteer.phone)
        .join(Assignment, Assignment.volunteer_id == Volunteer.id)
        .where(Assignment.shift_id == shift_id, Volunteer.phone.is_not(None))
    )
    # Sealed (docs/keys.md): opened only for those who may see them.
    phones = {
        r.id: shown_value(session, r.phone) or ""
        for r in rows
        if may_see_contact_details(actor, r.id)
    }
    notes = session.execute(
        select(Assignment.id, Assignment.volunteer_id, Assignment.note).where(
            Assignment.shift_id == shift_id, Assignment.note.is_not(None)
        )
    )
    mine = {r.id: r.note for r in notes if may_act_on_rota_for(actor, r.volunteer_id)}
    return ShiftExtras(frozenset(roles), occurrence_on, phones, mine, address)
