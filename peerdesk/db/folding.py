"""How two spellings of a name are compared: case and accents ignored, the way people expect.

"Élodie", "ELODIE" and "elodie" are one name; so are "Siân" and "Sian", "Gŵyn" and "gwyn",
"Straße" and "strasse". SQLite's own lower() and LIKE fold only ASCII letters, so every
connection gets `fold` as an SQL function (registered in `engine`), and names are matched and
checked for uniqueness through it: `folded(column) == fold(typed)` in SQL, `fold(a) == fold(b)`
in Python. One function for both, so a search and a uniqueness check never disagree.

The fold is Unicode's compatibility caseless match (casefold and NFKD, twice, so the result
folds to itself) with the combining marks then dropped. It is for comparing only: names are
stored and shown as typed.
"""

import unicodedata
from typing import Any

from sqlalchemy import ColumnElement

from peerdesk.db.portable import fold_text


def fold(text: str) -> str:
    """`text` without case or accents: "Élodie" -> "elodie", "Straße" -> "strasse"."""
    once = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", text).casefold())
    twice = unicodedata.normalize("NFKD", once.casefold())
    return "".join(ch for ch in twice if not unicodedata.combining(ch))


def sql_fold(value: Any) -> Any:
    """`fold` as SQLite calls it: NULL stays NULL, and numbers or blobs are left alone."""
    return fold(value) if isinstance(value, str) else value


def register(dbapi_connection: Any) -> None:
    """Make `fold(x)` callable in SQL on this connection (deterministic: usable in indexes)."""
    dbapi_connection.create_function("fold", 1, sql_fold, deterministic=True)


def folded(column: Any) -> ColumnElement[str]:
    """`column` folded in SQL, to compare with `fold(typed)` or sort by (the same fold on
    PostgreSQL, from the server's own functions: see `portable.fold_text`)."""
    return fold_text(column)


def contains_folded(column: Any, typed: str) -> ColumnElement[bool]:
    """`column` contains `typed`, case and accents ignored; % and _ in `typed` match themselves."""
    return folded(column).contains(fold(typed), autoescape=True)
