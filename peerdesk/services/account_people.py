"""Accounts and the people they belong to: a sign-in for someone who is not a volunteer (a
trustee, or a supervisor from the host charity), and linking an account to a volunteer record
later (a trustee who starts volunteering, a coordinator who was set up before the records were).

A volunteer's account opens only their own records, so without a record it would see empty
pages: a volunteer's sign-in is always given from their record (`accounts.give_sign_in`). Which
roles make sense without a record is the role table's answer (`Permission.WORK_WITHOUT_RECORD`).
"""

import uuid

from sqlalchemy import select

from peerdesk.db.keyring import reseal_for_person
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import User, UserRole, Volunteer
from peerdesk.services.accounts import (
    FirstSecret,
    _free_volunteer,
    _user,
    add_user,
    first_secret,
)
from peerdesk.services.permissions import Actor, Permission, require, role_can
from peerdesk.services.volunteers.lookup import short_reference


def give_account(
    store: Store, actor: Actor, display_name: str, username: str, role: UserRole
) -> FirstSecret:
    """An account with no volunteer record, and a first password the coordinator hands over."""
    require(actor, Permission.MANAGE_USERS)
    if not " ".join(display_name.split()):
        raise ValidationError("Type the person's name, as the group knows them.")
    if not role_can(role, Permission.WORK_WITHOUT_RECORD):
        raise ValidationError(
            f"A {role.value}'s account shows only their own records, so it needs a volunteer "
            "record: add them in Volunteers, then choose 'Give a sign-in…' on their record."
        )
    secret = first_secret()
    row = add_user(store, actor, username, display_name, role, secret, must_change=True)
    return FirstSecret(row.username, secret, False)


def link_to_volunteer(store: Store, actor: Actor, username: str, volunteer_id: uuid.UUID) -> str:
    """Link an open account that has no volunteer record to one; the person's preferred name."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        if not user.active:
            raise ValidationError(f"{user.username!r} has been closed, so it cannot be linked.")
        if user.volunteer_id is not None:
            raise ValidationError(
                f"{user.username!r} already belongs to a volunteer record; an account is "
                "one person's."
            )
        person = _free_volunteer(s, volunteer_id)
        user.volunteer_id = volunteer_id  # audited by the session, old → new
        s.flush()
        # What was sealed about them before the link (session-log notes, contact details, a
        # DBS number, equality answers) is theirs to read now.
        reseal_for_person(s, store.keyring, volunteer_id)
    return person


def volunteers_without_sign_in(store: Store, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The volunteer records an account could be linked to (no open account, not anonymised),
    each with the name and the short reference shown on their record, by name."""
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        linked = select(User.volunteer_id).where(User.active, User.volunteer_id.is_not(None))
        rows = s.execute(
            select(Volunteer.id, Volunteer.preferred_name, Volunteer.last_name)
            .where(Volunteer.anonymised_at.is_(None), Volunteer.id.not_in(linked))
            .order_by(Volunteer.preferred_name, Volunteer.last_name)
        ).all()
    return [
        (vid, f"{' '.join(n for n in (first, last) if n)} ({short_reference(vid)})")
        for vid, first, last in rows
    ]
