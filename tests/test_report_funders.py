"""What funders ask for, on the board report beside the period before: each figure counted
again here from the records, and the public report leaves the table out (it is not audited)."""

import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.errors import ValidationError
from peerdesk.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    LoneWorkingCheck,
    Organisation,
    SafeguardingConcern,
    Shift,
    SupervisionSession,
    UserRole,
)
from peerdesk.reports.export import export_governance
from peerdesk.services.auth import SignedIn
from peerdesk.services.organisation import set_volunteer_hour_value
from peerdesk.services.reporting.figures import Audience, Period, governance_figures
from peerdesk.services.reporting.funders import KEY, TITLE, previous_period
from peerdesk.services.reporting.volunteer_time import NOT_TAGGED
from tests.test_report_governance import LONDON, PERIOD, TODAY, pdf_lines, person

pytestmark = pytest.mark.today(TODAY)


@pytest.fixture
def coordinator_of(store: Store) -> SignedIn:
    generate_demo(store, seed=7, size="small", today=TODAY)
    return person(store, "coordinator", UserRole.COORDINATOR)


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    first = datetime(start.year, start.month, start.day, tzinfo=LONDON)
    after = datetime(end.year, end.month, end.day, tzinfo=LONDON) + timedelta(days=1)
    return first.astimezone(UTC), after.astimezone(UTC)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def counted(person: SignedIn, start: date, end: date, margin: int) -> list[str]:
    """The table's column for `start`..`end`, worked out row by row from the records."""
    since, until = utc_bounds(start, end)
    with person.store.read() as s:
        shifts = {sh.id for sh in s.scalars(select(Shift)) if since <= aware(sh.starts_at) < until}
        places = [a for a in s.scalars(select(Assignment)) if a.shift_id in shifts]
        taken = set(s.scalars(select(Assignment.covering_id)))
        checks = [
            c
            for c in s.scalars(select(LoneWorkingCheck))
            if since <= aware(c.checked_in_at) < until
        ]
        held = [x for x in s.scalars(select(SupervisionSession)) if start <= x.held_on <= end]
        closed = [
            c
            for c in s.scalars(select(SafeguardingConcern))
            if c.closed_at is not None and since <= aware(c.closed_at) < until
        ]
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=LONDON)
    late = timedelta(minutes=margin)
    missed = [
        c
        for c in checks
        if (c.checked_out_at is None and aware(c.expected_end_at) + late < now)
        or (
            c.checked_out_at is not None
            and aware(c.checked_out_at) > aware(c.expected_end_at) + late
        )
    ]
    days = [max(0.0, (aware(c.closed_at) - aware(c.occurred_at)).total_seconds() / 86400)
            for c in closed if c.closed_at is not None]  # fmt: skip
    values = [
        sum(a.status is AssignmentStatus.NO_SHOW for a in places),
        sum(a.status is AssignmentStatus.COVER_REQUESTED or a.id in taken for a in places),
        len(checks),
        len(missed),
        len(held),
        len(closed),
    ]
    median = f"{statistics.median(days):.1f}" if days else "none closed"
    return [f"{v:,}" for v in values] + [median]


def test_each_figure_and_the_period_before_match_the_records(
    coordinator_of: SignedIn, tmp_path: Path
) -> None:
    with coordinator_of.store.read() as s:
        figures = governance_figures(s, coordinator_of.actor, PERIOD)
        margin = s.scalars(select(Organisation.lone_working_margin_minutes)).one()
    table = figures.section(KEY).tables[0].table
    before = previous_period(PERIOD.start, PERIOD.end)
    assert before == (date(2024, 6, 1), date(2025, 5, 31))
    asked = table.rows[:7]  # then the volunteer hours and their value (below)
    this = [cells[0].text for _label, cells in asked]
    then = [cells[1].text for _label, cells in asked]
    assert this == counted(coordinator_of, PERIOD.start, PERIOD.end, margin)
    assert then == counted(coordinator_of, *before, margin)
    assert any(v not in ("0", "none closed") for v in this)  # the demo has some of each kind
    out = tmp_path / "board.pdf"
    export_governance(coordinator_of, PERIOD, out)
    assert TITLE in pdf_lines(out)


def test_the_public_report_leaves_it_out(coordinator_of: SignedIn) -> None:
    quarter = Period(date(2026, 4, 1), date(2026, 6, 30))
    with coordinator_of.store.read() as s:
        figures = governance_figures(s, coordinator_of.actor, quarter, Audience.PUBLIC)
    assert KEY not in {section.key for section in figures.sections}


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        (date(2026, 4, 1), date(2026, 6, 30), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 1, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 1, 10), date(2026, 1, 19), (date(2025, 12, 31), date(2026, 1, 9))),
    ],
)
def test_the_period_before_is_the_same_kind(
    start: date, end: date, before: tuple[date, date]
) -> None:
    assert previous_period(start, end) == before


def test_volunteer_time_is_valued_and_split_by_funder(coordinator_of: SignedIn) -> None:
    """The hours are the activity section's, valued at the organisation's rate; once
    activities name a funder or project, the work is split by it and adds up."""
    with coordinator_of.store.read() as s:
        figures = governance_figures(s, coordinator_of.actor, PERIOD)
    asked = figures.section(KEY)
    hours = figures.section("activity").headline("Volunteer hours").text
    assert asked.tables[0].table.cell("Volunteer hours", "This period").text == hours
    assert asked.tables[0].table.cell("Value of volunteer time", "This period").text == (
        "no rate set"
    )
    assert len(asked.tables) == 1  # no activity names a funder yet: nothing to split
    with coordinator_of.store.session(coordinator_of.actor) as s:
        set_volunteer_hour_value(s, coordinator_of.actor, "£12.50")
        names = sorted(s.scalars(select(Activity)), key=lambda a: a.name)
        names[0].funded_by = "Lottery"
        names[1].funded_by = "NHS ICB"
    with coordinator_of.store.read() as s:
        figures = governance_figures(s, coordinator_of.actor, PERIOD)
    before, split = figures.section(KEY).tables
    worked = float(hours.replace(",", ""))
    assert before.table.cell("Value of volunteer time", "This period").text == (
        f"£{round(worked * 12.5):,}"
    )
    assert "£12.50 an hour" in split.method
    labels = split.table.row_labels()
    assert labels[:2] == ("Lottery", "NHS ICB") and labels[-1] == "Total"
    shares = [float(cells[2].text.replace(",", "")) for _label, cells in split.table.rows[:-1]]
    assert abs(sum(shares) - worked) < 0.1 * len(shares)
    assert split.table.cell("Total", "Volunteer hours").text == hours
    sessions = [cells[0].value or 0 for label, cells in split.table.rows[:-1]]
    assert sum(sessions) == split.table.cell("Total", "Sessions").value
    assert NOT_TAGGED in labels or len(names) == 2


def test_a_rate_that_is_not_money_is_refused(coordinator_of: SignedIn) -> None:
    with coordinator_of.store.session(coordinator_of.actor) as s:
        with pytest.raises(ValidationError, match="pounds and pence"):
            set_volunteer_hour_value(s, coordinator_of.actor, "twelve")
        with pytest.raises(ValidationError, match="pounds and pence"):
            set_volunteer_hour_value(s, coordinator_of.actor, "0.001")
        assert set_volunteer_hour_value(s, coordinator_of.actor, " ") is None
