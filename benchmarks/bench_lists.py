"""Opening a list on ten years of data: the paged model created and its first page fetched, for
the volunteer list and the rota, plus the other sorts and a filter. Target: under 50 ms each.

Uses the large demo data when the demo generator is installed; otherwise fills the database with
the same number of plain rows (300 volunteers, 60,000 shifts, 100,000 session logs).

Run: python benchmarks/bench_lists.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import insert

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentStatus,
    Organisation,
    SessionLog,
    SessionMode,
    Shift,
    Venue,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.models.ids import new_id
from peerdesk.ui import areas
from peerdesk.ui.paged_model import ListSource, PagedTableModel

TARGET_MS = 50.0
REPEATS = 5
SIZES = {"volunteers": 300, "shifts": 60_000, "session logs": 100_000}


def fill_with_demo(store: Store) -> str | None:
    try:
        from peerdesk.services.demo import generate_demo  # type: ignore[attr-defined]
    except ImportError:
        return None
    generate_demo(store, seed=1, size="large")
    return "large demo data"


def fill_plainly(store: Store) -> str:
    rng = random.Random(1)
    start = datetime(2016, 12, 1, 9, tzinfo=UTC)
    with store.session() as s:
        s.add(Organisation(name="Benchmark Peer Support"))
        activities = [Activity(name=f"Activity {n}", kind=ActivityKind.GROUP) for n in range(6)]
        venues = [Venue(name=f"Venue {n}") for n in range(5)]
        people = [
            {"id": new_id(), "preferred_name": f"Person {n:03}", "status": VolunteerStatus.ACTIVE}
            for n in range(SIZES["volunteers"])
        ]
        s.add_all([*activities, *venues])
        s.flush()
        s.execute(insert(Volunteer), people)
        shifts = [
            {
                "id": new_id(),
                "activity_id": rng.choice(activities).id,
                "venue_id": rng.choice(venues).id,
                "starts_at": start + timedelta(hours=n * 1.5),
                "ends_at": start + timedelta(hours=n * 1.5 + 2),
                "min_volunteers": 2,
                "max_volunteers": 3,
            }
            for n in range(SIZES["shifts"])
        ]
        s.execute(insert(Shift), shifts)
        s.execute(
            insert(Assignment),
            [
                {
                    "shift_id": sh["id"],
                    "volunteer_id": p["id"],
                    "status": AssignmentStatus.CONFIRMED,
                }
                for sh in shifts
                for p in rng.sample(people, rng.randint(0, 3))
            ],
        )
        s.execute(
            insert(SessionLog),
            [
                {
                    "volunteer_id": rng.choice(people)["id"],
                    "activity_id": rng.choice(activities).id,
                    "mode": SessionMode.IN_PERSON,
                    "started_at": start + timedelta(minutes=n * 50),
                    "ended_at": start + timedelta(minutes=n * 50 + 45),
                    "attendees": rng.randint(0, 9),
                }
                for n in range(SIZES["session logs"])
            ],
        )
    return "plain rows (the demo generator is not available yet)"


def open_list(store: Store, source: ListSource, sort: int | None = None, text: str = "") -> float:
    """Milliseconds from creating the model to its first page being in it."""
    started = time.perf_counter()
    model = PagedTableModel(source, store.read)
    if sort is not None:
        model.sort(sort, Qt.SortOrder.AscendingOrder)
    if text:
        model.set_filter(text)
    if model.rowCount() == 0:
        model.fetchMore(QModelIndex())
    took = (time.perf_counter() - started) * 1000
    assert model.rowCount() > 0, source.noun
    return took


def median_ms(run: Callable[[], float]) -> float:
    run()  # the first run warms SQLite's page cache, as any open list would have
    return statistics.median(run() for _ in range(REPEATS))


def main() -> int:
    cases: list[tuple[str, ListSource, dict[str, Any], bool]] = [
        ("volunteer list", areas.VOLUNTEERS, {}, True),
        ("shift list (whole history)", areas.SHIFTS, {}, True),
        ("shift list (from today)", areas.UPCOMING_SHIFTS, {}, False),
        ("shift list by venue", areas.SHIFTS, {"sort": 2}, False),
        ("shift list by activity", areas.SHIFTS, {"sort": 3}, False),
        ("shift list filtered 'venue 3'", areas.SHIFTS, {"text": "venue 3"}, False),
        ("session logs", areas.SESSION_LOGS, {}, False),
        ("session logs by volunteer", areas.SESSION_LOGS, {"sort": 3}, False),
        ("session logs filtered 'person 12'", areas.SESSION_LOGS, {"text": "person 12"}, False),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(DataFolder(Path(tmp) / "data"))
        try:
            began = time.perf_counter()
            what = fill_with_demo(store) or fill_plainly(store)
            print(f"data: {what}, made in {time.perf_counter() - began:.0f} s")
            missed = []
            for label, source, options, gated in cases:
                ms = median_ms(lambda s=source, o=options: open_list(store, s, **o))
                mark = "" if ms < TARGET_MS else "  (over target)"
                print(f"open {label}: {ms:.1f} ms{mark}")
                if gated and ms >= TARGET_MS:
                    missed.append(label)
        finally:
            store.close(backup=False)
    print(f"target: under {TARGET_MS:.0f} ms for the volunteer list and the shift list")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
