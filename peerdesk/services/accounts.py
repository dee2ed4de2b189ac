"""Accounts: who can sign in, with which role, and the coordinator's tools to manage them.

Removing an account closes it (the row stays, so the audit trail can still name who did what)
and deletes its keyslot. The last open coordinator account can be neither removed, closed nor
given another role: someone must always be able to manage the group, and the recovery key can
always set that coordinator a new password. Nobody closes their own account or changes their
own role here (they would be shut out mid-way); another coordinator does it.

A password a coordinator gives (a new sign-in, or a reset) is generated here, shown to them once
to hand over, and marked to be changed at the person's next sign-in: someone else has seen it.
Every change is one audited session; the keyslot follows once the account row is committed.
"""

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peerdesk.db import audit
from peerdesk.db.keyring import current_group_key, give_slot, holds_group_key, rotate_group_key
from peerdesk.db.signing_seal import reseal_signing_keys
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import User, UserRole, Volunteer
from peerdesk.services.auth import pins_allowed
from peerdesk.services.permissions import (
    Actor,
    Permission,
    require,
    role_can,
    roles_with,
)
from peerdesk.services.secrets_policy import MIN_PIN, check_new_secret, is_pin, may_use_pin
from peerdesk.services.unique_rules import flush_unique
from peerdesk.services.volunteers.lookup import short_reference

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
    volunteer_id: uuid.UUID | None = None
    last_sign_in_at: datetime | None = None
    must_change_secret: bool = False

    @property
    def volunteer_reference(self) -> str | None:
        return short_reference(self.volunteer_id) if self.volunteer_id else None


@dataclass(frozen=True)
class FirstSecret:
    """A password or PIN a coordinator hands over; shown once, changed at first sign-in."""

    username: str
    secret: str
    is_pin: bool


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
            u.active and store.vault.is_locked_out(u.username),
            u.volunteer_id,
            u.last_sign_in_at,
            u.must_change_secret,
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
    must_change: bool = False,
    personal: bytes | None = None,
) -> UserRow:
    """Create an account with its keyslot. `actor` None only while setting up a new group.
    `must_change`: the password was made for someone else to hand over."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    name = check_username(username)
    shown = " ".join(display_name.split()) or name
    with store.session(actor) as s:
        if s.scalar(select(User.id).where(User.username == name)) is not None:
            raise ValidationError(f"There is already an account called {name!r}.")
        check_new_secret(secret, name, role, pins_allowed(s))
        person = _free_volunteer(s, volunteer_id) if volunteer_id else None
        user = User(
            username=name,
            display_name=shown,
            role=role,
            volunteer_id=volunteer_id,
            uses_pin=is_pin(secret),
            must_change_secret=must_change,
        )
        s.add(user)
        flush_unique(
            s,
            f"Someone else has just made an account called {name!r}, or one for this "
            "volunteer; nothing was saved here. Look at the accounts again and choose.",
        )
        personal = give_slot(s, store.keyring, user, personal)
    # The keyslot only once the account is committed: no slot without an account.
    store.vault.set_secret(name, secret, personal)
    return UserRow(name, shown, role, True, person, user.uses_pin, False, volunteer_id)


def _free_volunteer(s: Session, volunteer_id: uuid.UUID) -> str:
    """The preferred name of a volunteer who may be given an account (exists, has none open)."""
    volunteer = s.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.anonymised_at is not None:
        raise ValidationError(
            "That volunteer is not on record, so no account can be linked to them."
        )
    holder = s.scalar(select(User).where(User.volunteer_id == volunteer_id))
    if holder is not None and holder.active:
        raise ValidationError(
            f"{volunteer.preferred_name} already signs in as {holder.username!r}. Reset that "
            "account's password instead of giving another one."
        )
    if holder is not None:  # a closed account keeps its row, not its link to the person
        holder.volunteer_id = None
        s.flush()
    return volunteer.preferred_name


def sign_in_of(s: Session, actor: Actor, volunteer_id: uuid.UUID) -> tuple[str, UserRole] | None:
    """The open account linked to a volunteer record (username and role), if there is one."""
    require(actor, Permission.MANAGE_USERS)
    row = s.execute(
        select(User.username, User.role).where(User.volunteer_id == volunteer_id, User.active)
    ).first()
    return (row[0], row[1]) if row else None


def suggest_username(store: Store, actor: Actor, name: str) -> str:
    """A free username from someone's name: 'Zoë Ní Bhriain' gives 'zoe', then 'zoe.nibhriain'
    and 'zoe2' if those are taken (also by closed accounts, which keep their names)."""
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        taken = set(s.scalars(select(User.username)))
    taken |= set(store.vault.usernames())
    words = [_ascii_word(w) for w in name.split()]
    words = [w for w in words if w] or ["person"]
    first = words[0] if len(words[0]) >= 2 else "".join(words)
    tries = [first, f"{words[0]}.{''.join(words[1:])}"] if len(words) > 1 else [first]
    tries = [t[:32] for t in tries if len(t) >= 2] or ["person"]
    for candidate in tries:
        if candidate not in taken:
            return candidate
    n = 2
    while f"{tries[0][:29]}{n}" in taken:
        n += 1
    return f"{tries[0][:29]}{n}"


def _ascii_word(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum())


# Letters and digits nobody confuses when reading them off a screen (no 0/o, 1/l/i).
_HANDOVER = "abcdefghjkmnpqrstuvwxyz23456789"


def first_secret(pin: bool = False) -> str:
    """A password (three groups of four, e.g. 'kq7m-ta3v-9hxe') or a PIN to hand over."""
    if pin:
        while True:
            made = "".join(secrets.choice("0123456789") for _ in range(MIN_PIN))
            try:
                check_new_secret(made, "", UserRole.VOLUNTEER, pins_allowed=True)
            except ValidationError:
                continue
            return made
    return "-".join("".join(secrets.choice(_HANDOVER) for _ in range(4)) for _ in range(3))


def give_sign_in(
    store: Store,
    actor: Actor,
    volunteer_id: uuid.UUID,
    username: str,
    role: UserRole,
    pin: bool = False,
) -> FirstSecret:
    """An account for the person on a volunteer record, with a first password (or PIN, for a
    volunteer where the group allows PINs) that the coordinator hands over."""
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        volunteer = s.get(Volunteer, volunteer_id)
        if volunteer is None:
            raise ValidationError("That volunteer is not on record.")
        shown = " ".join(n for n in (volunteer.preferred_name, volunteer.last_name) if n)
        if pin and not (may_use_pin(role) and pins_allowed(s)):
            raise ValidationError("Only volunteers may use a PIN, and only if the group allows it.")
    secret = first_secret(pin)
    row = add_user(store, actor, username, shown, role, secret, volunteer_id, must_change=True)
    return FirstSecret(row.username, secret, pin)


def reset_secret(
    store: Store, actor: Actor, username: str, secret: str, must_change: bool = False
) -> None:
    """A coordinator sets someone's new password or PIN (and so unlocks them)."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        if not user.active:
            raise ValidationError(f"{username!r} has been closed; add the account again instead.")
        check_new_secret(secret, user.username, user.role, pins_allowed(s))
        user.uses_pin = is_pin(secret)
        user.must_change_secret = must_change
        personal = give_slot(s, store.keyring, user)
        s.flush()
        audit.record(s, "password_reset", "users", str(user.id))
    store.vault.set_secret(user.username, secret, personal)
    store.vault.unlock_user(user.username)


def reset_to_first_secret(store: Store, actor: Actor, username: str) -> FirstSecret:
    """A new first password to hand over (a PIN again if they used one and still may), to be
    changed at their next sign-in."""
    require(actor, Permission.MANAGE_USERS)
    with store.read() as s:
        user = _user(s, username)
        pin = user.uses_pin and may_use_pin(user.role) and pins_allowed(s)
    secret = first_secret(pin)
    reset_secret(store, actor, user.username, secret, must_change=True)
    return FirstSecret(user.username, secret, pin)


def change_role(store: Store, actor: Actor, username: str, role: UserRole) -> FirstSecret | None:
    """Give an account another role. Someone who signed in with a PIN and is no longer a
    volunteer gets a first password instead (returned, to hand over): only volunteers use PINs."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        _refuse_own_or_last(s, actor, user, "change the role of")
        if not user.active:
            raise ValidationError(f"{user.username!r} has been closed.")
        user.role = role
        needs_password = user.uses_pin and not may_use_pin(role)
        reseal_signing_keys(s, store.keyring, current_group_key(s))  # they sign now, or no longer
    if needs_password:
        return reset_to_first_secret(store, actor, user.username)
    return None


def unlock(store: Store, actor: Actor, username: str) -> None:
    """End the wait after too many wrong passwords."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        audit.record(s, "unlock_account", "users", str(user.id))
    store.vault.unlock_user(user.username)


def remove(store: Store, actor: Actor, username: str) -> None:
    """Close an account and delete its keyslot; the last coordinator cannot be removed. A
    coordinator's removal also replaces the group key (see docs/keys.md); `rekey --new-keys`
    then shuts out an old copy of the keys file too."""
    require(actor, Permission.MANAGE_USERS)
    with store.session(actor) as s:
        user = _user(s, username)
        _refuse_own_or_last(s, actor, user, "close")
        was_coordinator = holds_group_key(user.role) and user.active
        user.active = False
        user.must_change_secret = False
        if was_coordinator:
            # Their copy of the group key must open nothing written from now on.
            rotate_group_key(s, store.keyring, store.vault.recovery_public_key())
        else:
            reseal_signing_keys(s, store.keyring, current_group_key(s))  # a closed trustee's seal
    store.vault.remove_user(user.username)


def _refuse_own_or_last(s: Session, actor: Actor, user: User, what: str) -> None:
    if role_can(user.role, Permission.MANAGE_USERS) and user.active and _open_coordinators(s) <= 1:
        raise ValidationError(
            f"{user.username!r} is the last coordinator account, so you cannot {what} it: give "
            "someone else the coordinator role first."
        )
    if user.id == actor.user_id:
        raise ValidationError(
            f"You cannot {what} your own account while signed in to it; another coordinator can."
        )


def _open_coordinators(s: Session) -> int:
    return (
        s.scalar(
            select(func.count()).where(
                User.role.in_(roles_with(Permission.MANAGE_USERS)), User.active
            )
        )
        or 0
    )


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
