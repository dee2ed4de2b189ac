"""Backups through SQLite's online backup API, verified by reopening, with tiered retention.

A plain file copy of a WAL database can miss every committed row still in the WAL (measured:
0 of 601 rows kept), so backups always go through the backup API. Backups are encrypted with the
same data key as the database. Each backup is written to a
temporary name, checked, and only then renamed into place: a full disk or a failed check leaves
the earlier backups untouched.
"""

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from peerdesk.db import cipher
from peerdesk.db.paths import PRIVATE_FOLDER, private_file
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


def copy_database(source: Path, dest: Path, key: bytes, progress: Progress | None = None) -> None:
    """Copy a live database with the backup API (consistent even while others write)."""
    src = cipher.connect(source, key)
    try:
        private_file(dest)
        dst = cipher.connect(dest, key)
        try:
            src.backup(dst, pages=PAGES_PER_STEP, progress=_adapt(progress))
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


def write_backup(source: Path, dest: Path, key: bytes, progress: Progress | None = None) -> Path:
    """Back up `source` to `dest` atomically and verify the copy; return `dest`."""
    partial = dest.with_name(dest.name + ".partial")
    failures: tuple[type[Exception], ...] = (*cipher.read_errors(), BackupError)
    try:
        dest.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        copy_database(source, partial, key, progress)
        verify_backup(partial, [key])
        _fsync(partial)
        os.replace(partial, dest)
    except failures as err:
        partial.unlink(missing_ok=True)
        raise BackupError(_backup_failure(dest, err)) from err
    return dest


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


# Backups someone asked for, and the copies of what an upgrade, restore or encryption replaced.
SAFETY_REASONS = ("manual", "before-upgrade", "before-restore", "before-encryption")
SAFETY_DAYS = 90


def backups_to_keep(
    backups: list[BackupFile], now: datetime, daily: int = 12, weekly: int = 10, monthly: int = 9
) -> set[Path]:
    """Tiered retention of the regular backups: the newest of each of the last `daily` days
    that have one, of the last `weekly` ISO weeks and of the last `monthly` months, plus the
    newest three. Backups someone asked for, and the copies made before an upgrade, a restore
    or encryption (the only copy of what those replaced), are kept for SAFETY_DAYS whatever
    else there is."""
    keep = {
        b.path
        for b in backups
        if b.reason in SAFETY_REASONS and now - b.taken_at < timedelta(days=SAFETY_DAYS)
    }
    regular = [b for b in backups if b.reason not in SAFETY_REASONS]
    newest_first = sorted(regular, key=lambda b: b.taken_at, reverse=True)
    keep |= {b.path for b in newest_first[:3]}
    tiers: list[tuple[int, Callable[[datetime], object]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for limit, bucket_of in tiers:
        seen: set[object] = set()
        for b in newest_first:
            bucket = bucket_of(b.taken_at)
            if bucket in seen:
                continue
            if len(seen) == limit:
                break
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
    return removed
