"""The single-writer lock on a data folder.

Two copies of peerdesk writing one database would each think their view is current. The lock
file names who holds the folder (user, machine, process) so the second copy can say so plainly.
A lock left by a process that no longer runs on this machine is taken over silently; any other
lock can be taken over only when the user asks to.

Each lock carries a random token. The holder reads the lock file back before every write (and
the window on a timer): once someone else has taken over, the token there is not its own, so it
stops writing instead of mixing its commits into the new holder's data, and it never removes
the new holder's lock when it closes.
"""

import getpass
import json
import os
import secrets
import socket
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from peerdesk import clock
from peerdesk.db.paths import private_file
from peerdesk.errors import LockedError, LostLockError, StoreError


@dataclass(frozen=True)
class LockHolder:
    user: str
    host: str
    pid: int
    since: str
    token: str = ""

    def describe(self) -> str:
        return f"{self.user} on {self.host} (since {self.since[:16].replace('T', ' ')} UTC)"


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return LockHolder(
        user, socket.gethostname(), os.getpid(), clock.now().isoformat(), secrets.token_hex(16)
    )


def _process_running(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # cannot tell safely without extra libraries: offer take-over instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(lock_file: Path) -> LockHolder | None:
    try:
        data = json.loads(lock_file.read_text(encoding="utf-8"))
        return LockHolder(
            str(data["user"]),
            str(data["host"]),
            int(data["pid"]),
            str(data["since"]),
            str(data.get("token", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check_lock_is_a_file(lock_file: Path) -> None:
    """A folder (or anything but a file) where the lock belongs cannot be a lock, nor replaced."""
    if lock_file.is_symlink() or (lock_file.exists() and not lock_file.is_file()):
        raise StoreError(
            f"{lock_file} should be a small file peerdesk makes, but something else is there; "
            "move it out of the data folder and try again."
        )


class FolderLock:
    def __init__(self, lock_file: Path, holder: LockHolder) -> None:
        self.lock_file = lock_file
        self.holder = holder

    @classmethod
    def acquire(cls, lock_file: Path, take_over: bool = False) -> "FolderLock":
        _check_lock_is_a_file(lock_file)
        me = _me()
        if take_over:
            cls._write(lock_file, me, exclusive=False)
            return cls(lock_file, me)
        try:
            cls._write(lock_file, me, exclusive=True)
            return cls(lock_file, me)
        except FileExistsError:
            pass
        holder = read_holder(lock_file)
        if holder is None or (holder.host == me.host and not _process_running(holder.pid)):
            cls._write(lock_file, me, exclusive=False)  # stale: its process is gone
            return cls(lock_file, me)
        raise LockedError(
            f"This data folder is in use by {holder.describe()}. Close peerdesk there first; "
            "if that copy crashed or the computer was switched off, you can take over.",
            holder=holder.describe(),
            stale=False,
        )

    @staticmethod
    def _write(lock_file: Path, holder: LockHolder, exclusive: bool) -> None:
        """Write the whole file under a temporary name, then link or rename it into place, so
        nobody ever reads a half-written lock and takes it for a stale one."""
        tmp = lock_file.with_name(f".{lock_file.name}-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:  # a full disk fails the write: the temporary file is removed all the same
            private_file(tmp)
            tmp.write_text(json.dumps(asdict(holder)), encoding="utf-8")
            if exclusive:
                os.link(tmp, lock_file)  # fails if the lock exists, atomically
            else:
                os.replace(tmp, lock_file)
        finally:
            tmp.unlink(missing_ok=True)

    def held(self) -> bool:
        """Whether the lock file still names this holder (nobody took over or removed it)."""
        return read_holder(self.lock_file) == self.holder

    def ensure_held(self) -> None:
        """Raise LostLockError when someone else has taken over the folder."""
        if self.held():
            return
        now = read_holder(self.lock_file)
        who = (
            f"{now.describe()} took over this data folder"
            if now
            else "this data folder's lock was removed"
        )
        raise LostLockError(
            f"peerdesk stopped writing here because {who}; nothing more is saved from this "
            "copy: close it and carry on in the one that holds the folder."
        )

    def release(self) -> None:
        """Remove the lock file if it is still ours (someone may have taken over)."""
        if read_holder(self.lock_file) == self.holder:
            self.lock_file.unlink(missing_ok=True)


def refuse_if_in_use(lock_file: Path, what: str) -> None:
    """Restoring or re-keying under a copy that is still writing would lose its work or break
    it, so both wait for that copy to close, whatever take-over was asked; only a lock whose
    process is provably gone (this machine, no such process) does not count."""
    if not lock_file.exists():
        return
    holder = read_holder(lock_file)
    if holder is None:
        return
    if holder.host == socket.gethostname() and not _process_running(holder.pid):
        return
    raise LockedError(
        f"peerdesk will not {what} while {holder.describe()} is using this data folder, "
        f"because their later work would be lost: close peerdesk there first (if it is no "
        f"longer running on that computer, delete {lock_file} and try again).",
        holder=holder.describe(),
        stale=False,
    )
