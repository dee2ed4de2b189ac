"""The schema revisions this peerdesk knows, and what kind of file sits where the database goes.

Importing alembic and running its upgrade check costs about a second; reading the version row
costs half a millisecond, so a normal start only compares the stored revision with `HEAD`.
A test keeps `REVISIONS` equal to the migration scripts.
"""

import sqlite3
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from peerdesk.db import cipher

# Oldest first; the last one is the head.
REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_audit_append_only",
    "0003_audit_scrubbable",
    "0004_users_keyslots",
    "0005_course_requirements_by_role",
    "0006_rota_policies",
    "0007_sessions",
    "0008_first_password",
    "0009_list_indexes",
    "0010_public_releases",
    "0011_report_signing",
    "0012_sealed_fields",
    "0013_outcomes",
    "0014_audit_entity_width",
    "0015_sealed_more",
    "0016_server_keys",
    "0017_sealed_contact",
    "0018_people_indexes",
    "0019_volunteer_rate",
)
HEAD = REVISIONS[-1]

SQLITE_HEADER = b"SQLite format 3\x00"
# Every SQLite (and SQLCipher) database file is a whole number of pages of at least 512 bytes.
MIN_PAGE_SIZE = 512


class FileState(Enum):
    MISSING = "missing"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"
    DAMAGED = "damaged"
    # An unencrypted SQLite file: a peerdesk database from before encryption, or another program's.
    PLAINTEXT = "plaintext"
    # The keys file was made for a different database (another organisation's data).
    OTHER_KEYS = "other keys"


def has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def revision_of(conn: Any) -> str | None:
    """The alembic revision stored behind `conn` (a SQLite connection), or None when it has no
    version table."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def read_revision(path: Path, key: bytes, immutable: bool = False) -> str | None:
    """Raises a DatabaseError when the file cannot be read with `key`."""
    conn = cipher.connect(path, key, read_only=True, immutable=immutable)
    try:
        return revision_of(conn)
    finally:
        conn.close()


def _revision(path: Path, key: bytes) -> str | None:
    """The revision, read as usual or, when that fails, without the journal files SQLite makes
    beside the database: on a full disk or in a read-only folder it cannot make them, and a
    file that reads well then is not damaged (it must never be set aside for that)."""
    try:
        return read_revision(path, key)
    except cipher.read_errors():
        return read_revision(path, key, immutable=True)


def read_plaintext_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return revision_of(conn)
    finally:
        conn.close()


def state_of_revision(revision: str | None) -> FileState:
    if revision is None:
        return FileState.DAMAGED
    if revision == HEAD:
        return FileState.CURRENT
    return FileState.OLDER if revision in REVISIONS else FileState.NEWER


def classify(path: Path, key: bytes, expected_salt: str = "") -> tuple[FileState, str]:
    """What kind of file sits at `path`, with a reason or revision to tell the user."""
    if not path.exists():
        return FileState.MISSING, ""
    try:
        if has_sqlite_header(path):
            return FileState.PLAINTEXT, "it is not encrypted"
        size = path.stat().st_size
        if size == 0:
            return FileState.DAMAGED, "it is empty (0 bytes)"
        if size % MIN_PAGE_SIZE:
            return FileState.DAMAGED, "it is not a peerdesk database file"
        if expected_salt and cipher.file_salt(path) != expected_salt:
            return FileState.OTHER_KEYS, "the keys file belongs to different data"
        revision = _revision(path, key)
    except cipher.read_errors() as err:
        return FileState.DAMAGED, f"it cannot be read ({err})"
    state = state_of_revision(revision)
    if state is FileState.DAMAGED:
        return state, "it is a database, but not a peerdesk one"
    return state, str(revision)


def integrity_problems(
    path: Path, key: bytes, step: Callable[[str], None] | None = None
) -> list[str]:
    """SQLite's integrity and foreign-key checks and SQLCipher's page authentication check;
    an empty list means healthy. `step(what)` is told as each of the three begins."""
    step = step or (lambda _what: None)
    try:
        conn = cipher.connect(path, key, read_only=True)
    except cipher.database_errors() as err:
        return [str(err)]
    try:
        step("every page and index (1 of 3)")
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows
        step("every page's authentication code (2 of 3)")
        problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        step("links between records (3 of 3)")
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"row {rowid} of {table} points to a missing {parent} record")
        return problems
    except cipher.database_errors() as err:
        return [str(err)]
    finally:
        conn.close()


def classify_server(engine: Engine) -> tuple[FileState, str]:
    """What a PostgreSQL database holds: MISSING when it has no tables at all (a database just
    made with createdb), DAMAGED when it has tables but is not a peerdesk database."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return FileState.MISSING, ""
        if "alembic_version" not in tables:
            return FileState.DAMAGED, "it holds tables, but is not a peerdesk database"
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    revision = str(row[0]) if row else None
    state = state_of_revision(revision)
    if state is FileState.DAMAGED:
        return state, "it is a database, but not a peerdesk one"
    return state, str(revision)


# The append-only audit trail's triggers (migrations 0002 and 0003): a server database without
# them would let a row of the trail be changed or deleted without a word.
AUDIT_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


def server_integrity_problems(engine: Engine) -> list[str]:
    """PostgreSQL keeps its own pages and foreign keys whole; what peerdesk checks there is that
    the audit trail's guards are still in place and enabled."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT tgname, tgenabled FROM pg_trigger "
                "WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"
            )
        ).all()
    enabled = {str(name) for name, mode in rows if str(mode) != "D"}
    return [
        f"the audit trail's trigger {name} is missing or disabled"
        for name in AUDIT_TRIGGERS
        if name not in enabled
    ]
