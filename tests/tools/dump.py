"""A full dump of an encrypted database for comparing two files (sqlcipher3 has no iterdump):
the schema, then every row of every table in rowid order."""

from pathlib import Path

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
                rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
                lines += [f"{name}: {row!r}" for row in rows]
        return lines
    finally:
        conn.close()
