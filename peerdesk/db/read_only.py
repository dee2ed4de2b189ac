"""Reading the data when the data folder cannot be written: a full disk, a read-only folder.

Signing in normally writes (the attempt in the keys file, the folder's lock, "signed in" in the
audit trail), so on a full disk nobody could even look at the rota. Instead peerdesk opens the
database read-only and immutable (no lock, no journal files: nothing is written at all), and
every attempt to save says in one sentence why it cannot. Immutable is safe here because nobody
else can write to this folder either; once space is freed, the next sign-in writes as usual.
"""

import errno
import os
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from peerdesk.db.cipher import key_literal, sqlcipher
from peerdesk.db.engine import configure_connection
from peerdesk.db.lock import FolderLock, LockHolder
from peerdesk.errors import FolderNotWritableError, StoreError

FULL = "The disk is full"
READ_ONLY = "The data folder cannot be written"
_FULL_CODES = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_CODES = {errno.EROFS, errno.EACCES, errno.EPERM}
LOW_SPACE = 1_000_000  # bytes: less than SQLite needs for its journal files and a checkpoint


class ReadOnlyError(StoreError):
    """A save refused because the data folder cannot be written (see `why_unwritable`)."""


def why_unwritable(err: BaseException) -> str | None:
    """FULL or READ_ONLY when `err` (or what caused it) says the folder cannot be written: an
    OSError's code, or SQLite's own words; else None."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, FolderNotWritableError):
            return READ_ONLY
        code = getattr(seen, "errno", None)
        text = str(seen).lower()
        if code in _FULL_CODES or "disk is full" in text or "disk full" in text:
            return FULL
        if code in _READ_ONLY_CODES or "readonly database" in text or "read-only" in text:
            return READ_ONLY
        seen = seen.__cause__ or seen.__context__
    return None


def unwritable_folder(root: Path) -> str | None:
    """FULL or READ_ONLY judged from the folder itself: SQLite reports a full disk met while
    making its journal files as a bare "disk I/O error"."""
    try:
        if shutil.disk_usage(root).free < LOW_SPACE:
            return FULL
    except OSError:
        return None
    return None if os.access(root, os.W_OK) else READ_ONLY


def read_only_sentence(reason: str) -> str:
    """What the person is told while signed in read-only, and when they try to save."""
    fix = "free some space" if reason == FULL else "make the folder writable"
    return (
        f"{reason}, so peerdesk is open read-only: you can look, but nothing can be saved "
        f"until you {fix} and sign in again."
    )


class ReadOnlyLock(FolderLock):
    """Stands in for the folder's lock while reading only: no lock file is written, the store
    never holds the folder (so closing writes nothing), and every save is refused."""

    def __init__(self, lock_file: Path, reason: str) -> None:
        super().__init__(lock_file, LockHolder("", "", 0, ""))  # holds nothing
        self.reason = reason

    def held(self) -> bool:
        return False

    def ensure_held(self) -> None:
        raise ReadOnlyError(read_only_sentence(self.reason))

    def release(self) -> None:
        pass  # there is no lock file of ours to remove


def read_only_engine(db_file: Path, key: bytes) -> Engine:
    """An engine that can only read `db_file`, and leaves no file of its own beside it."""
    sqlcipher()
    url = URL.create(
        "sqlite+pysqlcipher",
        password=key_literal(key),
        database=f"file:{db_file}",
        query={"mode": "ro", "immutable": "1", "uri": "true"},
    )
    engine = create_engine(
        url, poolclass=QueuePool, pool_size=2, max_overflow=4, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        configure_connection(dbapi_connection)

    return engine
