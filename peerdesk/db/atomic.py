"""Writing a file so that a crash leaves either the old version or the new one, never half."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temporary_beside(path: Path) -> Iterator[Path]:
    """A new, empty, private (0600) temporary file in `path`'s folder, removed afterwards
    unless it was renamed into place: for writers that write a file themselves (SQLite,
    openpyxl), followed by `put_in_place`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}-", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)


def put_in_place(tmp: Path, path: Path, overwrite: bool = True) -> None:
    """fsync `tmp` and rename it to `path`, then fsync the folder. Without `overwrite`, an
    existing `path` is never replaced (FileExistsError), even one made a moment ago."""
    _fsync(tmp)
    if overwrite:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)  # fails if `path` exists, atomically
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links (FAT on a memory stick)
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
        else:
            tmp.unlink(missing_ok=True)
    if os.name == "posix":
        _fsync(path.parent)


def write_atomically(path: Path, data: bytes, overwrite: bool = True) -> None:
    """Temporary file in the same folder (mode 0600), fsync, rename over the target, fsync the
    folder."""
    with temporary_beside(path) as tmp:
        with tmp.open("wb") as f:
            f.write(data)
        put_in_place(tmp, path, overwrite)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
