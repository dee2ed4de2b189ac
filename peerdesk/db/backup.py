"""Backups through SQLite's online backup API, verified by reopening, with tiered retention.

A plain file copy of a WAL database can miss every committed row still in the WAL (measured:
0 of 601 rows kept), so backups always go through the backup API. The copy runs inside one read
transaction on the source: a stepped backup otherwise starts again whenever another connection
commits, and never finished while another process kept writing. Backups are encrypted with the
same data key as the database. Each backup is written to a temporary `.partial` name (held
locked while it is written), checked, and only then renamed into place: a full disk or a failed
check leaves the earlier backups untouched, and a `.partial` left by a killed backup is removed
by the next one.

Beside each backup, a small manifest (`<backup>.json`) records its audit anchor (see
`audit.AuditAnchor`): a trail cut after the backup was taken is caught by `peerdesk check`.
"""

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from peerdesk.db import cipher
from peerdesk.db.atomic import write_atomically
from peerdesk.db.audit import GENESIS, AuditAnchor
from peerdesk.db.paths import PRIVATE_FILE, PRIVATE_FOLDER, private_file
from peerdesk.db.schema import REVISIONS, has_sqlite_header, integrity_problems, read_revision
from peerdesk.errors import BackupError

PAGES_PER_STEP = 256
STAMP_FORMAT = "%Y%m%d-%H%M%S"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str


def backup_name(taken_at: datetime, reason: str) -> str:
    return f"peerdesk-{taken_at.astimezone(UTC).strftime(STAMP_FORMAT)}-{reason}.sqlite3"


def parse_backup_name(path: Path) -> BackupFile | None:
    parts = path.name.removesuffix(".sqlite3").split("-", 3)
    if len(parts) != 4 or parts[0] != "peerdesk" or not path.name.endswith(".sqlite3"):
        return None
    try:
        taken = datetime.strptime(f"{parts[1]}-{parts[2]}", STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return BackupFile(path, taken, parts[3])


def list_backups(backup_dir: Path) -> list[BackupFile]:
    """Backups in the folder, newest first."""
    if not backup_dir.is_dir():
        return []
    found = (parse_backup_name(p) for p in backup_dir.glob("peerdesk-*.sqlite3"))
    return sorted((b for b in found if b), key=lambda b: b.taken_at, reverse=True)


def manifest_of(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def read_anchor(backup: Path) -> AuditAnchor | None:
    """The audit anchor recorded beside a backup (None for backups from before manifests)."""
    try:
        return AuditAnchor.from_json(json.loads(manifest_of(backup).read_bytes()).get("audit"))
    except (OSError, ValueError, AttributeError):
        return None


def copy_database(source: Path, dest: Path, key: bytes, progress: Progress | None = None) -> None:
    """Copy a live database with the backup API: one consistent snapshot, however much others
    write meanwhile (they commit to the WAL; this read transaction keeps seeing its snapshot)."""
    src = cipher.connect(source, key)
    try:
        private_file(dest)
        dst = cipher.connect(dest, key)
        try:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts
            src.backup(dst, pages=PAGES_PER_STEP, progress=_adapt(progress))
            src.rollback()
            # A backup is one self-contained file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _adapt(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(total - remaining, total)


def anchor_in(path: Path, key: bytes) -> AuditAnchor:
    """The newest audit event in a backup, read with its key."""
    conn = cipher.connect(path, key, read_only=True)
    try:
        newest = conn.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        count = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    finally:
        conn.close()
    if newest is None:
        return AuditAnchor(0, GENESIS, 0)
    return AuditAnchor(int(newest[0]), str(newest[1]), int(count))


def verify_backup(path: Path, keys: Sequence[bytes]) -> tuple[str, bytes]:
    """Check that `path` is a readable, healthy peerdesk backup of this organisation's data;
    return its schema revision and which of `keys` (current first, then earlier ones) opens it."""
    revision, key = _open_backup(path, keys)
    if revision is None:
        raise BackupError(f"{path} is a database, but not a peerdesk backup.")
    if revision not in REVISIONS:
        raise BackupError(
            f"{path} was made by a newer version of peerdesk. Update peerdesk, then restore it."
        )
    problems = integrity_problems(path, key)
    if problems:
        raise BackupError(f"{path} is damaged ({problems[0]}). Choose another backup.")
    return revision, key


def _open_backup(path: Path, keys: Sequence[bytes]) -> tuple[str | None, bytes]:
    try:
        if not path.is_file():
            raise BackupError(f"{path} is not a peerdesk backup: there is no such file.")
        if has_sqlite_header(path):
            raise BackupError(
                f"{path} is not a peerdesk backup: it is not encrypted. peerdesk only restores "
                "its own encrypted backups."
            )
    except OSError as err:
        raise BackupError(f"{path} is not a peerdesk backup: it cannot be read ({err}).") from err
    for key in keys:
        try:
            return read_revision(path, key), key
        except cipher.read_errors():
            continue
    raise BackupError(
        f"{path} is not a peerdesk backup of this organisation's data: it cannot be opened with "
        "this organisation's keys."
    )


PARTIAL = ".partial"
LEFTOVER_AFTER = 60  # seconds: an unlocked `.partial` this old was left by a killed backup


def _partial_lock(partial: Path) -> FileLock:
    return FileLock(str(partial) + ".lock", mode=PRIVATE_FILE)


def write_backup(
    source: Path,
    dest: Path,
    key: bytes,
    progress: Progress | None = None,
    manifest: bool = True,
) -> Path:
    """Back up `source` to `dest` atomically and verify the copy; return `dest`. With
    `manifest`, its audit anchor is recorded beside it (`<dest>.json`)."""
    partial = dest.with_name(dest.name + PARTIAL)
    failures: tuple[type[Exception], ...] = (*cipher.read_errors(), BackupError)
    try:
        dest.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        with _partial_lock(partial):
            partial.unlink(missing_ok=True)
            copy_database(source, partial, key, progress)
            verify_backup(partial, [key])
            _fsync(partial)
            if manifest:
                record = {"audit": anchor_in(partial, key).to_json()}
                write_atomically(manifest_of(dest), json.dumps(record).encode())
            os.replace(partial, dest)
    except failures as err:
        partial.unlink(missing_ok=True)
        raise BackupError(_backup_failure(dest, err)) from err
    finally:
        Path(str(partial) + ".lock").unlink(missing_ok=True)
    return dest


def remove_leftovers(backup_dir: Path, now: float | None = None) -> list[Path]:
    """Remove `.partial` files that killed backups left behind: older than a minute and not
    locked by a backup still being written. Returns what was removed."""
    removed: list[Path] = []
    if not backup_dir.is_dir():
        return removed
    now = time.time() if now is None else now
    for partial in backup_dir.glob(f"*{PARTIAL}"):
        try:
            if now - partial.stat().st_mtime < LEFTOVER_AFTER:
                continue
            with _partial_lock(partial).acquire(timeout=0):
                partial.unlink(missing_ok=True)
            Path(str(partial) + ".lock").unlink(missing_ok=True)
        except (Timeout, OSError):
            continue  # being written right now, or not ours to remove
        removed.append(partial)
    return removed


def _backup_failure(dest: Path, err: Exception) -> str:
    text = str(err).lower()
    if "full" in text or getattr(err, "errno", None) == 28:
        return (
            f"The backup to {dest} did not fit: the disk is full. "
            "Earlier backups are untouched; free some space and try again."
        )
    if isinstance(err, PermissionError) or "readonly" in text or "read-only" in text:
        return f"peerdesk cannot write the backup to {dest}. Choose a folder you can write to."
    return f"The backup to {dest} failed ({err}). Earlier backups are untouched."


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Backups someone asked for, and the copies of what an upgrade, restore, re-key or encryption
# replaced.
SAFETY_REASONS = ("manual", "before-upgrade", "before-restore", "before-rekey", "before-encryption")
SAFETY_DAYS = 90
DAILY_FOR = timedelta(days=31)
WEEKLY_FOR = timedelta(days=366)


def backups_to_keep(backups: list[BackupFile], now: datetime) -> set[Path]:
    """Tiered retention of the regular backups: the newest three, the newest of each day for a
    month and the newest of each ISO week for a year. Backups someone asked for, and the copies
    made before an upgrade, a restore, a re-key or encryption (the only copy of what those
    replaced), are kept for SAFETY_DAYS whatever else there is."""
    keep = {
        b.path
        for b in backups
        if b.reason in SAFETY_REASONS and now - b.taken_at < timedelta(days=SAFETY_DAYS)
    }
    regular = [b for b in backups if b.reason not in SAFETY_REASONS]
    newest_first = sorted(regular, key=lambda b: b.taken_at, reverse=True)
    keep |= {b.path for b in newest_first[:3]}
    tiers: list[tuple[timedelta, Callable[[datetime], object]]] = [
        (DAILY_FOR, lambda t: t.date()),
        (WEEKLY_FOR, lambda t: t.isocalendar()[:2]),
    ]
    for kept_for, bucket_of in tiers:
        seen: set[object] = set()
        for b in newest_first:
            bucket = bucket_of(b.taken_at)
            if bucket in seen or now - b.taken_at >= kept_for:
                continue
            seen.add(bucket)
            keep.add(b.path)
    return keep


def prune_backups(backup_dir: Path, now: datetime, just_written: Path) -> list[Path]:
    """Delete backups that tiered retention no longer keeps (never the one just written, even
    when the computer's clock is wrong); return what was removed."""
    backups = list_backups(backup_dir)
    keep = backups_to_keep(backups, now) | {just_written}
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
        manifest_of(path).unlink(missing_ok=True)
    return removed
