"""Setting up a data folder: a new group with its first coordinator, encrypting a database made
before encryption, and changing the data key."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, select

from peerdesk import clock
from peerdesk.db import audit
from peerdesk.db.encrypt import encrypt_in_place, plaintext_organisation_id
from peerdesk.db.keyring import escrow, give_slot, rotate_group_key, settle_keys
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder, sidecar_files
from peerdesk.db.schema import has_sqlite_header
from peerdesk.db.sealing import new_key_pair
from peerdesk.db.server_store import ServerStore, ServerVault, open_server, server_usernames
from peerdesk.db.server_url import describe
from peerdesk.db.store import Progress, Store
from peerdesk.db.vault import RECOVERY_NAME, Vault
from peerdesk.errors import StoreError
from peerdesk.models import User, UserRole
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn, actor_for
from peerdesk.services.organisation import check_name, create_organisation
from peerdesk.services.permissions import Actor, Permission, require
from peerdesk.services.secrets_policy import check_new_secret
from peerdesk.services.signing_key import new_signing_key, seal_to_signers

Fill = Callable[[Store], None]


@dataclass
class NewVault:
    signed_in: SignedIn
    recovery_key: str  # shown once, to be printed and kept by a trustee
    # Old plaintext backups that could not be read, so were left unencrypted (encrypt_existing).
    unreadable_backups: list[Path] = field(default_factory=list)


def folder_is_empty(folder: DataFolder) -> bool:
    """No data, no keys, and no backups or recovery copy of earlier data (a new organisation
    here would replace the recovery copy that opens those backups)."""
    earlier = [
        folder.db_file,
        folder.keys_file,
        folder.root / RECOVERY_NAME,
        folder.backup_dir / RECOVERY_NAME,
    ]
    has_backups = folder.backup_dir.is_dir() and any(folder.backup_dir.glob("peerdesk-*.sqlite3"))
    return not has_backups and not any(p.exists() for p in earlier)


def start_organisation(
    folder: DataFolder,
    org_name: str,
    username: str,
    display_name: str,
    secret: str,
    *,
    take_over: bool = False,
    progress: Progress | None = None,
) -> NewVault:
    """A new, empty, encrypted organisation whose first account is a coordinator."""
    name = check_name(org_name)

    def fill(store: Store) -> None:
        with store.session() as s:
            create_organisation(s, name)
            # The key its reports are signed with, so its fingerprint goes on the recovery sheet.
            s.add(new_signing_key(name, store.vault.key, clock.now()))

    return new_vault_with(
        folder, username, display_name, secret, fill, take_over=take_over, progress=progress
    )


def new_vault_with(
    folder: DataFolder,
    username: str,
    display_name: str,
    secret: str,
    fill: Fill,
    *,
    take_over: bool = False,
    progress: Progress | None = None,
    more_accounts: dict[str, UserRole] | None = None,
) -> NewVault:
    """New keys and database in an empty folder; `fill(store)` creates the organisation (and,
    for the demo, everything else); then the coordinator's account is made or given its slot,
    and `more_accounts` too (with the same secret), before what `fill` wrote is sealed."""
    if not folder_is_empty(folder):
        raise StoreError(
            f"{folder.root} already holds peerdesk data or its backups. Choose an empty folder "
            "with --data-dir, or sign in to the data that is there (if its keys are lost, "
            "'peerdesk recover' with its recovery key)."
        )
    name = accounts.check_username(username)
    check_new_secret(secret, name, UserRole.COORDINATOR, pins_allowed=False)
    folder.ensure()
    lock = FolderLock.acquire(folder.lock_file, take_over=take_over)
    store: Store | None = None
    try:
        vault, recovery = Vault.create(folder, name, secret)
        store = Store.open(vault, lock=lock, progress=progress)
        actor = _populate(store, name, display_name, secret, fill, more_accounts)
    except BaseException:
        if store is not None:
            store.close(backup=False, keep_lock=True)
        _remove_new_files(folder)
        lock.release()
        raise
    return NewVault(SignedIn(store, actor), recovery)


def _populate(
    store: Store,
    name: str,
    display_name: str,
    secret: str,
    fill: Fill,
    more_accounts: dict[str, UserRole] | None,
) -> Actor:
    """What a new group's store gets, on either engine: `fill`, then the accounts and keys."""
    fill(store)
    store.mark_changed()
    personal = store.vault.personal
    actor = ensure_account(store, name, display_name, UserRole.COORDINATOR, secret, personal)
    made = {name: personal}
    for username, role in (more_accounts or {}).items():
        if username != name:
            made[username] = ensure_personal(store, username, role, secret)
    settle_new_keys(store, actor, made)
    return actor


def start_on_server(
    url: URL,
    folder: DataFolder,
    org_name: str,
    username: str,
    display_name: str,
    secret: str,
    progress: Progress | None = None,
) -> NewVault:
    """A new organisation in an empty PostgreSQL database (one group per database), its first
    account a coordinator; its keyslots are kept in the database (see `server_store`)."""
    name = check_name(org_name)
    coordinator = accounts.check_username(username)
    check_new_secret(secret, coordinator, UserRole.COORDINATOR, pins_allowed=False)
    engine = open_server(url, progress)
    try:
        if server_usernames(engine):
            raise StoreError(
                f"The database {describe(url)} already holds a group. Sign in to it, or give "
                "the new group a database of its own (createdb)."
            )
        vault, recovery = ServerVault.create_on(folder, engine, coordinator, secret)
    except BaseException:
        engine.dispose()
        raise
    store = ServerStore(vault, engine, url)

    def fill(store: Store) -> None:
        with store.session() as s:
            create_organisation(s, name)
            s.add(new_signing_key(name, store.vault.key, clock.now()))

    try:
        actor = _populate(store, coordinator, display_name, secret, fill, None)
    except BaseException:
        store.close(backup=False)
        raise
    return NewVault(SignedIn(store, actor), recovery)


DEMO_PASSWORD = "peerdesk-demo"
DEMO_ACCOUNTS = {
    "coordinator": UserRole.COORDINATOR,
    "supervisor": UserRole.SUPERVISOR,
    "volunteer": UserRole.VOLUNTEER,
    "trustee": UserRole.TRUSTEE,
}


def ensure_account(
    store: Store,
    username: str,
    display_name: str,
    role: UserRole,
    secret: str,
    personal: bytes | None = None,
) -> Actor:
    """Give an existing account (made by the demo, or before encryption) its keyslot, or
    create the account; `personal`: the personal key already made for it, if any."""
    with store.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is not None:
            personal = give_slot(s, store.keyring, user, personal)
            store.vault.set_secret(username, secret, personal)
            return actor_for(user)
    accounts.add_user(store, None, username, display_name, role, secret, personal=personal)
    with store.read() as s:
        return actor_for(s.scalars(select(User).where(User.username == username)).one())


def ensure_personal(store: Store, username: str, role: UserRole, secret: str) -> bytes:
    """`ensure_account` for another account of a new folder; returns its personal key."""
    personal = new_key_pair()[0]
    ensure_account(store, username, username.title(), role, secret, personal)
    return personal


def settle_new_keys(store: Store, coordinator: Actor, made: dict[str, bytes | None]) -> None:
    """The group key for the first coordinator (and the recovery key), everything `fill` wrote
    sealed, and each new account's personal key escrowed to the group."""
    vault = store.vault
    with store.session() as s:
        user = s.get(User, coordinator.user_id)
        personal = made[coordinator.username]
        if user is None or personal is None:
            return
        store.keyring = settle_keys(s, user, personal, vault.recovery_public_key())
        seal_to_signers(s, store)
        for username, key in made.items():
            other = s.scalar(select(User).where(User.username == username))
            if other is not None and key is not None:
                escrow(s, other, key)


def encrypt_existing(
    folder: DataFolder, username: str, display_name: str, secret: str, *, take_over: bool = False
) -> NewVault:
    """Encrypt a peerdesk database made before encryption, with a first coordinator."""
    db = folder.db_file
    if folder.keys_file.exists() or not db.exists() or not has_sqlite_header(db):
        raise StoreError(f"There is no unencrypted peerdesk data in {folder.root} to set up.")
    if plaintext_organisation_id(db) is None:
        raise StoreError(f"{db} is not a peerdesk database, so peerdesk will not touch it.")
    name = accounts.check_username(username)
    check_new_secret(secret, name, UserRole.COORDINATOR, pins_allowed=False)
    lock = FolderLock.acquire(folder.lock_file, take_over=take_over)
    try:
        vault, recovery = Vault.create(folder, name, secret)
        try:
            skipped = encrypt_in_place(vault)
        except BaseException:
            if has_sqlite_header(db):  # still the plaintext file: no key was ever needed
                _remove_keys(folder)
            raise
        store = Store.open(vault, lock=lock)
        actor = ensure_account(
            store, name, display_name, UserRole.COORDINATOR, secret, vault.personal
        )
        settle_new_keys(store, actor, {name: vault.personal})
    except BaseException:
        lock.release()
        raise
    return NewVault(SignedIn(store, actor), recovery, skipped)


@dataclass(frozen=True)
class NewKeys:
    recovery_key: str  # shown once, to replace the printed one
    dropped: list[str]  # accounts that had no personal key yet: they need a new password


def change_data_key(signed_in: SignedIn, new_keys: bool = False) -> NewKeys | None:
    """`peerdesk rekey`: a coordinator re-encrypts the database under a new data key. With
    `new_keys` also a new master key, recovery key and coordinators' group key, so an old copy
    of the keys file with an old password opens nothing current (after removing someone)."""
    require(signed_in.actor, Permission.MANAGE_DATA)
    store = signed_in.store
    if new_keys and isinstance(store, ServerStore):
        return _new_keys_on_server(signed_in, store)
    with store.session(signed_in.actor) as s:
        audit.record(s, "rekey", changes={"new_keys": True} if new_keys else None)
    made = None
    if new_keys:
        recovery, dropped = store.vault.change_master_key()
        with store.session(signed_in.actor) as s:
            rotate_group_key(s, store.keyring, store.vault.recovery_public_key())
        made = NewKeys(recovery, dropped)
    store.change_data_key()
    return made


def _new_keys_on_server(signed_in: SignedIn, store: ServerStore) -> NewKeys:
    """New keys on a server: there is no data file to re-encrypt, but the master key, the
    recovery key and the coordinators' group key are changed and every sealed value resealed,
    in one write transaction (under the writers' lock, so no other laptop seals a value to the
    old key meanwhile). Laptops already signed in keep the keys they opened until they sign in
    again; a failure changes nothing, here or on the server."""
    vault = store.vault
    assert isinstance(vault, ServerVault)
    before = vault.keyfile, vault.master, dict(store.keyring.groups)
    try:
        with store.session(signed_in.actor) as s:
            audit.record(s, "rekey", changes={"new_keys": True})
            recovery, dropped = vault.change_master_key_in(s.connection())
            rotate_group_key(s, store.keyring, vault.recovery_public_key())
    except BaseException:
        vault.keyfile, vault.master, store.keyring.groups = before
        raise
    return NewKeys(recovery, dropped)


def _remove_new_files(folder: DataFolder) -> None:
    """Undo a set-up that failed half-way, so the folder is as empty as it was."""
    for path in sidecar_files(folder.db_file):
        path.unlink(missing_ok=True)
    _remove_keys(folder)


def _remove_keys(folder: DataFolder) -> None:
    for path in (folder.keys_file, folder.root / RECOVERY_NAME, folder.backup_dir / RECOVERY_NAME):
        path.unlink(missing_ok=True)
