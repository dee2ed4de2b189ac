"""A full dump of an encrypted database for comparing two files (sqlcipher3 has no iterdump):
the schema, then every row of every table in storage order: rowid, or for a WITHOUT ROWID table
(which has no rowid to order by) its primary key."""

from pathlib import Path
from typing import Any

from peerdesk.db import cipher


def dump(path: Path, key: bytes) -> list[str]:
    conn = cipher.connect(path, key, read_only=True)
    try:
        schema = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        lines = [repr(row) for row in schema]
        for _type, name, _sql in schema:
            if _type == "table":
                rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY {_order(conn, name)}')
                lines += [f"{name}: {row!r}" for row in rows.fetchall()]
        return lines
    finally:
        conn.close()


def _order(conn: Any, table: str) -> str:
    """rowid, unless the table is WITHOUT ROWID: then its primary-key columns, in key order."""
    (without_rowid,) = conn.execute(
        "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", (table,)
    ).fetchone()
    if not without_rowid:
        return "rowid"
    info = conn.execute("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0", (table,))
    return ", ".join(f'"{name}"' for name, _pk in sorted(info.fetchall(), key=lambda c: c[1]))
