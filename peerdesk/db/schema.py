"""The schema revisions this peerdesk knows, and reading a file's revision without alembic.

Importing alembic and running its upgrade check costs about a second; reading the version row
costs half a millisecond, so a normal start only compares the stored revision with `HEAD`.
A test keeps `REVISIONS` equal to the migration scripts.
"""

import sqlite3
from enum import Enum
from pathlib import Path

# Oldest first; the last one is the head.
REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_audit_append_only",
    "0003_audit_scrubbable",
)
HEAD = REVISIONS[-1]

SQLITE_HEADER = b"SQLite format 3\x00"


class FileState(Enum):
    MISSING = "missing"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"
    DAMAGED = "damaged"


def has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (no journal, no checkpoint on close)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def read_revision(path: Path) -> str | None:
    """The alembic revision stored in the file, or None when it has no version table.

    Raises sqlite3.DatabaseError when the file is not a readable SQLite database.
    """
    conn = read_only_connection(path)
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def classify(path: Path) -> tuple[FileState, str]:
    """What kind of file sits at `path`, with a reason or revision to tell the user."""
    if not path.exists():
        return FileState.MISSING, ""
    try:
        if not has_sqlite_header(path):
            return FileState.DAMAGED, "it is not a database file"
        revision = read_revision(path)
    except (OSError, sqlite3.DatabaseError) as err:
        return FileState.DAMAGED, f"it cannot be read ({err})"
    if revision is None:
        return FileState.DAMAGED, "it is a database, but not a peerdesk one"
    if revision == HEAD:
        return FileState.CURRENT, revision
    if revision in REVISIONS:
        return FileState.OLDER, revision
    return FileState.NEWER, revision


def integrity_problems(path: Path, quick: bool = False) -> list[str]:
    """SQLite's integrity check and foreign-key check; an empty list means healthy."""
    conn = read_only_connection(path)
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
        problems = [] if rows == ["ok"] else rows
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"row {rowid} of {table} points to a missing {parent} record")
        return problems
    except sqlite3.DatabaseError as err:
        return [str(err)]
    finally:
        conn.close()
