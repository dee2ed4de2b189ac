"""The vault: the keys of one data folder, and the keys file that unlocks them.

Creating a vault makes a random master key and data key (see `keyslots`), one slot for the first
coordinator and one for the recovery key. The recovery slot and the sealed data key are also
written to `peerdesk.recovery` (in the data folder and in its backups folder), so losing or
damaging the keys file is recoverable with the recovery key alone: `Vault.recover` rebuilds the
keys file, a coordinator sets a new password, and the other users' passwords are then reset.
"""

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from peerdesk import clock
from peerdesk.db.atomic import write_atomically
from peerdesk.db.cipher import file_salt
from peerdesk.db.keyslots import (
    RECOVERY_SLOT,
    KeyFile,
    Unlocked,
    WrongSecretError,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
    slot_from_json,
    slot_to_json,
)
from peerdesk.db.paths import PRIVATE_FILE, DataFolder
from peerdesk.db.read_only import why_unwritable
from peerdesk.db.sealing import new_key_pair
from peerdesk.errors import StoreError

log = logging.getLogger(__name__)

RECOVERY_NAME = "peerdesk.recovery"


@dataclass
class Vault:
    folder: DataFolder
    keyfile: KeyFile
    master: bytes
    key: bytes  # the data key: what SQLCipher encrypts the database and backups with
    # The unlocking account's personal private key (keys by role, see docs/keys.md).
    personal: bytes | None = None

    # Opening ----------------------------------------------------------------------------
    @classmethod
    def create(cls, folder: DataFolder, username: str, secret: str) -> tuple["Vault", str]:
        """New keys with a slot for `username` and a recovery key (returned, shown once)."""
        folder.ensure()
        master, key = new_data_key(), new_data_key()
        keyfile = KeyFile(folder.keys_file, vault_id=uuid.uuid4().hex)
        keyfile.seal_data_key(master, key)
        personal = new_key_pair()[0]
        keyfile.wrap(username, secret, master, personal)
        recovery = new_recovery_key()
        keyfile.wrap(RECOVERY_SLOT, recovery, master, new_key_pair()[0])
        vault = cls(folder, keyfile, master, key, personal)
        vault.save()
        return vault, recovery

    @classmethod
    def unlock(cls, folder: DataFolder, username: str, secret: str) -> tuple["Vault", Unlocked]:
        """Open `username`'s slot. The attempt is counted in the keys file, under its lock,
        before the slow key derivation: parallel guesses are all counted, and a sign-in never
        writes back a stale copy over someone's password change."""
        keyfile, _ = _change_keys(folder, lambda k: k.begin_attempt(username, clock.now()))
        master, personal = keyfile.open_slot_keys(username, secret)
        # A slot made before keys by role gets its personal key now, while the secret is known.
        new_personal = personal is None
        personal = personal or new_key_pair()[0]
        keyfile, failed_before = _change_keys(
            folder, lambda k: k.succeed(username, secret, master, personal)
        )
        vault = cls(folder, keyfile, master, keyfile.data_key(master), personal)
        if new_personal and username == RECOVERY_SLOT:
            vault.save()  # the recovery copies carry the recovery slot's personal key too
        return vault, Unlocked(master, failed_before)

    @classmethod
    def recover(cls, folder: DataFolder, recovery_key: str) -> "Vault":
        """Unlock with the recovery key, from the keys file or, if that is lost or damaged,
        from a copy of the recovery slot."""
        typed = normalise_recovery_key(recovery_key)
        try:
            KeyFile.load(folder.keys_file)
        except StoreError:
            keyfile = _rebuild_from_recovery_copy(folder)
            master, personal = keyfile.open_slot_keys(RECOVERY_SLOT, typed)
            return cls(folder, keyfile, master, keyfile.data_key(master), personal)
        try:
            return cls.unlock(folder, RECOVERY_SLOT, typed)[0]
        except WrongSecretError:
            foreign = _past_foreign_keys(folder, typed)
            if foreign is None:
                raise
            keyfile, master, personal = foreign
            return cls(folder, keyfile, master, keyfile.data_key(master), personal)

    # Slots ------------------------------------------------------------------------------
    def _update(self, change: Callable[[KeyFile], None]) -> None:
        """Re-read the keys file, change it and save it, holding its lock: two people changing
        passwords at once each keep their change."""
        with _keys_lock(self.folder):
            fresh = _load_or_set_aside(self.folder)
            if fresh is not None and fresh.vault_id == self.keyfile.vault_id:
                self.keyfile = fresh
            change(self.keyfile)
            self.save()

    def set_secret(self, username: str, secret: str, personal: bytes | None = None) -> None:
        """Add a user's slot, or rewrap it after a password change, with their personal
        private key if given (see `keyring.give_slot`)."""
        self._update(lambda kf: kf.wrap(username, secret, self.master, personal))

    def recovery_public_key(self) -> bytes | None:
        """The recovery key's public key, to which the coordinators' group key is sealed."""
        slot = self.keyfile.slots.get(RECOVERY_SLOT)
        return slot.public if slot and slot.public else None

    def remove_user(self, username: str) -> None:
        self._update(lambda kf: kf.remove(username))

    def usernames(self) -> list[str]:
        """Every account's slot name (not the recovery slot), as the keys file has them now."""
        current = _load_or_set_aside(self.folder) or self.keyfile
        return [name for name in current.slots if name != RECOVERY_SLOT]

    def has_user(self, username: str) -> bool:
        return username in self.keyfile.slots

    def is_locked_out(self, username: str) -> bool:
        """Read from the file: failures are counted by whoever tried to sign in."""
        slot = KeyFile.load(self.folder.keys_file).slots.get(username)
        return bool(slot and slot.locked_until and slot.locked_until > clock.now())

    def unlock_user(self, username: str) -> None:
        self._update(lambda kf: kf.reset_failures(username))

    def change_data_key(self, new_key: bytes) -> None:
        """After the database was re-encrypted with `new_key`: seal it, keep the old one."""
        self._update(lambda kf: kf.seal_data_key(self.master, new_key))
        self.key = new_key

    def change_master_key(self) -> tuple[str, list[str]]:
        """`rekey --new-keys`: a new master key, handed to each slot through its personal key,
        and a new recovery key (returned, to be shown once, with the slots that had to be
        dropped). An old keys file with an old password then opens only the old master key,
        which seals nothing current once the data key is changed too (`Store.change_data_key`)."""
        new_master, recovery = new_data_key(), new_recovery_key()
        dropped: list[str] = []

        def change(kf: KeyFile) -> None:
            dropped.extend(kf.change_master(self.master, new_master))
            personal = new_key_pair()[0]
            kf.wrap(RECOVERY_SLOT, recovery, new_master, personal)

        with _keys_lock(self.folder):
            fresh = _load_or_set_aside(self.folder)
            if fresh is not None and fresh.vault_id == self.keyfile.vault_id:
                self.keyfile = fresh
            change(self.keyfile)
            self.master = new_master
            self.save()
        return recovery, dropped

    def previous_keys(self) -> list[bytes]:
        return self.keyfile.previous_data_keys(self.master)

    # Files ------------------------------------------------------------------------------
    def note_database(self) -> None:
        """Remember which database file this vault opens (after it is created or replaced)."""
        salt = file_salt(self.folder.db_file)
        self._update(lambda kf: setattr(kf, "database_salt", salt))

    def note_audit_anchor(self, anchor: dict[str, Any]) -> None:
        """Keep the audit trail's newest event outside the database (see `audit.AuditAnchor`)."""
        self._update(lambda kf: setattr(kf, "audit_anchor", anchor))

    def save(self) -> None:
        """The keys file and both recovery copies. A recovery copy of another vault is never
        overwritten: it is the only way into that vault's backups."""
        for folder in (self.folder.root, self.folder.backup_dir):
            other = _recovery_copy_vault(folder / RECOVERY_NAME)
            if other not in (None, self.keyfile.vault_id):
                raise StoreError(
                    f"{folder / RECOVERY_NAME} belongs to other data (earlier backups?), so "
                    "peerdesk will not replace it. Use 'peerdesk recover' with that data's "
                    "recovery key, or choose an empty folder."
                )
        self.keyfile.save()
        copy = {
            "vault_id": self.keyfile.vault_id,
            "sealed_data_key": self.keyfile.sealed_data_key,
            "previous_keys": self.keyfile.previous_keys,
            "slot": slot_to_json(self.keyfile.slots[RECOVERY_SLOT]),
        }
        for folder in (self.folder.root, self.folder.backup_dir):
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / RECOVERY_NAME, json.dumps(copy, indent=1).encode())


def _change_keys[T](folder: DataFolder, change: Callable[[KeyFile], T]) -> tuple[KeyFile, T]:
    """The keys file after `change`, saved under its lock. Where the folder cannot be written
    (a full disk, a read-only folder) the change is kept in memory only, so the person can
    still sign in to read (see `read_only`); attempts are then not counted, which gives nothing
    away: whoever can copy such a folder can guess offline anyway."""
    try:
        with _keys_lock(folder):
            keyfile = KeyFile.load(folder.keys_file)
            done = change(keyfile)
            keyfile.save()
            return keyfile, done
    except OSError as err:
        if why_unwritable(err) is None:
            raise
    log.info("the keys file cannot be written here: signing in to read only")
    keyfile = KeyFile.load(folder.keys_file)
    return keyfile, change(keyfile)


@contextmanager
def _keys_lock(folder: DataFolder) -> Iterator[None]:
    """Only one change to the keys file at a time, across processes."""
    try:
        with FileLock(str(folder.keys_file) + ".lock", timeout=30, mode=PRIVATE_FILE):
            yield
    except Timeout:
        raise StoreError(
            "The keys file is busy (another peerdesk is changing it). Try again in a moment."
        ) from None


def _load_or_set_aside(folder: DataFolder) -> KeyFile | None:
    """The keys file as it is on disk; a damaged one is moved aside (the recovery key rebuilds
    it) and None returned."""
    if not folder.keys_file.exists():
        return None
    try:
        return KeyFile.load(folder.keys_file)
    except StoreError:
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        os.replace(folder.keys_file, folder.root / f"peerdesk.keys.damaged-{stamp}")
        return None


def _recovery_copy_vault(path: Path) -> str | None:
    try:
        return str(json.loads(path.read_bytes())["vault_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _rebuild_from_one_copy(folder: DataFolder, place: Path) -> KeyFile:
    raw = json.loads(place.read_bytes())
    return KeyFile(
        folder.keys_file,
        str(raw["vault_id"]),
        slots={RECOVERY_SLOT: slot_from_json(raw["slot"])},
        sealed_data_key=str(raw["sealed_data_key"]),
        previous_keys=[str(k) for k in raw.get("previous_keys", [])],
    )


def _rebuild_from_recovery_copy(folder: DataFolder) -> KeyFile:
    for place in (folder.root / RECOVERY_NAME, folder.backup_dir / RECOVERY_NAME):
        try:
            return _rebuild_from_one_copy(folder, place)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    raise StoreError(
        "The keys file and every copy of the recovery slot are missing or damaged, so the data "
        "cannot be unlocked. Restore the keys file from a copy of the data folder."
    )


def _past_foreign_keys(
    folder: DataFolder, recovery_key: str
) -> tuple[KeyFile, bytes, bytes | None] | None:
    """When the keys file is another organisation's (copied in by mistake), the right recovery
    key still opens this folder's own recovery copy: set the other keys file aside, unchanged,
    and rebuild from the copy. None when no copy of other keys opens with `recovery_key`."""
    present = KeyFile.load(folder.keys_file).vault_id
    for place in (folder.root / RECOVERY_NAME, folder.backup_dir / RECOVERY_NAME):
        if _recovery_copy_vault(place) in (None, present):
            continue
        try:
            keyfile = _rebuild_from_one_copy(folder, place)
            master, personal = keyfile.open_slot_keys(RECOVERY_SLOT, recovery_key)
        except (StoreError, OSError, ValueError, KeyError, TypeError):
            continue
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        os.replace(folder.keys_file, folder.root / f"peerdesk.keys.other-{stamp}")
        return keyfile, master, personal
    return None
