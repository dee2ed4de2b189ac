"""Encrypting a plaintext peerdesk database (one made before encryption) in place.

The plaintext file is first copied with the backup API, the copy is exported into a new
encrypted file, and that file replaces the database. Every plaintext backup in the backups
folder is then encrypted too, so no plaintext copy of the data is left in the folder.
"""

import logging
import os
import sqlite3
from pathlib import Path

from peerdesk import clock
from peerdesk.db import cipher
from peerdesk.db.backup import backup_name, list_backups, verify_backup
from peerdesk.db.paths import PRIVATE_FOLDER, private_file, sidecar_files
from peerdesk.db.schema import has_sqlite_header, read_plaintext_revision
from peerdesk.db.vault import Vault
from peerdesk.errors import BackupError, StoreError

log = logging.getLogger(__name__)


def plaintext_organisation_id(path: Path) -> str | None:
    """The organisation id in a plaintext peerdesk database, or None if it is not one."""
    if read_plaintext_revision(path) is None:
        return None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT id FROM organisations LIMIT 1").fetchone()
    finally:
        conn.close()
    return str(row[0]) if row else ""


def encrypt_in_place(vault: Vault) -> list[Path]:
    """Encrypt the folder's plaintext database and backups with the vault's key. The caller
    holds the folder lock. Until the database is replaced nothing is changed; after that, an
    old backup that cannot be read is left as it is and returned (so the user can be told),
    rather than stopping half-way."""
    folder = vault.folder
    plain_copy = folder.backup_dir / backup_name(clock.now(), "before-encryption")
    _plain_backup(folder.db_file, plain_copy)
    staging = folder.root / "peerdesk.sqlite3.encrypting"
    staging.unlink(missing_ok=True)
    try:
        cipher.export(plain_copy, None, staging, vault.key)
        verify_backup(staging, [vault.key])
    except cipher.read_errors() as err:
        staging.unlink(missing_ok=True)
        plain_copy.unlink(missing_ok=True)
        raise StoreError(f"The unencrypted data could not be encrypted ({err}).") from err
    for side in sidecar_files(folder.db_file)[1:]:
        side.unlink(missing_ok=True)
    os.replace(staging, folder.db_file)
    vault.note_database()
    # The database is encrypted now: from here on nothing may undo the keys.
    return encrypt_plaintext_backups(vault, last=plain_copy)


def encrypt_plaintext_backups(vault: Vault, last: Path | None = None) -> list[Path]:
    """Replace each plaintext backup with an encrypted one, `last` last; return the ones that
    could not be read (left as they are)."""
    plain = [b.path for b in list_backups(vault.folder.backup_dir) if has_sqlite_header(b.path)]
    plain.sort(key=lambda p: p == last)
    skipped = []
    skippable: tuple[type[Exception], ...] = (*cipher.read_errors(), BackupError)
    for path in plain:
        tmp = path.with_name(path.name + ".encrypting")
        tmp.unlink(missing_ok=True)
        try:
            cipher.export(path, None, tmp, vault.key)
            verify_backup(tmp, [vault.key])
        except skippable:
            log.warning("an old backup could not be encrypted and was left as it is")
            tmp.unlink(missing_ok=True)
            skipped.append(path)
            continue
        os.replace(tmp, path)
    return skipped


def _plain_backup(source: Path, dest: Path) -> None:
    dest.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    private_file(dest)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as err:
        dest.unlink(missing_ok=True)
        raise StoreError(f"The unencrypted data in {source} could not be read ({err}).") from err
    finally:
        src.close()
