"""A group's data on a PostgreSQL server: the same store as the encrypted file, on another engine.

`ServerStore` is a `Store` (one short session per user action, writes audited, the keyring in
every session) whose engine is PostgreSQL's. What differs:
- the schema is created, upgraded or refused as on the file, but without the file's backups
  and checks: the server keeps its pages whole, and backing it up is the server's job
  (`pg_dump`), so backup, restore and changing the file's data key are refused in one sentence;
- no folder lock: several laptops work on one server database at once, and writers queue on
  one advisory lock instead (see `engine.make_server_engine`);
- the keyslots, which beside a file live in the keys file, live in the database's one-row table
  `server_keys` (`ServerVault`): the same document, so a password still unwraps the master key
  and the account's personal key, and confidential text stays sealed by role (docs/keys.md).
  A sign-in attempt is counted there under a row lock, as the file's are under its file lock.
One organisation per database: a host with several groups gives each its own database.
"""

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from peerdesk import clock
from peerdesk.db.backup import BackupFile
from peerdesk.db.engine import make_server_engine, make_server_reader
from peerdesk.db.keyslots import (
    FORMAT,
    RECOVERY_SLOT,
    KeyFile,
    Unlocked,
    new_data_key,
    new_recovery_key,
    slot_from_json,
)
from peerdesk.db.lock import FolderLock, _me
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import FileState, classify_server
from peerdesk.db.sealing import new_key_pair
from peerdesk.db.server_url import DOCS, SERVER_BACKUPS, describe
from peerdesk.db.store import Progress, Store, _migrate
from peerdesk.db.vault import Vault
from peerdesk.errors import NewerSchemaError, StoreError
from peerdesk.models import server_keys

log = logging.getLogger(__name__)

KEYS_PLACE = Path("server_keys")  # where error messages say the keys are


class ServerModeError(StoreError):
    """A laptop-only action (backup, restore, the file's data key) asked of a server database."""


# Keys -------------------------------------------------------------------------------------
def _keyfile_from(document: str) -> KeyFile:
    try:
        raw = json.loads(document)
        if raw.get("format") != FORMAT:
            raise ValueError("unknown format")
        return KeyFile(
            path=KEYS_PLACE,
            vault_id=str(raw["vault_id"]),
            sealed_data_key=str(raw["sealed_data_key"]),
            previous_keys=[str(k) for k in raw.get("previous_keys", [])],
            audit_anchor=dict(raw.get("audit_anchor") or {}),
            slots={str(n): slot_from_json(s) for n, s in raw["slots"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StoreError(
            f"The server database's keys (table server_keys) are damaged ({err}). Ask the "
            "host to restore the database from its last good dump."
        ) from None


def _locked_keys(conn: Connection) -> KeyFile:
    """The keys document, its row locked until `conn`'s transaction ends."""
    document = conn.scalar(select(server_keys.c.document).with_for_update())
    if document is None:
        raise StoreError(
            "This server database has no accounts yet. Set it up first with 'peerdesk init "
            "--database-url URL --org NAME --coordinator USERNAME'."
        )
    return _keyfile_from(document)


def _write_keys(conn: Connection, keyfile: KeyFile) -> None:
    document = json.dumps(keyfile.to_json(), sort_keys=True)
    done = conn.execute(update(server_keys).values(document=document))
    if not done.rowcount:
        conn.execute(insert(server_keys).values(id=1, document=document))


@dataclass
class ServerVault(Vault):
    """The vault of a server database: the keys document is read and changed in the database,
    inside a transaction that holds its row, instead of in a keys file under a file lock."""

    engine: Engine | None = None

    @property
    def _engine(self) -> Engine:
        assert self.engine is not None
        return self.engine

    @classmethod
    def create_on(
        cls, folder: DataFolder, engine: Engine, username: str, secret: str
    ) -> tuple["ServerVault", str]:
        """New keys with a slot for `username` and a recovery key (returned, shown once)."""
        master, key = new_data_key(), new_data_key()
        keyfile = KeyFile(KEYS_PLACE, vault_id=uuid.uuid4().hex)
        keyfile.seal_data_key(master, key)
        personal = new_key_pair()[0]
        keyfile.wrap(username, secret, master, personal)
        recovery = new_recovery_key()
        keyfile.wrap(RECOVERY_SLOT, recovery, master, new_key_pair()[0])
        vault = cls(folder, keyfile, master, key, personal, engine)
        vault.save()
        return vault, recovery

    @classmethod
    def unlock_on(
        cls, folder: DataFolder, engine: Engine, username: str, secret: str
    ) -> tuple["ServerVault", Unlocked]:
        """As `Vault.unlock`: the attempt is counted and committed before the slow key
        derivation, so guesses from several laptops at once are all counted."""
        with engine.begin() as conn:
            keyfile = _locked_keys(conn)
            keyfile.begin_attempt(username, clock.now())
            _write_keys(conn, keyfile)
        master, personal = keyfile.open_slot_keys(username, secret)
        personal = personal or new_key_pair()[0]
        with engine.begin() as conn:
            keyfile = _locked_keys(conn)
            failed_before = keyfile.succeed(username, secret, master, personal)
            _write_keys(conn, keyfile)
        vault = cls(folder, keyfile, master, keyfile.data_key(master), personal, engine)
        return vault, Unlocked(master, failed_before)

    def _update(self, change: Callable[[KeyFile], None]) -> None:
        with self._engine.begin() as conn:
            fresh = _locked_keys(conn)
            if fresh.vault_id == self.keyfile.vault_id:
                self.keyfile = fresh
            change(self.keyfile)
            _write_keys(conn, self.keyfile)

    def _fresh(self) -> KeyFile:
        with self._engine.connect() as conn:
            document = conn.scalar(select(server_keys.c.document))
        return _keyfile_from(document) if document else self.keyfile

    def usernames(self) -> list[str]:
        return [name for name in self._fresh().slots if name != RECOVERY_SLOT]

    def is_locked_out(self, username: str) -> bool:
        slot = self._fresh().slots.get(username)
        return bool(slot and slot.locked_until and slot.locked_until > clock.now())

    def change_master_key(self) -> tuple[str, list[str]]:
        raise ServerModeError(
            "New keys for a server database are made in one transaction with the data resealed "
            "to them ('peerdesk rekey --new-keys --database-url URL')."
        )

    def change_master_key_in(self, conn: Connection) -> tuple[str, list[str]]:
        """`rekey --new-keys` on a server, inside the caller's write transaction (which holds
        the writers' lock): a new master key handed to each slot and a new recovery key
        (returned, with the slots that had to be dropped), as `Vault.change_master_key` does.
        The keys row is rewritten in that same transaction, so the new keys and the values
        resealed to them are committed together or not at all; the caller puts this vault's
        old keys back if the transaction fails."""
        keyfile = _locked_keys(conn)
        new_master, recovery = new_data_key(), new_recovery_key()
        dropped = keyfile.change_master(self.master, new_master)
        keyfile.wrap(RECOVERY_SLOT, recovery, new_master, new_key_pair()[0])
        _write_keys(conn, keyfile)
        self.keyfile, self.master = keyfile, new_master
        return recovery, dropped

    def note_database(self) -> None:
        """A server database has no file salt to remember."""

    def save(self) -> None:
        with self._engine.begin() as conn:
            _write_keys(conn, self.keyfile)


def server_usernames(engine: Engine) -> list[str]:
    """Who can sign in to a server database (the sign-in screen's list)."""
    with engine.connect() as conn:
        document = conn.scalar(select(server_keys.c.document))
    if document is None:
        return []
    return sorted(n for n in _keyfile_from(document).slots if n != RECOVERY_SLOT)


# Store ------------------------------------------------------------------------------------
class ServerLock(FolderLock):
    """Several laptops share a server database: there is no folder to hold."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull), _me())

    def held(self) -> bool:
        return True

    def ensure_held(self) -> None:
        return None

    def release(self) -> None:
        return None


class ServerStore(Store):
    def __init__(self, vault: ServerVault, engine: Engine, url: URL) -> None:
        super().__init__(vault, engine, ServerLock())
        self.url = url

    def _bind(self, engine: Engine) -> None:
        super()._bind(engine)
        # Reads skip BEGIN and ROLLBACK, two of a list's four round trips (see db/engine).
        self.reader = make_server_reader(engine)
        self._read = sessionmaker(self.reader, expire_on_commit=False)

    def close(self, backup: bool = True, keep_lock: bool = False) -> FolderLock | None:
        try:
            return super().close(backup, keep_lock)
        finally:
            self.reader.dispose()

    @property
    def where(self) -> str:
        return describe(self.url)

    def last_backup(self) -> BackupFile | None:
        return None

    def backup(
        self,
        dest: Path | None = None,
        reason: str = "manual",
        progress: Progress | None = None,
        overwrite: bool = False,
    ) -> Path:
        raise ServerModeError(SERVER_BACKUPS)

    def backup_due(self, now: datetime | None = None) -> bool:
        return False

    def change_data_key(self) -> None:
        raise ServerModeError(
            "A server database has no data file to re-encrypt: the server's own disk "
            f"encryption and TLS protect it ({DOCS})."
        )

    def anchor_problems(self) -> list[str]:
        return []

    def anchor_audit_trail(self, restored: bool = False) -> None:
        """The file's anchor guards against a file swapped for an older copy; a server's
        trail is guarded by its triggers and the app role's grants instead."""


def open_server(url: URL, progress: Progress | None = None) -> Engine:
    """An engine for `url` whose schema is current: a new database is given the schema, an
    older one is upgraded, one from a newer peerdesk or not peerdesk's is refused untouched."""
    engine = make_server_engine(url)
    try:
        prepare_server(engine, url, progress)
    except BaseException:
        engine.dispose()
        raise
    return engine


def prepare_server(engine: Engine, url: URL, progress: Progress | None = None) -> None:
    try:
        state, detail = classify_server(engine)
    except OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        raise StoreError(
            f"peerdesk could not reach the database {describe(url)} ({reason}). Check the URL, "
            "that the server is running and that this account may connect."
        ) from None
    if state is FileState.NEWER:
        raise NewerSchemaError(
            f"The database {describe(url)} was set up by a newer version of peerdesk (schema "
            f"{detail}). Install the newer peerdesk to open it; nothing has been changed."
        )
    if state is FileState.DAMAGED:
        raise StoreError(
            f"The database {describe(url)} is not a peerdesk database ({detail}). Nothing was "
            "changed: give peerdesk a database of its own, made with createdb."
        )
    if state is FileState.MISSING:
        _migrate(engine, progress, "Creating the database")
    elif state is FileState.OLDER:
        # The host's dumps are the copy to go back to; alembic's upgrade is one transaction.
        _migrate(engine, progress, "Upgrading the database")
