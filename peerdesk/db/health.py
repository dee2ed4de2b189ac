"""`peerdesk check`: what state a data folder is in, read without changing anything.

The quick check (the default) reads the file's header and schema, the newest audit events and
the audit anchors: well under a second at any size. The full check adds SQLite's integrity,
SQLCipher's page authentication and foreign-key checks and walks the whole audit trail, which
reads every page (about 41 s on a 1.7 GB file): asked with `--full`, and done anyway when the
last one is more than a week old. Each full check is recorded in the audit trail with how long
it took, which is how the next quick check estimates the next full one.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.backup import BackupFile, list_backups
from peerdesk.db.lock import read_holder
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, FileState, classify, integrity_problems
from peerdesk.db.vault import Vault
from peerdesk.models import AuditEvent

FULL_CHECK_EVERY = timedelta(days=7)
QUICK_CHAIN_EVENTS = 2000  # the newest audit events the quick check walks
# Until a full check has been timed on this computer: 173 MB took 16-20 s on a busy 2-core
# machine (the large demo), so this errs on the long side.
FULL_CHECK_BYTES_PER_SECOND = 9_000_000
FULL_CHECK = ("database", "full-check")  # how a full check is named in the audit trail


@dataclass(frozen=True)
class FullCheck:
    at: datetime
    seconds: float
    size_bytes: int


@dataclass(frozen=True)
class Health:
    folder: DataFolder
    state: FileState
    detail: str
    size_bytes: int
    problems: list[str] = field(default_factory=list)
    last_backup: BackupFile | None = None
    backup_count: int = 0
    held_by: str | None = None

    @property
    def healthy(self) -> bool:
        return self.state in (FileState.CURRENT, FileState.OLDER) and not self.problems


def check_folder(
    vault: Vault, full: bool = False, step: Callable[[str], None] | None = None
) -> Health:
    """Schema revision, backups and lock of a data folder, and with `full` its integrity
    (`step(what)` told as each part begins); opens nothing for writing."""
    folder = vault.folder
    path = folder.db_file
    state, detail = classify(path, vault.key, vault.keyfile.database_salt)
    readable = state in (FileState.CURRENT, FileState.OLDER)
    problems = integrity_problems(path, vault.key, step) if readable and full else []
    backups = list_backups(folder.backup_dir)
    holder = read_holder(folder.lock_file) if folder.lock_file.exists() else None
    return Health(
        folder=folder,
        state=state,
        detail=detail,
        size_bytes=path.stat().st_size if path.exists() else 0,
        problems=problems,
        last_backup=backups[0] if backups else None,
        backup_count=len(backups),
        held_by=holder.describe() if holder else None,
    )


def describe_schema(health: Health) -> str:
    match health.state:
        case FileState.CURRENT:
            return f"{health.detail} (current)"
        case FileState.OLDER:
            return f"{health.detail} (older; upgraded to {HEAD} the next time peerdesk opens it)"
        case FileState.NEWER:
            return f"{health.detail} (from a newer peerdesk: update peerdesk to open it)"
        case FileState.MISSING:
            return "no database yet"
        case _:
            return f"unreadable: {health.detail}"


def backup_age(last: BackupFile, now: datetime | None = None) -> str:
    minutes = int(((now or clock.now()) - last.taken_at).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' * (minutes != 1)} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' * (hours != 1)} ago"
    return f"{hours // 24} days ago"


def last_full_check(session: Session) -> FullCheck | None:
    kind, name = FULL_CHECK
    newest = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == kind, AuditEvent.entity_id == name)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if newest is None:
        return None
    try:
        figures = json.loads(newest.changes or "{}")
        return FullCheck(newest.occurred_at, float(figures["seconds"]), int(figures["bytes"]))
    except (ValueError, KeyError, TypeError):
        return FullCheck(newest.occurred_at, 0.0, 0)


def full_check_due(last: FullCheck | None, now: datetime | None = None) -> bool:
    return last is None or (now or clock.now()) - last.at >= FULL_CHECK_EVERY


def full_check_estimate(size_bytes: int, last: FullCheck | None) -> float:
    """Seconds a full check of `size_bytes` should take: scaled from the last one timed on
    this computer, or from the rate measured on the large demo."""
    if last and last.seconds > 0 and last.size_bytes > 0:
        return last.seconds * size_bytes / last.size_bytes
    return size_bytes / FULL_CHECK_BYTES_PER_SECOND


def describe_seconds(seconds: float) -> str:
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"about {round(seconds)} second{'s' * (round(seconds) != 1)}"
    return f"about {round(seconds / 60)} minutes"
