"""Finding a volunteer from what a person can see: a name, or the short reference on their record.

A volunteer's id is a UUID nobody reads aloud. The short reference is the id's last eight hex
characters: version-7 ids begin with their creation time, so the first eight are the same for
everyone imported in the same minute, while the last eight are random. Names are matched
whole, ignoring case and extra spaces, against the preferred name and the full name.
Only the volunteers the actor may see are searched, so a lookup never reveals anyone else.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk.db.folding import fold
from peerdesk.errors import ValidationError
from peerdesk.models import Volunteer
from peerdesk.services.permissions import Actor, Permission, require, visible_volunteer_ids

SHORT_LENGTH = 8


@dataclass(frozen=True)
class VolunteerMatch:
    id: uuid.UUID
    preferred_name: str
    full_name: str

    @property
    def reference(self) -> str:
        return short_reference(self.id)


def short_reference(volunteer_id: uuid.UUID) -> str:
    """The reference shown on a volunteer's record, e.g. 'a3f09c1e'."""
    return volunteer_id.hex[-SHORT_LENGTH:]


def find_volunteer(session: Session, actor: Actor, text: str) -> VolunteerMatch:
    """The one volunteer `text` names (full id, short reference, preferred or full name), or a
    ValidationError in one plain sentence: nobody, or who the name could mean."""
    require(actor, Permission.VIEW_VOLUNTEER_LIST)
    wanted = text.strip()
    if not wanted:
        raise ValidationError("Say which volunteer: their name or the reference on their record.")
    people = _visible(session, actor)
    found = _by_id(people, wanted) or _by_name(people, wanted)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            f"There is no volunteer called {wanted!r} and none with that reference. "
            "Use their name or the reference shown on their record."
        )
    listed = "; ".join(f"{m.full_name or m.preferred_name} ({m.reference})" for m in found)
    raise ValidationError(
        f"{wanted!r} could be {len(found)} people: {listed}. Use the reference in brackets."
    )


def _visible(session: Session, actor: Actor) -> list[tuple[VolunteerMatch, set[str]]]:
    """Each volunteer the actor may see, with the names they may be called by."""
    query = select(
        Volunteer.id, Volunteer.preferred_name, Volunteer.first_name, Volunteer.last_name
    ).where(Volunteer.anonymised_at.is_(None))
    visible = visible_volunteer_ids(session, actor)
    if visible is not None:
        query = query.where(Volunteer.id.in_(visible))
    people = []
    for vid, preferred, first, last in session.execute(query.order_by(Volunteer.preferred_name)):
        full = " ".join(p for p in (first or preferred, last) if p)
        names = {preferred, full, f"{preferred} {last or ''}"}
        people.append((VolunteerMatch(vid, preferred, full), {_name_key(n) for n in names}))
    return people


def _by_id(people: list[tuple[VolunteerMatch, set[str]]], wanted: str) -> list[VolunteerMatch]:
    plain = wanted.lower().lstrip("#")
    try:
        whole = uuid.UUID(plain)
    except ValueError:
        whole = None
    if whole is not None:
        return [m for m, _names in people if m.id == whole]
    if len(plain) == SHORT_LENGTH and all(c in "0123456789abcdef" for c in plain):
        return [m for m, _names in people if m.reference == plain]
    return []


def _by_name(people: list[tuple[VolunteerMatch, set[str]]], wanted: str) -> list[VolunteerMatch]:
    key = _name_key(wanted)
    return [m for m, names in people if key in names]


def _name_key(name: str) -> str:
    """Case, accents and spacing ignored, as everywhere names are matched ('zoe' finds 'Zoë')."""
    return " ".join(fold(name).split())
