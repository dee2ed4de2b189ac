"""The one check for a file peerdesk is asked to write (a backup, a report, a calendar, an
export), and the one way of writing it.

An output file must never be one of the data folder's own files (the database and its WAL and
shared-memory files, the keys, the recovery copy, the lock, anything in the backups or logs
folder): renaming a backup over the live database leaves it malformed, and a report written over
the keys file loses every password. Nor may it be a folder, a device, a pipe or a socket, and an
existing file is replaced only when the person said so (`--force`, or the window's own "replace
it?" question). Everything is checked before anything is written; the file is then written under
a temporary name beside it and renamed into place, so a failure leaves no half file.
"""

import errno
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from peerdesk.db.atomic import put_in_place, temporary_beside
from peerdesk.db.paths import BACKUP_DIR, DB_NAME, KEYS_NAME, LOCK_NAME, LOG_DIR, DataFolder
from peerdesk.errors import OutputPathError

# The data folder's own files are named peerdesk.<something> (the database and its -wal, -shm,
# .partial and .restoring files, the keys, the lock, the recovery copy) or peerdesk-damaged-*.
OWN_PREFIXES = ("peerdesk.", "peerdesk-damaged-", f".{DB_NAME}", f".{KEYS_NAME}", f".{LOCK_NAME}")
OWN_FOLDERS = (BACKUP_DIR, LOG_DIR)
# Most file systems allow 255 bytes in a name; the temporary name beside it needs a few more.
MAX_NAME_BYTES = 200


def check_output(
    out: Path, folder: DataFolder, *, overwrite: bool, suffixes: Sequence[str] = ()
) -> Path:
    """The full path `out` names, if peerdesk may write a file there; otherwise one plain
    sentence (OutputPathError). `suffixes`: the endings allowed (".pdf"), any if empty."""
    if suffixes and out.suffix.casefold() not in suffixes:
        raise OutputPathError(
            f"Give the file a name ending {' or '.join(suffixes)}, not {out.name}."
        )
    if len(out.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise OutputPathError(f"The file name {out.name[:40]}… is too long; choose a shorter name.")
    target = _resolved(out)
    if _is_data_folder_file(target, folder):
        raise OutputPathError(
            f"{target} is one of peerdesk's own files in the data folder; choose a file "
            "outside the data folder."
        )
    try:
        parent = target.parent.stat()
    except OSError:
        raise OutputPathError(
            f"There is no folder {target.parent}; choose a folder that exists."
        ) from None
    if not stat.S_ISDIR(parent.st_mode):
        raise OutputPathError(f"{target.parent} is not a folder; choose a folder that exists.")
    _check_existing(target, overwrite)
    return target


def _resolved(out: Path) -> Path:
    try:
        return out.expanduser().resolve()
    except (OSError, RuntimeError):  # a loop of links, or a name the system refuses
        raise OutputPathError(
            f"peerdesk cannot use {out} as a file name; choose another."
        ) from None


def _is_data_folder_file(target: Path, folder: DataFolder) -> bool:
    root = _resolved(folder.root)
    if target == root:
        return True
    own_folders = [root / name for name in OWN_FOLDERS]
    if any(target == f or f in target.parents for f in own_folders):
        return True
    if target.parent != root:
        return False
    name = target.name.casefold()  # case-insensitive disks (Windows, macOS) too
    return name.startswith(OWN_PREFIXES)


def _check_existing(target: Path, overwrite: bool) -> None:
    try:
        found = target.stat()
    except FileNotFoundError:
        return
    except OSError as err:
        raise OutputPathError(
            f"peerdesk cannot use {target} ({err.strerror}); choose another file."
        ) from None
    mode = found.st_mode
    if stat.S_ISDIR(mode):
        raise OutputPathError(f"{target} is a folder; give a file name inside it.")
    if not stat.S_ISREG(mode):
        raise OutputPathError(
            f"{target} is not an ordinary file (a device, pipe or socket); choose a file name."
        )
    if not overwrite:
        raise OutputPathError(
            f"{target} already exists; choose another name, or add --force to replace it."
        )


def write_output(
    out: Path,
    data: bytes,
    folder: DataFolder,
    *,
    overwrite: bool,
    suffixes: Sequence[str] = (),
) -> Path:
    """Check `out`, then write `data` to it atomically; returns the full path written."""
    with output_file(out, folder, overwrite=overwrite, suffixes=suffixes) as tmp:
        tmp.write_bytes(data)
    return _resolved(out)


@contextmanager
def output_file(
    out: Path,
    folder: DataFolder,
    *,
    overwrite: bool,
    suffixes: Sequence[str] = (),
) -> Iterator[Path]:
    """Check `out`, then give a private temporary file beside it to write; when the block ends
    without error the file is renamed into place. Errors writing become one sentence."""
    target = check_output(out, folder, overwrite=overwrite, suffixes=suffixes)
    try:
        with temporary_beside(target) as tmp:
            yield tmp
            check_output(target, folder, overwrite=overwrite)  # still true after the wait
            put_in_place(tmp, target, overwrite)
    except FileExistsError:
        raise OutputPathError(
            f"{target} already exists; choose another name, or add --force to replace it."
        ) from None
    except OSError as err:
        raise OutputPathError(writing_failed(target, err)) from None


def writing_failed(target: Path, err: OSError) -> str:
    """One sentence for an error writing `target`."""
    if err.errno == errno.ENOSPC or err.errno == getattr(errno, "EDQUOT", None):
        return f"{target} could not be written: the disk is full. Free some space and try again."
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"peerdesk may not write to {target.parent}; choose another folder."
    if err.errno == errno.ENAMETOOLONG:
        return f"The file name {target.name[:40]}… is too long; choose a shorter name."
    return f"{target} could not be written ({err.strerror or err}); choose another file."
