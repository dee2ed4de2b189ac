"""Paging, sorting and filtering shared by every list, and who may see which rows.

Each list's page function returns one page of frozen rows (never ORM objects) for an offset, a
limit, a sort key from that list's allowed set and an optional text filter; each count function
counts the rows the same filter matches. Every allowed sort follows an index, and counts of
related rows are correlated subqueries over indexed keys, so a page answers in milliseconds at ten
years of data.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, false, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import Join

from peerdesk.db.folding import contains_folded
from peerdesk.db.portable import in_order, unindexed
from peerdesk.models import Role

PAGE_SIZE = 200
_SEP = "\x1f"  # joins role names in SQL; cannot appear in a typed name

type Query = Select[*tuple[Any, ...]]
type Sorts = dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class PageQuery:
    """Which page of a list: where it starts, how long, its order and a text filter."""

    offset: int = 0
    limit: int = PAGE_SIZE
    sort: str | None = None  # None: the list's first allowed sort
    descending: bool = False
    text: str = ""


def page(
    session: Session, stmt: Query, sorts: Sorts, q: PageQuery, walk: Query | None = None
) -> list[Any]:
    """One page of `stmt` in the order of sort `q.sort` (each sort ends with the row's id).

    The page is chosen by the sort keys and ids alone, and only its rows are then read in full:
    otherwise SQLite computes every column, correlated counts included, for every row before
    sorting (measured: 300 ms for the rota sorted by venue, 60,000 shifts).

    `walk`, when given, chooses the rows instead: `stmt`'s rows with the list's filters, joined
    in the order the sort reads them (see NameFirst). `stmt` then only says what a row shows,
    unfiltered, so SQLite reads the chosen rows by id rather than through a filter's index."""
    sort = q.sort or next(iter(sorts))
    if sort not in sorts:
        raise ValueError(f"unknown sort {sort!r}; allowed: {', '.join(sorts)}")
    keys = sorts[sort]
    order = [in_order(k, q.descending) for k in keys]
    chosen = (
        (stmt if walk is None else walk)
        .with_only_columns(keys[-1])
        .order_by(*order)
        .offset(max(q.offset, 0))
        .limit(max(q.limit, 0))
    )
    return list(session.execute(stmt.where(keys[-1].in_(chosen)).order_by(*order)))


def only(stmt: Query, column: Any, ids: set[uuid.UUID] | None) -> Query:
    """Rows whose `column` is one of `ids`; None means every row (a coordinator)."""
    if ids is None:
        return stmt
    return stmt.where(column.in_(ids)) if ids else stmt.where(false())


def columns(model: Any, names: str) -> list[Any]:
    return [getattr(model, n) for n in names.split()]


def matching(column: Any, key: Any, text: str) -> Any:
    """Ids from a small table whose `column` contains `text`: filtering a large table by these
    keeps its scan on the index that orders it. Case and accents are ignored ("elodie" finds
    "Élodie")."""
    return select(key).where(contains_folded(column, text))


def row_by_row(column: Any) -> Any:
    """`column` behind SQLite's unary plus, so a filter on it is checked on each row as the
    list's order index is walked instead of gathering every match through the column's own
    index and sorting them all: a first letter matches nearly every row, and the page then
    costs the whole table (3.2 s on the large demo for the rota filtered by "l")."""
    return unindexed(column)


class NameFirst(Join):
    """`small JOIN big ON ...` written as SQLite's CROSS JOIN, which makes SQLite read the small
    table first. A list sorted by a venue's, activity's or person's name then walks those few
    rows in name order (their name index) and each one's rows of the big table by start time
    (its index on the key and start), stopping at the page's end. Left to itself SQLite reads the
    whole big table and sorts it (1.4 s for session logs by volunteer on the large demo)."""

    inherit_cache = True

    def __init__(self, small: Any, big: Any, onclause: Any) -> None:
        assert isinstance(small, Table), "the small side is one table"
        super().__init__(small, big, onclause)


@compiles(NameFirst, "sqlite")  # elsewhere a plain JOIN: CROSS JOIN ... ON is SQLite's alone
def _cross_join(join: NameFirst, compiler: SQLCompiler, **kw: Any) -> str:
    # The first JOIN after the small table's name is this one.
    joined: str = compiler.visit_join(join, **kw)  # type: ignore[no-untyped-call]
    return joined.replace(" JOIN ", " CROSS JOIN ", 1)


def joined(value: str | None) -> tuple[str, ...]:
    return tuple(sorted(value.split(_SEP))) if value else ()


def count(session: Session, stmt: Query) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def roles_of(link_key: Any, link_role: Any, owner_id: Any) -> Any:
    """Role names linked to a row, joined in SQL so a page costs one query."""
    return (
        select(func.aggregate_strings(Role.name, _SEP))
        .join_from(Role, link_key.table, link_role == Role.id)
        .where(link_key == owner_id)
        .scalar_subquery()
    )
