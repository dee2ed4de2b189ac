"""Every order the history-sized lists offer (shifts, session logs, supervision sessions) reads
its first page through an index, never by sorting the whole table: SQLite's EXPLAIN QUERY PLAN
of each page query, in both directions, with and without a one-letter filter.

The database is empty: peerdesk never runs ANALYZE, so SQLite plans without statistics and the
plan here is the plan on ten years of data."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.models import UserRole
from peerdesk.services import browse
from peerdesk.services.browse import PageQuery
from peerdesk.services.browse.rota import SHIFT_SORTS
from peerdesk.services.browse.sessions import SESSION_SORTS
from peerdesk.services.browse.supervision import SUPERVISION_SORTS
from peerdesk.services.permissions import Actor

# SQLite's own query plans: PostgreSQL plans with statistics, and has its own EXPLAIN.
pytestmark = pytest.mark.file_only

BOSS = Actor(None, "boss", "Boss", UserRole.COORDINATOR)
SINCE = datetime(2026, 12, 1, tzinfo=UTC)
Page = Callable[[Session, PageQuery], object]

LISTS: dict[str, tuple[dict[str, Any], Page]] = {
    "shifts": (SHIFT_SORTS, lambda s, q: browse.shifts_page(s, BOSS, q)),
    "upcoming shifts": (SHIFT_SORTS, lambda s, q: browse.shifts_page(s, BOSS, q, since=SINCE)),
    "session logs": (SESSION_SORTS, lambda s, q: browse.session_logs_page(s, BOSS, q)),
    "supervision": (SUPERVISION_SORTS, lambda s, q: browse.supervision_page(s, BOSS, q)),
}
CASES = [
    (name, sort, descending, text)
    for name, (sorts, _page) in LISTS.items()
    for sort in sorts
    for descending in (False, True)
    for text in ("", "a")
]


def page_plan(store: Store, run: Page, q: PageQuery) -> str:
    """The query plan of the subquery that chooses the page's rows."""
    seen: list[tuple[str, Any]] = []

    def grab(*args: Any) -> None:
        seen.append((args[2], args[3]))  # statement, parameters

    with store.read() as s:
        conn = s.connection()
        event.listen(conn, "before_cursor_execute", grab)
        try:
            run(s, q)
        finally:
            event.remove(conn, "before_cursor_execute", grab)
        (statement, parameters) = [(st, p) for st, p in seen if "IN (SELECT" in st][-1]
        rows = list(conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    # The page's ids are chosen in the first subquery (see `paging.page`); the outer query only
    # sorts the page's own rows again, and the others list the names matching the filter.
    top = next(node for node, _parent, _, detail in rows if detail.startswith("LIST SUBQUERY"))
    inside = {top}
    for node, parent, _, _detail in rows:
        if parent in inside:
            inside.add(node)
    return "\n".join(detail for node, _parent, _, detail in rows if node in inside)


def test_each_offered_order_reads_its_first_page_through_an_index(store: Store) -> None:
    sorted_everything = []
    for name, sort, descending, text in CASES:
        q = PageQuery(sort=sort, descending=descending, text=text)
        plan = page_plan(store, LISTS[name][1], q)
        scans = [
            line
            for line in plan.splitlines()
            if line.startswith(("SCAN shifts", "SCAN session_logs", "SCAN supervision_sessions"))
        ]
        # A temporary B-tree for the whole ORDER BY sorts every matching row before the first
        # page; one for its last term only sorts rows tied on the rest, as the page is read.
        if "TEMP B-TREE FOR ORDER BY" in plan or any("INDEX" not in line for line in scans):
            sorted_everything.append(f"{name} by {sort}, desc={descending}, {text!r}:\n{plan}")
    assert not sorted_everything, "\n\n".join(sorted_everything)
