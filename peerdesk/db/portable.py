"""SQL that means the same on the encrypted file (SQLite) and on PostgreSQL.

Each construct here is one small expression compiled per engine, so a service writes it once:
- `hours_between(start, end)`: the length of a span in hours, as a float. SQLite keeps UTC
  datetimes as ISO text and measures them with julianday (days); PostgreSQL subtracts
  timestamps and counts the seconds of the interval.
- `utc_hour(moment)`: the UTC hour a datetime falls in, as the text "YYYY-MM-DD HH", for
  grouping by hour.
- `id_key(id)`: an id as the hex text `uuid.UUID.hex` gives, to key dictionaries cheaply.
- `fold_text(text)`: a name without case or accents (see `folding`). On the file this is the
  Python function every connection registers; PostgreSQL has no such function, so it is built
  from the server's own Unicode functions: full case mapping through ICU (upper then lower,
  which turns "ß" into "ss" as Python's casefold does), NFKD, and the combining marks removed.
"""

from typing import Any

from sqlalchemy import Float, String, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

# The combining-mark blocks names use (Latin, Greek and Cyrillic accents, and their extensions).
_COMBINING_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


class hours_between(FunctionElement[float]):
    """Hours from the first datetime to the second (negative if the second is earlier)."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    # EXTRACT gives NUMERIC on PostgreSQL 14+: a float, as on the file, sums without surprises.
    return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION) / 3600.0)"


class utc_hour(FunctionElement[str]):
    """The UTC hour of a datetime as "YYYY-MM-DD HH"."""

    type = String()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour, "sqlite")
def _hour_sqlite(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d %H', {compiler.process(element.clauses, **kw)})"


@compiles(utc_hour, "postgresql")
def _hour_postgresql(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(({moment}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


class fold_text(FunctionElement[str]):
    """`folding.fold` in SQL: case and accents ignored."""

    type = String()
    inherit_cache = True
    name = "fold"


@compiles(fold_text, "sqlite")
def _fold_sqlite(element: fold_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"fold({compiler.process(element.clauses, **kw)})"


@compiles(fold_text, "postgresql")
def _fold_postgresql(element: fold_text, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses, **kw)
    cased = f'lower(upper(normalize({text}, NFD) COLLATE "und-x-icu"))'
    return f"regexp_replace(normalize({cased}, NFKD), '{_COMBINING_MARKS}', '', 'g')"


class id_key(FunctionElement[str]):
    """An id as 32 hexadecimal digits (`uuid.UUID.hex`), for a cheap dictionary key: making
    thousands of UUID objects costs more than the query. The file stores ids as exactly that
    text; PostgreSQL's uuid is written out and its hyphens dropped. For reading only: compare
    the id columns themselves, with UUIDs, so the indexes serve the query on both engines."""

    type = String()
    inherit_cache = True
    name = "id_key"


@compiles(id_key, "sqlite")
def _id_key_sqlite(element: id_key, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(id_key, "postgresql")
def _id_key_postgresql(element: id_key, compiler: SQLCompiler, **kw: Any) -> str:
    return f"replace(CAST({compiler.process(element.clauses, **kw)} AS TEXT), '-', '')"


def defer_foreign_keys(session: Session) -> None:
    """Check foreign keys when the transaction commits rather than after each statement, for
    bulk inserts whose rows go in by id (time) order, not by reference. PostgreSQL checks a
    statement's own rows together already; SET CONSTRAINTS reaches those declared deferrable."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    else:
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))


def in_order(key: Any, descending: bool = False) -> Any:
    """`key` ascending or descending, with NULLs where SQLite puts them: first when ascending,
    last when descending (PostgreSQL's default is the reverse, which would reorder every list
    with an empty date or name). A column that cannot be NULL is left plain, so its order is
    still the one its index gives on either engine."""
    column = getattr(key, "expression", key)
    ordered = key.desc() if descending else key.asc()
    if getattr(column, "nullable", True) is False:
        return ordered
    return ordered.nulls_last() if descending else ordered.nulls_first()


class unindexed(FunctionElement[Any]):
    """`column` behind SQLite's unary plus, which keeps SQLite from choosing the column's own
    index for a filter on it (see `browse.paging.row_by_row`). PostgreSQL has no such hint (its
    unary plus is arithmetic only, and not defined for ids): there it is the column itself."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(+ {compiler.process(element.clauses, **kw)})"


@compiles(unindexed)
def _unindexed_elsewhere(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)
