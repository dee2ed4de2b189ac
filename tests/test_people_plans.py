"""The Today page and the people pages read the open items and the people, never a history-sized
table whole: SQLite's EXPLAIN QUERY PLAN of every statement they run (migration 0018).

The database is empty: peerdesk never runs ANALYZE, so SQLite plans without statistics and the
plan here is the plan on ten years of data."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from peerdesk.services import browse
from peerdesk.services.auth import SignedIn
from peerdesk.services.lone_working import overdue_check_outs
from peerdesk.services.supervision.follow_ups import follow_up_queue
from peerdesk.services.today_attention import needs_attention

# SQLite's own query plans: PostgreSQL plans with statistics, and has its own EXPLAIN.
pytestmark = pytest.mark.file_only

NOW = datetime(2026, 12, 8, 10, tzinfo=UTC)
TODAY = date(2026, 12, 8)
# Tables that grow with every shift, session and year: none may be read whole.
HISTORY = ("lone_working_checks", "supervision_actions", "follow_ups", "training_completions")


def plans(signed: SignedIn, run: Callable[[Session], object]) -> dict[str, str]:
    """Each statement `run` executes, with its query plan."""
    seen: list[tuple[str, Any]] = []

    def grab(*args: Any) -> None:
        seen.append((args[2], args[3]))  # statement, parameters

    found = {}
    with signed.store.read() as s:
        conn = s.connection()
        event.listen(conn, "before_cursor_execute", grab)
        try:
            run(s)
        finally:
            event.remove(conn, "before_cursor_execute", grab)
        for statement, parameters in seen:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                found[statement] = "\n".join(row[3] for row in rows)
    return found


@pytest.mark.parametrize(
    "what",
    ["needs attention", "figures", "courses", "follow-up queue", "overdue check-outs"],
)
def test_the_today_and_people_pages_scan_no_history_table(coordinator: SignedIn, what: str) -> None:
    actor = coordinator.actor
    run: Callable[[Session], object] = {
        "needs attention": lambda s: needs_attention(s, actor, NOW),
        "figures": lambda s: browse.today_summary(s, actor, TODAY),
        "courses": lambda s: browse.courses_page(s, actor),
        "follow-up queue": lambda s: follow_up_queue(s, actor, TODAY),
        "overdue check-outs": lambda s: overdue_check_outs(s, actor, NOW),
    }[what]
    found = plans(coordinator, run)
    assert found, "nothing was read"
    whole = [
        f"{statement}\n{plan}"
        for statement, plan in found.items()
        for line in plan.splitlines()
        for table in HISTORY
        if line.startswith(f"SCAN {table}") and "COVERING INDEX" not in line
    ]
    assert not whole, "\n\n".join(whole)
