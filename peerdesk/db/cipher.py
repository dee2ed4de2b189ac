"""SQLCipher 4: every connection to a peerdesk database goes through here with the data key.

Fail closed: without the sqlcipher3 package peerdesk refuses to open anything; it never falls
back to plaintext. The key is given raw (`PRAGMA key = "x'..'"`), so SQLCipher skips its own
key derivation: Argon2 in the keyslots is the only slow step of signing in.
"""

import importlib
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from peerdesk.errors import StoreError

SALT_BYTES = 16


def sqlcipher() -> ModuleType:
    try:
        sqlcipher3: ModuleType = importlib.import_module("sqlcipher3")
    except ImportError:
        raise StoreError(
            "peerdesk keeps your data encrypted with SQLCipher, and SQLCipher (the sqlcipher3 "
            "package) is not installed. Reinstall peerdesk; it will not open data without it."
        ) from None
    return sqlcipher3


def key_literal(key: bytes) -> str:
    return f"x'{key.hex()}'"


def apply_key(conn: Any, key: bytes) -> None:
    # SQLCipher otherwise prints its own errors (a wrong key is expected when trying the keys
    # of earlier backups) on the terminal; peerdesk says what went wrong in its own words.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{key_literal(key)}"')
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temporary files


def connect(path: Path, key: bytes, read_only: bool = False, immutable: bool = False) -> Any:
    """A keyed sqlcipher3 connection. Reading with the wrong key raises DatabaseError.
    `immutable`: read only, and make no journal files beside it (a full disk, a read-only
    folder; see `read_only`)."""
    module = sqlcipher()
    if read_only or immutable:
        query = "mode=ro&immutable=1" if immutable else "mode=ro"
        conn = module.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
    else:
        conn = module.connect(str(path))
    apply_key(conn, key)
    return conn


def database_errors() -> tuple[type[Exception], ...]:
    """The error classes a keyed connection may raise (sqlcipher3's, and sqlite3's)."""
    return (sqlcipher().DatabaseError, sqlite3.DatabaseError)


def read_errors() -> tuple[type[Exception], ...]:
    """What reading a file that may be missing, unreadable or not ours may raise."""
    return (OSError, *database_errors())


def file_salt(path: Path) -> str:
    """The random salt at the start of an encrypted database file (hex)."""
    with path.open("rb") as f:
        return f.read(SALT_BYTES).hex()


def export(source: Path, source_key: bytes | None, dest: Path, dest_key: bytes) -> None:
    """Copy `source` (encrypted with `source_key`, or plaintext when None) into a new encrypted
    file `dest` with `sqlcipher_export`. Used to encrypt a plaintext database and to re-key a
    backup made before `peerdesk rekey`."""
    from peerdesk.db.paths import private_file

    module = sqlcipher()
    conn = module.connect(str(source))
    try:
        private_file(dest)
        if source_key is not None:
            apply_key(conn, source_key)
        conn.execute(f'ATTACH DATABASE ? AS target KEY "{key_literal(dest_key)}"', (str(dest),))
        conn.execute("SELECT sqlcipher_export('target')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(version)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()
