"""Naming a volunteer on the command line as a person can: by their name (preferred or full) or
by the short reference shown on their record in the window. Nobody has to copy a long id."""

import uuid

from peerdesk.errors import ValidationError
from peerdesk.services.auth import SignedIn
from peerdesk.services.volunteers.lookup import find_volunteer

NAME_OR_REFERENCE = "NAME|REF"


def volunteer_named(person: SignedIn, text: str) -> uuid.UUID:
    """The volunteer `text` names, among those the signed-in person may see; otherwise one
    plain sentence (nobody by that name, or who it could mean)."""
    with person.store.read() as s:
        return find_volunteer(s, person.actor, text).id


def own_or_named(person: SignedIn, text: str | None) -> uuid.UUID:
    """The volunteer named, or else the signed-in person's own record."""
    if text:
        return volunteer_named(person, text)
    if person.actor.volunteer_id is None:
        raise ValidationError(
            f"The account {person.actor.username!r} is not linked to a volunteer record, so "
            "there is no record of your own: name the volunteer with --volunteer NAME (or the "
            "reference on their record), or ask a coordinator to give you a sign-in from your "
            "record."
        )
    return person.actor.volunteer_id
