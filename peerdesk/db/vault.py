"""The vault: the data key of one data folder, and the keys file that unlocks it.

Creating a vault makes a random data key, one slot for the first coordinator and one for the
recovery key. The recovery slot is also written to `peerdesk.recovery` (in the data folder and
in its backups folder), so losing or damaging the keys file is recoverable with the recovery key
alone: `Vault.recover` rebuilds a keys file with a new coordinator password, and the other users'
passwords are then reset by that coordinator.
"""

import json
from dataclasses import dataclass

from peerdesk.db.atomic import write_atomically
from peerdesk.db.cipher import file_salt
from peerdesk.db.keyslots import (
    RECOVERY_SLOT,
    KeyFile,
    Slot,
    Unlocked,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
    slot_from_json,
    slot_to_json,
)
from peerdesk.db.paths import DataFolder
from peerdesk.errors import StoreError

RECOVERY_NAME = "peerdesk.recovery"


@dataclass
class Vault:
    folder: DataFolder
    keyfile: KeyFile
    key: bytes

    # Opening ----------------------------------------------------------------------------
    @classmethod
    def create(
        cls, folder: DataFolder, organisation_id: str, username: str, secret: str
    ) -> tuple["Vault", str]:
        """A new data key with a slot for `username` and a recovery key (returned, shown once)."""
        key = new_data_key()
        keyfile = KeyFile(folder.keys_file, organisation_id=organisation_id)
        keyfile.wrap(username, secret, key)
        recovery = new_recovery_key()
        keyfile.wrap(RECOVERY_SLOT, recovery, key)
        vault = cls(folder, keyfile, key)
        vault.save()
        return vault, recovery

    @classmethod
    def unlock(cls, folder: DataFolder, username: str, secret: str) -> tuple["Vault", Unlocked]:
        keyfile = KeyFile.load(folder.keys_file)
        unlocked = keyfile.unwrap(username, secret)
        return cls(folder, keyfile, unlocked.key), unlocked

    @classmethod
    def recover(cls, folder: DataFolder, recovery_key: str) -> "Vault":
        """Unlock with the recovery key, from the keys file or, if that is lost or damaged,
        from a copy of the recovery slot."""
        typed = normalise_recovery_key(recovery_key)
        try:
            keyfile = KeyFile.load(folder.keys_file)
        except StoreError:
            keyfile = _rebuild_from_recovery_copy(folder)
        unlocked = keyfile.unwrap(RECOVERY_SLOT, typed)
        return cls(folder, keyfile, unlocked.key)

    # Slots ------------------------------------------------------------------------------
    def set_secret(self, username: str, secret: str) -> None:
        """Add a user's slot, or rewrap it after a password change."""
        self.keyfile.wrap(username, secret, self.key)
        self.save()

    def remove_user(self, username: str) -> None:
        self.keyfile.remove(username)
        self.save()

    def has_user(self, username: str) -> bool:
        return username in self.keyfile.slots

    def unlock_user(self, username: str) -> None:
        self.keyfile.reset_failures(username)
        self.save()

    def previous_keys(self) -> list[bytes]:
        return self.keyfile.previous_data_keys(self.key)

    # Files ------------------------------------------------------------------------------
    def note_database(self) -> None:
        """Remember which database file this vault opens (after it is created or replaced)."""
        self.keyfile.database_salt = file_salt(self.folder.db_file)
        self.save()

    def owns_database(self) -> bool:
        """False when the keys file was made for another database (another organisation's)."""
        expected = self.keyfile.database_salt
        return not expected or file_salt(self.folder.db_file) == expected

    def save(self) -> None:
        self.keyfile.save()
        slot = self.keyfile.slots[RECOVERY_SLOT]
        copy = {"organisation_id": self.keyfile.organisation_id, "slot": slot_to_json(slot)}
        for folder in (self.folder.root, self.folder.backup_dir):
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / RECOVERY_NAME, json.dumps(copy, indent=1).encode())


def _rebuild_from_recovery_copy(folder: DataFolder) -> KeyFile:
    for place in (folder.root / RECOVERY_NAME, folder.backup_dir / RECOVERY_NAME):
        try:
            raw = json.loads(place.read_bytes())
            slot: Slot = slot_from_json(raw["slot"])
            organisation_id = str(raw["organisation_id"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        return KeyFile(folder.keys_file, organisation_id, slots={RECOVERY_SLOT: slot})
    raise StoreError(
        "The keys file and every copy of the recovery slot are missing or damaged, so the data "
        "cannot be unlocked. Restore the keys file from a copy of the data folder."
    )
