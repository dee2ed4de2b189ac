"""The demo generator: sizes, determinism, refusing a used database, and the data obeying the
rules a real group's data would (no sessions logged in the future, leavers with leaving dates,
shifts keeping their local time across the clock changes, a clean integrity check)."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Table, func, select, text

from peerdesk.dates import utc_from_local
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.demo import DemoSummary, generate_demo
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Assignment,
    AssignmentStatus,
    Base,
    ConcernStatus,
    SafeguardingConcern,
    SessionLog,
    Shift,
    ShiftPattern,
    SupervisionAction,
    User,
    Volunteer,
    VolunteerStatus,
)
from peerdesk.services.organisation import create_organisation
from tests.conftest import TEST_SECRET, TEST_USER, copy_folder

TODAY = date(2026, 11, 26)  # the small demo then spans both clock changes of 2025-26
pytestmark = pytest.mark.today(TODAY)  # the fixed data below is built around this day
LONDON = ZoneInfo("Europe/London")
COMPARED_TABLES = ("volunteers", "shifts", "assignments", "session_logs", "supervision_sessions")


@pytest.fixture
def demo(store: Store) -> tuple[Store, DemoSummary]:
    return store, generate_demo(store, seed=7, size="small", today=TODAY)


@pytest.fixture
def another_store(tmp_path: Path, template_folder: DataFolder) -> Iterator[Store]:
    folder = DataFolder(tmp_path / "other")
    copy_folder(template_folder, folder)
    opened = Store.open(Vault.unlock(folder, TEST_USER, TEST_SECRET)[0])
    yield opened
    opened.close(backup=False)


def table_rows(store: Store, name: str) -> list[tuple[Any, ...]]:
    table: Table = Base.metadata.tables[name]
    with store.read() as s:
        return [tuple(row) for row in s.execute(select(table).order_by(*table.primary_key))]


def count(store: Store, model: type[Base]) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_small_demo_has_a_small_group_s_worth_of_everything(
    demo: tuple[Store, DemoSummary],
) -> None:
    store, summary = demo
    assert 20 <= summary.volunteers <= 30
    assert 500 <= summary.shifts <= 1500
    assert summary.assignments > summary.shifts
    assert 600 <= summary.session_logs <= 3000
    assert 50 <= summary.supervision_sessions <= 400
    assert 100 <= summary.training_completions <= 800
    assert 3 <= summary.concerns <= 12
    assert summary.users == 4
    assert summary.volunteers == count(store, Volunteer)
    assert summary.session_logs == count(store, SessionLog)
    assert summary.total > 3000


def test_same_seed_and_day_give_identical_data(store: Store, another_store: Store) -> None:
    generate_demo(store, seed=3, today=TODAY)
    generate_demo(another_store, seed=3, today=TODAY)
    for name in COMPARED_TABLES:
        assert table_rows(store, name) == table_rows(another_store, name), name


def test_a_different_seed_gives_different_data(store: Store, another_store: Store) -> None:
    generate_demo(store, seed=3, today=TODAY)
    generate_demo(another_store, seed=4, today=TODAY)
    assert table_rows(store, "volunteers") != table_rows(another_store, "volunteers")


def test_refuses_a_database_that_already_holds_an_organisation(store: Store) -> None:
    with store.session() as s:
        create_organisation(s, "Real Group")
    with pytest.raises(ValidationError, match="already holds an organisation"):
        generate_demo(store, today=TODAY)
    assert count(store, Volunteer) == 0


def test_reports_progress_stage_by_stage(store: Store) -> None:
    calls: list[tuple[str, int, int]] = []
    record: Callable[[str, int, int], None] = lambda *call: calls.append(call)  # noqa: E731
    generate_demo(store, today=TODAY, progress=record)
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and done[0] == 0 and done[-1] == calls[-1][2]
    assert len(calls) >= 5


def test_no_session_is_logged_in_the_future(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    with store.read() as s:
        latest = s.scalar(select(func.max(SessionLog.ended_at)))
        latest_created = s.scalar(select(func.max(SessionLog.created_at)))
    assert latest is not None and latest_created is not None
    assert latest <= utc_from_local(TODAY, 0, 0)
    assert latest_created <= utc_from_local(TODAY, 9, 0)


def test_every_leaver_has_a_leaving_date(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    with store.read() as s:
        leavers = s.execute(
            select(Volunteer.left_on, Volunteer.leaving_reason).where(
                Volunteer.status == VolunteerStatus.LEFT
            )
        ).all()
        still_here = s.scalar(
            select(func.count()).where(
                Volunteer.status != VolunteerStatus.LEFT, Volunteer.left_on.is_not(None)
            )
        )
    assert leavers and all(left_on is not None and reason for left_on, reason in leavers)
    assert still_here == 0


def weekly_ten_o_clock_starts(store: Store) -> list[Any]:
    with store.read() as s:
        pattern_id = s.scalar(
            select(ShiftPattern.id).where(ShiftPattern.rrule == "FREQ=WEEKLY;BYDAY=TU")
        )
        return list(s.scalars(select(Shift.starts_at).where(Shift.pattern_id == pattern_id)))


@pytest.mark.parametrize(
    ("before", "after"),
    [(date(2026, 3, 24), date(2026, 3, 31)), (date(2025, 10, 21), date(2025, 10, 28))],
    ids=["end of March", "end of October"],
)
def test_a_ten_o_clock_shift_stays_at_ten_across_the_clock_change(
    demo: tuple[Store, DemoSummary], before: date, after: date
) -> None:
    store, _ = demo
    starts = {start.astimezone(LONDON).date(): start for start in weekly_ten_o_clock_starts(store)}
    for day in (before, after):
        assert starts[day].astimezone(LONDON).hour == 10
        assert starts[day].tzinfo is not None
    # The same wall-clock time is a different UTC hour either side of the change.
    assert starts[before].hour != starts[after].hour


def test_uses_every_assignment_concern_and_action_status(demo: tuple[Store, DemoSummary]) -> None:
    store, _ = demo
    with store.read() as s:
        assignments = set(s.scalars(select(Assignment.status).distinct()))
        concerns = set(s.scalars(select(SafeguardingConcern.status).distinct()))
        actions = set(s.scalars(select(SupervisionAction.status).distinct()))
        linked = s.scalar(select(Volunteer.status).join(User, User.volunteer_id == Volunteer.id))
    assert assignments == set(AssignmentStatus)
    assert concerns == set(ConcernStatus)
    assert len(actions) == 3
    assert linked is VolunteerStatus.ACTIVE


@pytest.mark.file_only
def test_leaves_a_database_that_passes_its_integrity_checks(
    demo: tuple[Store, DemoSummary],
) -> None:
    store, _ = demo
    with store.read() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
