"""The store: one open, encrypted peerdesk database, the lock on its folder, and its backups.

`Store.open` is the only way the app and the CLI open data. It needs the unlocked `Vault`
(see `vault`), decides what the file on disk is and acts on it:
- no file: create it, encrypted, at the newest schema;
- an older schema: check it, back it up through the backup API, upgrade; on failure put the
  backup back and say where it is;
- a schema from a newer peerdesk: refuse and leave the file byte-identical;
- a keys file made for other data: refuse and change nothing;
- a damaged or foreign file: never write to it; set it aside and point to the newest good backup.

One short session per user action: `with store.session(actor) as s:` for writes (BEGIN
IMMEDIATE, committed at the end of the block, audited as `actor`), `with store.read() as s:`
for reads.
"""

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from peerdesk import clock
from peerdesk.db import audit, cipher
from peerdesk.db import backup as backups
from peerdesk.db.engine import make_engine, writer
from peerdesk.db.keyring import KEYRING_KEY, seal_on_flush
from peerdesk.db.keyslots import new_data_key
from peerdesk.db.lock import FolderLock, refuse_if_in_use
from peerdesk.db.outputs import output_file
from peerdesk.db.paths import private_file, sidecar_files
from peerdesk.db.schema import FileState, classify, integrity_problems
from peerdesk.db.sealing import Keyring
from peerdesk.db.vault import Vault
from peerdesk.errors import BackupError, DamagedStoreError, NewerSchemaError, StoreError

log = logging.getLogger(__name__)

# At most one automatic backup an hour while working; retention then thins them out to one a
# day for a month and one a week for a year (see `backup.backups_to_keep`).
AUTO_BACKUP_EVERY = timedelta(hours=1)
Progress = Callable[[str, int, int], None]  # (what is happening, done, total)
ANCHORED_BACKUPS = 5  # the newest backups whose audit anchors `check` compares


class Store:
    def __init__(self, vault: Vault, engine: Engine, lock: FolderLock) -> None:
        self.vault = vault
        self.folder = vault.folder
        self._lock = lock
        self._bind(engine)
        self._changed = False
        self._closed = False
        # What the signed-in person may unseal; every session carries it (see `keyring`).
        self.keyring = Keyring()

    def _bind(self, engine: Engine) -> None:
        self.engine = engine
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._read = sessionmaker(engine, expire_on_commit=False)
        # Confidential values are sealed before the audit sees them (see `keyring`).
        event.listen(self._write, "before_flush", seal_on_flush)
        # Every ORM create, update and delete is audited in its own transaction.
        event.listen(self._write, "before_flush", audit.before_flush)
        event.listen(self._write, "after_transaction_end", audit.after_transaction_end)

    @classmethod
    def open(
        cls,
        vault: Vault,
        *,
        take_over: bool = False,
        progress: Progress | None = None,
        lock: FolderLock | None = None,
    ) -> "Store":
        """Open the vault's database. `lock`: a folder lock the caller already holds (the
        window keeps it while the screen is locked); otherwise it is taken here."""
        folder = vault.folder
        folder.ensure()
        held = lock or FolderLock.acquire(folder.lock_file, take_over=take_over)
        try:
            engine = prepare_database(vault, progress)
        except BaseException:
            if lock is None:
                held.release()
            raise
        return cls(vault, engine, held)

    @property
    def path(self) -> Path:
        return self.folder.db_file

    @property
    def closed(self) -> bool:
        return self._closed

    def holds_folder(self) -> bool:
        """False once another copy of peerdesk has taken over the data folder."""
        return self._lock.held()

    def ensure_holds_folder(self) -> None:
        self._lock.ensure_held()

    @contextmanager
    def session(self, actor: audit.AuditActor | None = None) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE), committed when the block ends without error.
        What it changes is audited as done by `actor` (None: peerdesk itself)."""
        # Checked before every write: a copy that lost the folder to a take-over stops here.
        self._lock.ensure_held()
        with self._write(info={audit.ACTOR_KEY: actor, KEYRING_KEY: self.keyring}) as s:
            with s.begin():
                yield s
            # Signing in and out only adds to the audit trail: that alone is not worth a backup.
            self._changed = self._changed or bool(s.info.get(audit.DATA_CHANGED))

    def mark_changed(self) -> None:
        """For writes that bypass the ORM's flush (bulk inserts such as the demo)."""
        self._changed = True

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; nothing is committed."""
        with self._read(info={KEYRING_KEY: self.keyring}) as s:
            yield s

    def change_data_key(self) -> None:
        """Re-encrypt the database with a new random data key (`PRAGMA rekey`). The new key is
        sealed in the keys file first, so a crash half-way is finished on the next open."""
        self.backup(reason="before-rekey")  # a copy under the old key, whatever happens next
        new_key = new_data_key()
        self.engine.dispose()
        self.vault.change_data_key(new_key)
        _rekey_file(self.path, self.vault.previous_keys()[0], new_key)
        self._bind(make_engine(self.path, new_key))
        self._changed = True

    # Backups ------------------------------------------------------------------------------
    def last_backup(self) -> backups.BackupFile | None:
        found = backups.list_backups(self.folder.backup_dir)
        return found[0] if found else None

    def backup(
        self,
        dest: Path | None = None,
        reason: str = "manual",
        progress: Progress | None = None,
        overwrite: bool = False,
    ) -> Path:
        """Write a verified backup to `dest` (default: the backups folder) and prune old ones.
        A `dest` goes through the output-file check (never one of the data folder's own files;
        an existing file only with `overwrite`)."""
        now = clock.now()
        step = (lambda done, total: progress("Backing up", done, total)) if progress else None
        if dest is not None:
            with output_file(dest, self.folder, overwrite=overwrite) as tmp:
                backups.write_backup(self.path, tmp, self.vault.key, step, manifest=False)
            path = dest.expanduser().resolve()
        else:
            target = self.folder.backup_dir / backups.backup_name(now, reason)
            path = backups.write_backup(self.path, target, self.vault.key, step)
        if dest is None:
            self._changed = False
            backups.prune_backups(self.folder.backup_dir, now, path)
            backups.remove_leftovers(self.folder.backup_dir)
        log.info("backup written to %s", path)
        return path

    def backup_due(self, now: datetime | None = None) -> bool:
        """Something changed and the last backup is at least an hour old."""
        if not self._changed:
            return False
        last = self.last_backup()
        now = now or clock.now()
        # A backup stamped in the future (the clock was wrong then) must not stop backups.
        return last is None or not timedelta(0) <= now - last.taken_at < AUTO_BACKUP_EVERY

    def close(self, backup: bool = True, keep_lock: bool = False) -> FolderLock | None:
        """Back up what changed and close every connection. The folder lock is released, or
        kept and returned when `keep_lock` (the window locking its screen)."""
        if self._closed:
            return self._lock if keep_lock else None
        self._closed = True
        try:
            # A copy that lost the folder to a take-over writes nothing more, not even this.
            if self._lock.held():
                try:
                    self.anchor_audit_trail()
                except (StoreError, OSError) as err:  # a read-only folder must not stop sign-out
                    log.warning("the audit anchor was not updated: %s", err)
                if backup and self.backup_due():
                    self.backup(reason="auto")
        except BackupError:
            log.exception("backup on close failed")
            raise
        finally:
            self.engine.dispose()
            if not keep_lock:
                self._lock.release()
        return self._lock if keep_lock else None

    def anchor_problems(self) -> list[str]:
        """How the audit trail falls short of its anchor in the keys file and in the backups
        taken since the last restore (see `audit.AuditAnchor`); empty when it reaches them all."""
        kept = self.vault.keyfile.audit_anchor
        anchors: list[tuple[audit.AuditAnchor | None, str]] = [
            (audit.AuditAnchor.from_json(kept), f"the keys file {self.folder.keys_file.name}")
        ]
        restored = _moment(kept.get("restored_at"))
        for b in backups.list_backups(self.folder.backup_dir)[:ANCHORED_BACKUPS]:
            if restored is None or b.taken_at > restored:
                anchors.append((backups.read_anchor(b.path), f"the backup {b.path.name}"))
        problems = []
        with self.read() as s:
            for anchor, where in anchors:
                problem = anchor and audit.anchor_problem(s, anchor, where)
                if problem:
                    problems.append(problem)
        return problems

    def anchor_audit_trail(self, restored: bool = False) -> None:
        """Record the trail's newest event in the keys file. An anchor the trail no longer
        reaches is left as it is, so `check` keeps reporting the cut however often people sign
        in and out afterwards; `restored`: the trail was replaced on purpose (a restore)."""
        kept = self.vault.keyfile.audit_anchor
        with self.read() as s:
            previous = audit.AuditAnchor.from_json(kept)
            if previous and not restored and audit.anchor_problem(s, previous, "the keys file"):
                log.warning("the audit trail no longer reaches its anchor; anchor kept")
                return
            anchor = audit.audit_anchor(s).to_json()
        anchor["restored_at"] = clock.now().isoformat() if restored else kept.get("restored_at", "")
        self.vault.note_audit_anchor(anchor)


def _moment(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def prepare_database(vault: Vault, progress: Progress | None = None) -> Engine:
    """Create, check or upgrade the database file as its state requires; return an engine."""
    folder = vault.folder
    path = folder.db_file
    _finish_interrupted_rekey(vault)
    state, detail = classify_for(vault)
    if state is FileState.MISSING and vault.keyfile.database_salt:
        good = newest_good_backup(vault)
        advice = (
            f"restore the newest backup ('peerdesk restore {good}')"
            if good
            else ("put the data file back from a copy of the data folder")
        )
        raise StoreError(
            f"The data file {path} is missing, though these keys belong to one. Nothing was "
            f"created in its place: {advice}."
        )
    if state is FileState.PLAINTEXT:
        raise StoreError(
            f"The data in {path} is not encrypted. Set up the first coordinator to encrypt it "
            "('peerdesk init --coordinator USERNAME'), or move the file away."
        )
    if state is FileState.OTHER_KEYS:
        raise StoreError(
            f"The keys file {folder.keys_file} and the data file {path} do not belong together: "
            "either the keys file is another organisation's, or the data file was replaced or "
            "damaged. Nothing was changed. Put back this organisation's keys file (or use "
            "'peerdesk recover' with its recovery key), or restore a backup."
        )
    if state is FileState.DAMAGED:
        raise set_aside(vault, detail)
    if state is FileState.NEWER:
        raise NewerSchemaError(
            f"The data in {path} was saved by a newer version of peerdesk "
            f"(schema {detail}). Install the newer peerdesk to open it; nothing has been changed."
        )
    if state is FileState.MISSING:
        private_file(path)
    engine = make_engine(path, vault.key)
    if state is FileState.MISSING:
        _migrate(engine, progress, "Creating the database")
        vault.note_database()
    elif state is FileState.OLDER:
        _upgrade_with_backup(vault, engine, progress)
    return engine


def classify_for(vault: Vault) -> tuple[FileState, str]:
    """`schema.classify` with the vault's keys. A data file whose salt is not the one the keys
    file recorded is either another organisation's keys here or a data file whose first page
    was damaged or replaced: when these keys open a backup in this folder, they belong here,
    so it is the data file that is damaged (and the backup is the way out)."""
    path = vault.folder.db_file
    state, detail = classify(path, vault.key, vault.keyfile.database_salt)
    if state is FileState.OTHER_KEYS and newest_good_backup(vault) is not None:
        return FileState.DAMAGED, "its first page is damaged or it was replaced"
    return state, detail


def _rekey_file(path: Path, old_key: bytes, new_key: bytes) -> None:
    conn = cipher.connect(path, old_key)
    try:
        conn.execute(f'PRAGMA rekey = "{cipher.key_literal(new_key)}"')
    finally:
        conn.close()


def _finish_interrupted_rekey(vault: Vault) -> None:
    """A database still under the previous data key: `rekey` stopped before it re-encrypted."""
    path = vault.folder.db_file
    previous = vault.previous_keys()
    if not previous or not path.exists() or classify(path, vault.key)[0] is not FileState.DAMAGED:
        return
    if classify(path, previous[0])[0] in (FileState.CURRENT, FileState.OLDER):
        log.warning("finishing a change of data key that was interrupted")
        _rekey_file(path, previous[0], vault.key)


def _migrate(engine: Engine, progress: Progress | None, what: str) -> None:
    from peerdesk.db.migrate import upgrade  # alembic only when the schema must change

    if progress:
        progress(what, 0, 1)
    upgrade(engine)
    if progress:
        progress(what, 1, 1)


def _upgrade_with_backup(vault: Vault, engine: Engine, progress: Progress | None) -> None:
    folder = vault.folder
    problems = integrity_problems(folder.db_file, vault.key)
    if problems:
        engine.dispose()
        raise set_aside(vault, f"it failed its integrity check ({problems[0]})")
    saved = backups.write_backup(
        folder.db_file,
        folder.backup_dir / backups.backup_name(clock.now(), "before-upgrade"),
        vault.key,
    )
    try:
        _migrate(engine, progress, "Upgrading the database")
    except Exception as err:
        engine.dispose()
        log.exception("upgrade failed; restoring %s", saved)
        replace_database(vault, saved)
        raise StoreError(
            f"peerdesk could not upgrade your data ({err}). Your data is as it was before; "
            f"a copy was kept at {saved}."
        ) from err


def set_aside(vault: Vault, reason: str) -> DamagedStoreError:
    """Move a damaged database (and its WAL) out of the way without writing to it."""
    folder = vault.folder
    stamp = clock.now().strftime(backups.STAMP_FORMAT)
    moved = folder.root / f"peerdesk-damaged-{stamp}.sqlite3"
    for src in sidecar_files(folder.db_file):
        if src.exists():
            os.replace(
                src, moved.with_name(moved.name + src.name.removeprefix(folder.db_file.name))
            )
    good = newest_good_backup(vault)
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


def newest_good_backup(vault: Vault) -> Path | None:
    keys = [vault.key, *vault.previous_keys()]
    for candidate in backups.list_backups(vault.folder.backup_dir):
        try:
            backups.verify_backup(candidate.path, keys)
        except BackupError:
            continue
        return candidate.path
    return None


def replace_database(vault: Vault, source: Path) -> None:
    """Put a copy of `source` where the database lives, encrypted with the current data key
    (a backup from before `peerdesk rekey` is re-encrypted). The caller holds the folder lock."""
    folder = vault.folder
    _, key = backups.verify_backup(source, [vault.key, *vault.previous_keys()])
    staging = folder.root / "peerdesk.sqlite3.restoring"
    staging.unlink(missing_ok=True)
    if key == vault.key:
        backups.write_backup(source, staging, vault.key, manifest=False)
    else:
        cipher.export(source, key, staging, vault.key)
        backups.verify_backup(staging, [vault.key])
    for side in sidecar_files(folder.db_file)[1:]:
        side.unlink(missing_ok=True)
    os.replace(staging, folder.db_file)
    vault.note_database()


def restore(vault: Vault, source: Path, *, progress: Progress | None = None) -> Path | None:
    """Replace the folder's database with the backup `source`, after verifying it and keeping
    a backup of what it replaces (returned). A backup from an older peerdesk is upgraded.
    Refused while another live copy of peerdesk holds the folder, take-over or not."""
    folder = vault.folder
    backups.verify_backup(source, [vault.key, *vault.previous_keys()])
    folder.ensure()
    # Never over a copy that is still writing: its later commits would vanish without a word.
    refuse_if_in_use(folder.lock_file, "restore a backup")
    lock = FolderLock.acquire(folder.lock_file)
    try:
        kept = None
        state, _ = classify_for(vault)
        if state in (FileState.CURRENT, FileState.OLDER):
            kept = backups.write_backup(
                folder.db_file,
                folder.backup_dir / backups.backup_name(clock.now(), "before-restore"),
                vault.key,
            )
        elif state is not FileState.MISSING:
            set_aside(vault, "it was replaced by a restore")
        if progress:
            progress("Restoring", 0, 1)
        replace_database(vault, source)
        prepare_database(vault, progress).dispose()
        if progress:
            progress("Restoring", 1, 1)
        return kept
    finally:
        lock.release()
