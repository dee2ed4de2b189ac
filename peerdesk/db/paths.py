"""Where a peerdesk data folder keeps its files."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from peerdesk.errors import FolderNotWritableError, StoreError

DB_NAME = "peerdesk.sqlite3"
# Backups are named peerdesk-YYYYmmdd-HHMMSS-<reason>.sqlite3 inside this folder.
BACKUP_DIR = "backups"
LOCK_NAME = "peerdesk.lock"
KEYS_NAME = "peerdesk.keys"
LOG_DIR = "logs"
# On POSIX, what peerdesk creates is its user's alone (other accounts on the laptop see nothing).
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def default_data_dir() -> Path:
    """The platform's user-data folder (for example ~/.local/share/peerdesk on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("peerdesk", appauthor=False))


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def db_file(self) -> Path:
        return self.root / DB_NAME

    @property
    def backup_dir(self) -> Path:
        return self.root / BACKUP_DIR

    @property
    def lock_file(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def keys_file(self) -> Path:
        return self.root / KEYS_NAME

    @property
    def log_dir(self) -> Path:
        return self.root / LOG_DIR

    def ensure(self) -> None:
        """Create the folder if needed and make sure peerdesk can write to it."""
        try:
            self.root.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
            self.backup_dir.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        except OSError as err:
            raise StoreError(
                f"The data folder {self.root} cannot be made there ({err.strerror}). "
                "Choose a folder you can write to with --data-dir."
            ) from err
        if not self.root.is_dir():
            raise StoreError(
                f"{self.root} is a file, not a folder. Choose a folder with --data-dir."
            )
        if not _can_write(self.root):
            raise FolderNotWritableError(
                f"The data folder {self.root} cannot be written to. "
                "Check its permissions, or choose another folder with --data-dir."
            )


def _can_write(folder: Path) -> bool:
    """Try it: permission bits say nothing about read-only disks or an administrator's rights."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def private_file(path: Path) -> None:
    """Make `path` (created empty if missing) readable and writable by its owner only, before
    anything is written to it: the laptop is shared, and the data is about people. SQLite gives
    a database's WAL and shared-memory files the database file's own mode."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE)


def sidecar_files(db_file: Path) -> list[Path]:
    """The database file with its write-ahead log and shared-memory files."""
    return [
        db_file,
        db_file.with_name(db_file.name + "-wal"),
        db_file.with_name(db_file.name + "-shm"),
    ]
