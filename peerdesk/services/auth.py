"""Signing in and out on the shared laptop, and recovering access with the recovery key.

Signing in unwraps the user's keyslot (Argon2id, the only slow step), opens the encrypted store
and checks the account is still open. A wrong password cannot be written to a database nobody has
unlocked, so failures are counted in the keys file and entered in the audit trail at that
account's next successful sign-in.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import URL, select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db import audit
from peerdesk.db.keyring import give_slot, load_keyring, settle_keys
from peerdesk.db.keyslots import RECOVERY_SLOT, KeyFile, Unlocked, normalise_recovery_key
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder
from peerdesk.db.read_only import (
    ReadOnlyError,
    ReadOnlyLock,
    read_only_engine,
    read_only_sentence,
    unwritable_folder,
    why_unwritable,
)
from peerdesk.db.schema import FileState
from peerdesk.db.server_store import ServerStore, ServerVault, open_server
from peerdesk.db.store import Progress, Store, classify_for
from peerdesk.db.vault import Vault
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import User
from peerdesk.services.organisation import organisation_settings
from peerdesk.services.permissions import Actor, Permission, PermissionDenied, role_can
from peerdesk.services.secrets_policy import check_new_secret, is_pin
from peerdesk.services.signing_key import seal_to_signers

log = logging.getLogger(__name__)


@dataclass
class SignedIn:
    store: Store
    actor: Actor
    # The password was given by a coordinator: the person chooses their own before anything else.
    must_change_secret: bool = False
    # Set when the data folder cannot be written: what to tell the person (nothing is saved).
    read_only: str | None = None


def sign_in_usernames(folder: DataFolder) -> list[str]:
    """Who can sign in here, read from the keys file (the database is still locked)."""
    if not folder.keys_file.exists():
        return []
    return sorted(n for n in KeyFile.load(folder.keys_file).slots if n != RECOVERY_SLOT)


def actor_for(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.role, user.volunteer_id)


def sign_in(
    folder: DataFolder,
    username: str,
    secret: str,
    *,
    lock: FolderLock | None = None,
    take_over: bool = False,
    progress: Progress | None = None,
) -> SignedIn:
    """Unlock the data as `username`. Raises a PeerdeskError with a plain message otherwise.
    Where the data folder cannot be written (a full disk, a read-only folder) the person is
    signed in to read only, and `read_only` says so (see `db/read_only.py`)."""
    vault, unlocked = Vault.unlock(folder, username.strip(), secret)
    if isinstance(lock, ReadOnlyLock):
        lock = None  # the screen was locked while reading only: try to write again
    try:
        return _sign_in_to_write(vault, unlocked, username, lock, take_over, progress)
    except Exception as err:
        reason = why_unwritable(err)
        if reason is None and not isinstance(err, PeerdeskError):
            reason = unwritable_folder(folder.root)
        if reason is None or lock is not None:
            raise
        log.info("the data folder cannot be written: signing in to read only")
        return _sign_in_to_read(vault, username.strip(), reason)


def _sign_in_to_write(
    vault: Vault,
    unlocked: Unlocked,
    username: str,
    lock: FolderLock | None,
    take_over: bool,
    progress: Progress | None,
) -> SignedIn:
    store = Store.open(vault, lock=lock, take_over=take_over, progress=progress)
    return _enter(store, vault, unlocked, username, keep_lock=lock is not None)


def sign_in_to_server(
    url: URL, folder: DataFolder, username: str, secret: str, progress: Progress | None = None
) -> SignedIn:
    """Sign in to a group's database on a PostgreSQL server (`url` checked by
    `server_url.check_server_url`); `folder` is this laptop's own folder, where exports go."""
    engine = open_server(url, progress)
    try:
        vault, unlocked = ServerVault.unlock_on(folder, engine, username.strip(), secret)
    except BaseException:
        engine.dispose()
        raise
    return _enter(ServerStore(vault, engine, url), vault, unlocked, username, keep_lock=False)


def _enter(
    store: Store, vault: Vault, unlocked: Unlocked, username: str, keep_lock: bool
) -> SignedIn:
    """Check the account is open, record the sign-in and build the person's keyring."""
    try:
        with store.session() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None or not user.active:
                raise PermissionDenied(
                    "This account has been closed. Ask a coordinator if you need it again."
                )
            actor = actor_for(user)
            s.info[audit.ACTOR_KEY] = actor
            if unlocked.failed_before:
                audit.record(
                    s, "sign_in_failed", "users", str(user.id), {"attempts": unlocked.failed_before}
                )
            audit.record(s, "sign_in", "users", str(user.id))
            user.last_sign_in_at = clock.now()
            must_change = user.must_change_secret
            if vault.personal is not None:
                store.keyring = settle_keys(s, user, vault.personal, vault.recovery_public_key())
                seal_to_signers(s, store)
    except BaseException:
        store.close(backup=False, keep_lock=keep_lock)
        raise
    return SignedIn(store, actor, must_change)


def _sign_in_to_read(vault: Vault, username: str, reason: str) -> SignedIn:
    """Open the database without writing anything: no lock, no audit event, no new keys."""
    sentence = read_only_sentence(reason)
    if classify_for(vault)[0] is not FileState.CURRENT:
        raise ReadOnlyError(
            f"{reason}, and peerdesk must first upgrade or repair its data file, which needs "
            "room to write: free some space (or make the folder writable), then sign in again."
        )
    store = Store(vault, read_only_engine(vault.folder.db_file, vault.key),
                  ReadOnlyLock(vault.folder.lock_file, reason))  # fmt: skip
    try:
        with store.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise PermissionDenied(
                    "This account has been closed. Ask a coordinator if you need it again."
                )
            actor, must_change = actor_for(user), user.must_change_secret
            if vault.personal is not None:
                store.keyring = load_keyring(s, user.id, vault.personal)
    except BaseException:
        store.close(backup=False)
        raise
    return SignedIn(store, actor, must_change, read_only=sentence)


def sign_out(signed_in: SignedIn, keep_lock: bool = False) -> FolderLock | None:
    """Close the store (backing up what changed); nothing of the session stays open. A copy
    that lost the folder to a take-over closes without writing anything more."""
    if signed_in.store.holds_folder():
        with signed_in.store.session(signed_in.actor) as s:
            audit.record(s, "sign_out", "users", str(signed_in.actor.user_id))
    return signed_in.store.close(keep_lock=keep_lock)


def pins_allowed(session: Session) -> bool:
    return organisation_settings(session).volunteers_may_use_pin


def change_own_secret(signed_in: SignedIn, current: str, new: str) -> None:
    """A signed-in person changes their own password or PIN (the current one is checked). This
    is also how someone given a first password by a coordinator replaces it."""
    actor, store = signed_in.actor, signed_in.store
    if new == current:
        raise ValidationError(
            "Choose a new password or PIN: it must be different from the one you use now."
        )
    if isinstance(store, ServerStore):
        ServerVault.unlock_on(store.folder, store.engine, actor.username, current)
    else:
        Vault.unlock(store.folder, actor.username, current)
    personal = store.keyring.personal
    with store.session(actor) as s:
        check_new_secret(new, actor.username, actor.role, pins_allowed(s))
        user = s.get(User, actor.user_id)
        if user is not None:
            user.uses_pin = is_pin(new)
            user.must_change_secret = False
            personal = give_slot(s, store.keyring, user)
            s.flush()
        audit.record(s, "password_changed", "users", str(actor.user_id))
    store.vault.set_secret(actor.username, new, personal)
    signed_in.must_change_secret = False


def recover(
    folder: DataFolder,
    recovery_key: str,
    username: str,
    new_secret: str,
    take_over: bool = False,
) -> SignedIn:
    """With the recovery key: set a new password for a coordinator (who may have been locked
    out for good) and sign in as them. Rebuilds a lost or damaged keys file."""
    vault = Vault.recover(folder, recovery_key)
    return _recover_into(Store.open(vault, take_over=take_over), vault, username, new_secret)


def recover_on_server(
    url: URL, folder: DataFolder, recovery_key: str, username: str, new_secret: str
) -> SignedIn:
    """`recover` for a group on a server: the recovery slot is in the database's keys."""
    engine = open_server(url)
    try:
        typed = normalise_recovery_key(recovery_key)
        vault = ServerVault.unlock_on(folder, engine, RECOVERY_SLOT, typed)[0]
    except BaseException:
        engine.dispose()
        raise
    return _recover_into(ServerStore(vault, engine, url), vault, username, new_secret)


def _recover_into(store: Store, vault: Vault, username: str, new_secret: str) -> SignedIn:
    try:
        with store.session() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None or not role_can(user.role, Permission.MANAGE_USERS):
                raise ValidationError(
                    f"There is no coordinator called {username!r}. The recovery key can only set "
                    "a coordinator's password; that coordinator can then reset the others."
                )
            check_new_secret(new_secret, user.username, user.role, pins_allowed=False)
            user.active = True
            user.must_change_secret = False  # the coordinator just chose this one themself
            actor = actor_for(user)
            s.info[audit.ACTOR_KEY] = actor
            # The recovery key holds the group key: it gives the coordinator their own key back.
            recovery = load_keyring(s, None, vault.personal)
            personal = give_slot(s, recovery, user)
            s.flush()
            store.keyring = load_keyring(s, user.id, personal)
            audit.record(s, "recovered", "users", str(user.id))
        vault.set_secret(user.username, new_secret, personal)
        vault.unlock_user(user.username)
        vault.note_database()  # a rebuilt keys file learns which data file is its own
    except BaseException:
        store.close(backup=False)
        raise
    return SignedIn(store, actor)
