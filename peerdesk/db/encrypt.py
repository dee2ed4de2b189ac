"""Encrypting a plaintext peerdesk database (one made before encryption) in place.

The plaintext file is first copied with the backup API, the copy is exported into a new
encrypted file, and that file replaces the database. Every plaintext backup in the backups
folder is then encrypted too, so no plaintext copy of the data is left in the folder.
"""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from peerdesk.db import cipher
from peerdesk.db.backup import backup_name, list_backups, verify_backup
from peerdesk.db.paths import sidecar_files
from peerdesk.db.schema import has_sqlite_header, read_plaintext_revision
from peerdesk.db.vault import Vault
from peerdesk.errors import StoreError


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


def encrypt_in_place(vault: Vault) -> None:
    """Encrypt the folder's plaintext database and backups with the vault's key. The caller
    holds the folder lock."""
    folder = vault.folder
    plain_copy = folder.backup_dir / backup_name(datetime.now(UTC), "before-encryption")
    _plain_backup(folder.db_file, plain_copy)
    staging = folder.root / "peerdesk.sqlite3.encrypting"
    staging.unlink(missing_ok=True)
    try:
        cipher.export(plain_copy, None, staging, vault.key)
        verify_backup(staging, [vault.key])
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    for side in sidecar_files(folder.db_file)[1:]:
        side.unlink(missing_ok=True)
    os.replace(staging, folder.db_file)
    vault.note_database()
    encrypt_plaintext_backups(vault)


def encrypt_plaintext_backups(vault: Vault) -> int:
    """Replace each plaintext backup with an encrypted one; returns how many."""
    done = 0
    for backup in list_backups(vault.folder.backup_dir):
        if not has_sqlite_header(backup.path):
            continue
        tmp = backup.path.with_name(backup.path.name + ".encrypting")
        tmp.unlink(missing_ok=True)
        cipher.export(backup.path, None, tmp, vault.key)
        verify_backup(tmp, [vault.key])
        os.replace(tmp, backup.path)
        done += 1
    return done


def _plain_backup(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
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
