"""`peerdesk check`: what state a data folder is in, read without changing anything."""

from dataclasses import dataclass, field
from datetime import datetime

from peerdesk import clock
from peerdesk.db.backup import BackupFile, list_backups
from peerdesk.db.lock import read_holder
from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import HEAD, FileState, classify, integrity_problems
from peerdesk.db.vault import Vault


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


def check_folder(vault: Vault) -> Health:
    """Integrity, schema revision, backups and lock of a data folder; opens nothing for writing."""
    folder = vault.folder
    path = folder.db_file
    state, detail = classify(path, vault.key, vault.keyfile.database_salt)
    readable = state in (FileState.CURRENT, FileState.OLDER)
    problems = integrity_problems(path, vault.key) if readable else []
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
