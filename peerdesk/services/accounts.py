"""Accounts: who can sign in, with which role, and the coordinator's tools to manage them.

Removing an account closes it (the row stays, so the audit trail can still name who did what)
and deletes its keyslot. The last open coordinator account can be neither removed nor closed:
someone must always be able to manage the group, and the recovery key can always set that
coordinator a new password.
"""

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import User, UserRole, Volunteer
from peerdesk.services.auth import pins_allowed
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.secrets_policy import check_new_secret

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@dataclass(frozen=True)
class UserRow:
    username: str
    display_name: str
    role: UserRole
    active: bool
    volunteer_name: str | None
    uses_pin: bool
    locked_out: bool


def check_username(username: str) -> str:
    """The username as stored (lower case), or ValidationError saying what is allowed."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise ValidationError(
            "A username is 2 to 32 lower-case letters, digits, dots, dashes or underscores, "
            "for example 'sam' or 'sam.okafor'."
        )
    return name


def list_users(store: Store, actor: Actor) -> list[UserRow]:
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        rows = s.execute(
            select(User, Volunteer.preferred_name)
            .outerjoin(Volunteer, Volunteer.id == User.volunteer_id)
            .order_by(User.active.desc(), User.username)
        ).all()
    return [
        UserRow(
            u.username,
            u.display_name,
            u.role,
            u.active,
            name,
            u.uses_pin,
            store.vault.is_locked_out(u.username),
        )
        for u, name in rows
    ]


def add_user(
    store: Store,
    actor: Actor | None,
    username: str,
    display_name: str,
    role: UserRole,
    secret: str,
    volunteer_id: uuid.UUID | None = None,
) -> UserRow:
    """Create an account with its keyslot. `actor` None only while setting up a new group."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    name = check_username(username)
    shown = " ".join(display_name.split()) or name
    with store.session(actor) as s:
        if s.scalar(select(User.id).where(User.username == name)) is not None:
            raise ValidationError(f"There is already an account called {name!r}.")
        check_new_secret(secret, name, role, pins_allowed(s))
        user = User(
            username=name,
            display_name=shown,
            role=role,
            volunteer_id=volunteer_id,
            uses_pin=secret.isdigit(),
        )
        s.add(user)
        s.flush()
    # The keyslot only once the account is committed: no slot without an account.
    store.vault.set_secret(name, secret)
    return UserRow(name, shown, role, True, None, user.uses_pin, False)


def reset_secret(store: Store, actor: Actor, username: str, secret: str) -> None:
    """A coordinator sets someone's new password or PIN (and so unlocks them)."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        if not user.active:
            raise ValidationError(f"{username!r} has been closed; add the account again instead.")
        check_new_secret(secret, user.username, user.role, pins_allowed(s))
        user.uses_pin = secret.isdigit()
        audit.record(s, "password_reset", "users", str(user.id))
    store.vault.set_secret(user.username, secret)


def unlock(store: Store, actor: Actor, username: str) -> None:
    """End the wait after too many wrong passwords."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        audit.record(s, "unlock_account", "users", str(user.id))
    store.vault.unlock_user(user.username)


def remove(store: Store, actor: Actor, username: str) -> None:
    """Close an account and delete its keyslot; the last coordinator cannot be removed."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        if user.role is UserRole.COORDINATOR and user.active and _open_coordinators(s) <= 1:
            raise ValidationError(
                "This is the last coordinator account, so it cannot be removed: add another "
                "coordinator first."
            )
        user.active = False
    store.vault.remove_user(user.username)


def _open_coordinators(s: Session) -> int:
    return s.scalar(select(func.count()).where(User.role == UserRole.COORDINATOR, User.active)) or 0


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise ValidationError(f"There is no account called {username!r}.")
    return user


def remove_closed_slots(store: Store, actor: Actor) -> list[str]:
    """Delete the keyslot of every name that is no longer an open account (for example after
    former volunteers were anonymised and their accounts renamed and closed)."""
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        open_names = set(s.scalars(select(User.username).where(User.active)))
    stale = [name for name in store.vault.usernames() if name not in open_names]
    for name in stale:
        store.vault.remove_user(name)
    return stale
