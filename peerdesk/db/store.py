"""The store: one open peerdesk database, the lock on its folder, and its backups.

`Store.open` is the only way the app and the CLI open data. It decides what the file on disk is
and acts on it:
- no file: create it at the newest schema;
- an older schema: check it, back it up through the backup API, upgrade; on failure put the
  backup back and say where it is;
- a schema from a newer peerdesk: refuse and leave the file byte-identical;
- a damaged or foreign file: never write to it; set it aside and point to the newest good backup.

One short session per user action: `with store.session() as s:` for writes (BEGIN IMMEDIATE,
committed at the end of the block), `with store.read() as s:` for reads.
"""

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from peerdesk.db import audit
from peerdesk.db import backup as backups
from peerdesk.db.engine import make_engine, writer
from peerdesk.db.lock import FolderLock
from peerdesk.db.paths import DataFolder, sidecar_files
from peerdesk.db.schema import FileState, classify, integrity_problems
from peerdesk.errors import BackupError, DamagedStoreError, NewerSchemaError, StoreError

log = logging.getLogger(__name__)

AUTO_BACKUP_EVERY = timedelta(minutes=30)
Progress = Callable[[str, int, int], None]  # (what is happening, done, total)


class Store:
    def __init__(self, folder: DataFolder, engine: Engine, lock: FolderLock) -> None:
        self.folder = folder
        self.engine = engine
        self._lock = lock
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._read = sessionmaker(engine, expire_on_commit=False)
        # Every ORM create, update and delete is audited in its own transaction.
        event.listen(self._write, "before_flush", audit.before_flush)
        event.listen(self._write, "after_transaction_end", audit.after_transaction_end)
        self._changed = False
        self._closed = False

    @classmethod
    def open(
        cls, folder: DataFolder, *, take_over: bool = False, progress: Progress | None = None
    ) -> "Store":
        folder.ensure()
        lock = FolderLock.acquire(folder.lock_file, take_over=take_over)
        try:
            engine = prepare_database(folder, progress)
        except BaseException:
            lock.release()
            raise
        return cls(folder, engine, lock)

    @property
    def path(self) -> Path:
        return self.folder.db_file

    @contextmanager
    def session(self, actor: audit.AuditActor | None = None) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE), committed when the block ends without error.
        What it changes is audited as done by `actor` (None: peerdesk itself)."""
        with self._write(info={audit.ACTOR_KEY: actor}) as s, s.begin():
            yield s
        self._changed = True

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; nothing is committed."""
        with self._read() as s:
            yield s

    # Backups ------------------------------------------------------------------------------
    def last_backup(self) -> backups.BackupFile | None:
        found = backups.list_backups(self.folder.backup_dir)
        return found[0] if found else None

    def backup(
        self, dest: Path | None = None, reason: str = "manual", progress: Progress | None = None
    ) -> Path:
        """Write a verified backup to `dest` (default: the backups folder) and prune old ones."""
        now = datetime.now(UTC)
        target = dest or self.folder.backup_dir / backups.backup_name(now, reason)
        step = (lambda done, total: progress("Backing up", done, total)) if progress else None
        path = backups.write_backup(self.path, target, step)
        if dest is None:
            self._changed = False
            backups.prune_backups(self.folder.backup_dir, now.date())
        log.info("backup written to %s", path)
        return path

    def backup_due(self, now: datetime | None = None) -> bool:
        """Something changed and the last backup is at least 30 minutes old."""
        if not self._changed:
            return False
        last = self.last_backup()
        return last is None or (now or datetime.now(UTC)) - last.taken_at >= AUTO_BACKUP_EVERY

    def close(self, backup: bool = True) -> None:
        """Back up what changed, close every connection and release the folder."""
        if self._closed:
            return
        self._closed = True
        try:
            if backup and self._changed:
                self.backup(reason="auto")
        except BackupError:
            log.exception("backup on close failed")
            raise
        finally:
            self.engine.dispose()
            self._lock.release()


def prepare_database(folder: DataFolder, progress: Progress | None = None) -> Engine:
    """Create, check or upgrade the database file as its state requires; return an engine."""
    path = folder.db_file
    state, detail = classify(path)
    if state is FileState.DAMAGED:
        raise set_aside(folder, detail)
    if state is FileState.NEWER:
        raise NewerSchemaError(
            f"The data in {path} was saved by a newer version of peerdesk "
            f"(schema {detail}). Install the newer peerdesk to open it; nothing has been changed."
        )
    engine = make_engine(path)
    if state is FileState.MISSING:
        _migrate(engine, progress, "Creating the database")
    elif state is FileState.OLDER:
        _upgrade_with_backup(folder, engine, progress)
    return engine


def _migrate(engine: Engine, progress: Progress | None, what: str) -> None:
    from peerdesk.db.migrate import upgrade  # alembic only when the schema must change

    if progress:
        progress(what, 0, 1)
    upgrade(engine)
    if progress:
        progress(what, 1, 1)


def _upgrade_with_backup(folder: DataFolder, engine: Engine, progress: Progress | None) -> None:
    path = folder.db_file
    problems = integrity_problems(path)
    if problems:
        engine.dispose()
        raise set_aside(folder, f"it failed its integrity check ({problems[0]})")
    saved = backups.write_backup(
        path, folder.backup_dir / backups.backup_name(datetime.now(UTC), "before-upgrade")
    )
    try:
        _migrate(engine, progress, "Upgrading the database")
    except Exception as err:
        engine.dispose()
        log.exception("upgrade failed; restoring %s", saved)
        replace_database(folder, saved)
        raise StoreError(
            f"peerdesk could not upgrade your data ({err}). Your data is as it was before; "
            f"a copy was kept at {saved}."
        ) from err


def set_aside(folder: DataFolder, reason: str) -> DamagedStoreError:
    """Move a damaged database (and its WAL) out of the way without writing to it."""
    stamp = datetime.now(UTC).strftime(backups.STAMP_FORMAT)
    moved = folder.root / f"peerdesk-damaged-{stamp}.sqlite3"
    for src in sidecar_files(folder.db_file):
        if src.exists():
            os.replace(
                src, moved.with_name(moved.name + src.name.removeprefix(folder.db_file.name))
            )
    good = newest_good_backup(folder)
    advice = (
        f"The newest good backup is {good}; restore it with 'peerdesk restore {good}'."
        if good
        else "There is no backup to restore; you can start a new organisation."
    )
    return DamagedStoreError(
        f"The data file {folder.db_file} could not be opened: {reason}. "
        f"It has been moved to {moved} and not changed. {advice}",
        set_aside=str(moved),
        newest_backup=str(good) if good else None,
    )


def newest_good_backup(folder: DataFolder) -> Path | None:
    for candidate in backups.list_backups(folder.backup_dir):
        try:
            backups.verify_backup(candidate.path)
        except BackupError:
            continue
        return candidate.path
    return None


def replace_database(folder: DataFolder, source: Path) -> None:
    """Put a copy of `source` where the database lives. The caller holds the folder lock."""
    staging = folder.root / "peerdesk.sqlite3.restoring"
    backups.write_backup(source, staging)
    for side in sidecar_files(folder.db_file)[1:]:
        side.unlink(missing_ok=True)
    os.replace(staging, folder.db_file)


def restore(
    folder: DataFolder, source: Path, *, take_over: bool = False, progress: Progress | None = None
) -> Path | None:
    """Replace the folder's database with the backup `source`, after verifying it and keeping
    a backup of what it replaces (returned). A backup from an older peerdesk is upgraded."""
    backups.verify_backup(source)
    folder.ensure()
    lock = FolderLock.acquire(folder.lock_file, take_over=take_over)
    try:
        kept = None
        state, _ = classify(folder.db_file)
        if state in (FileState.CURRENT, FileState.OLDER):
            kept = backups.write_backup(
                folder.db_file,
                folder.backup_dir / backups.backup_name(datetime.now(UTC), "before-restore"),
            )
        elif state is not FileState.MISSING:
            set_aside(folder, "it was replaced by a restore")
        if progress:
            progress("Restoring", 0, 1)
        replace_database(folder, source)
        prepare_database(folder, progress).dispose()
        if progress:
            progress("Restoring", 1, 1)
        return kept
    finally:
        lock.release()
