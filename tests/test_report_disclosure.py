"""The two governance reports: the board's exact figures, only for coordinators and trustees; the
public report only for standard periods that are over; and, with the demo's quarters, halves,
years and financial years all released, an attacker solving over every public table (an integer
programme written here from the printed tables, not the audit's own model) recovers no hidden
count and narrows none below the protection interval."""

import itertools
import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pypdf
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.demo import generate_demo
from peerdesk.errors import ValidationError
from peerdesk.models import PublicRelease, UserRole
from peerdesk.reports.export import export_governance
from peerdesk.services.auth import SignedIn
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.reporting.disclosure import protection_interval
from peerdesk.services.reporting.figures import Audience, Period, governance_figures
from peerdesk.services.reporting.ledger import record_release
from peerdesk.services.reporting.periods import standard_periods
from tests.test_report_governance import person

TODAY = date(2026, 11, 26)
pytestmark = pytest.mark.today(TODAY)
K = 5  # the demo's threshold
FLOWS = {"attendances", "new_people", "concerns"}


@pytest.fixture
def demo(store: Store) -> Store:
    generate_demo(store, seed=7, size="small", today=TODAY)
    return store


@pytest.fixture
def boss(demo: Store) -> SignedIn:
    return person(demo, "coordinator", UserRole.COORDINATOR)


def release(boss: SignedIn, period: Period, code: str) -> None:
    """What a public export records, without laying out the PDF."""
    with boss.store.read() as s:
        figures = governance_figures(s, boss.actor, period, Audience.PUBLIC)
    with boss.store.session(boss.actor) as s:
        record_release(s, code, figures.released)


def months(start: date, end: date) -> list[date]:
    found, m = [], start
    while m <= end:
        found.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    return found


class Attacker:
    """Integer unknowns for what the tables count: a flow table's cells month by month, any
    other table's cells on the day after its period ends; the volunteers on the books at each
    such day move by those who joined and left in between; each equality question's answers
    add up to the volunteers on the books."""

    def __init__(self, printed: list[dict[str, object]]) -> None:
        self.unknown: dict[tuple[object, ...], int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.printed = printed
        for t in printed:
            for cell, (low, high) in t["cells"].items():  # type: ignore[attr-defined]
                self.rows.append((self.sum_of(t, cell), low, np.inf if high is None else high))
        stock = sorted(k for k in self.unknown if k[0] == "on books")
        for a, b in itertools.pairwise(stock):
            e = {self.u(*b): 1.0, self.u(*a): -1.0}
            for m in months(a[1], b[1] - timedelta(days=1)):
                e[self.u("Joined", m)] = -1.0
                e[self.u("Left", m)] = 1.0
            self.rows.append((e, 0.0, 0.0))

    def u(self, *key: object) -> int:
        return self.unknown.setdefault(key, len(self.unknown))

    def atoms(self, t: dict[str, object], row: str, col: str) -> dict[int, float]:
        key, start, end = t["key"], t["start"], t["end"]
        after = end + timedelta(days=1)  # type: ignore[operator]
        if key == "volunteers":
            if col in ("At start", "At end"):
                return {self.u("on books", start if col == "At start" else after): 1.0}
            return {self.u(col, m): 1.0 for m in months(start, end)}  # type: ignore[arg-type]
        if key in FLOWS:
            return {self.u(key, row, col, m): 1.0 for m in months(start, end)}  # type: ignore[arg-type]
        return {self.u(key, row, col, after): 1.0}

    def sum_of(self, t: dict[str, object], cell: tuple[str, str]) -> dict[int, float]:
        rows = t["rows"] if cell[0] == "*" else [cell[0]]
        cols = t["columns"] if cell[1] == "*" else [cell[1]]
        e: dict[int, float] = defaultdict(float)
        for r in rows:  # type: ignore[attr-defined]
            for c in cols:  # type: ignore[attr-defined]
                for v, a in self.atoms(t, r, c).items():
                    e[v] += a
        return dict(e)

    def link_equality(self) -> None:
        for t in self.printed:
            if str(t["key"]).startswith("equality:"):
                e = self.sum_of(t, ("*", "*"))
                e[self.u("on books", t["end"] + timedelta(days=1))] = -1.0  # type: ignore[operator]
                self.rows.append((e, 0.0, 0.0))

    def range_of(self, e: dict[int, float]) -> tuple[float, float]:
        n = len(self.unknown)
        a = np.zeros((len(self.rows), n))
        for i, (row, _low, _high) in enumerate(self.rows):
            for v, c in row.items():
                a[i, v] = c
        limits = LinearConstraint(a, [r[1] for r in self.rows], [r[2] for r in self.rows])
        cost = np.zeros(n)
        for v, c in e.items():
            cost[v] = c
        ends = []
        for sign in (1, -1):
            found = milp(sign * cost, constraints=limits, integrality=np.ones(n),
                         bounds=Bounds(0, np.inf))  # fmt: skip
            if sign == -1 and found.status in (3, 4):  # unbounded above
                ends.append(np.inf)
                continue
            assert found.status == 0, found.message
            ends.append(sign * found.fun)
        return ends[0], ends[1]


def printed_tables(store: Store) -> list[dict[str, object]]:
    """The ledger read as a reader would read the reports: each printed cell by its row and
    column labels ("*" for a total), with what its print says of it."""
    with store.read() as s:
        records = s.scalars(select(PublicRelease)).all()
        out = []
        for r in records:
            if r.table_key.startswith("outcome_"):
                continue  # attacked with their own shapes in tests/test_outcomes_disclosure.py
            data = json.loads(r.cells)
            cells = {}
            for i, row in enumerate(data["rows"]):
                for j, col in enumerate(data["columns"]):
                    cells[(row, col)] = tuple(data["cells"][i][j])
                if data["row_totals"]:
                    cells[(row, "*")] = tuple(data["row_totals"][i])
            if data["column_totals"]:
                for j, col in enumerate(data["columns"]):
                    cells[("*", col)] = tuple(data["column_totals"][j])
            if data["grand_total"]:
                cells[("*", "*")] = tuple(data["grand_total"])
            out.append(
                {
                    "key": r.table_key,
                    "start": r.period_start,
                    "end": r.period_end,
                    "rows": data["rows"],
                    "columns": data["columns"],
                    "cells": cells,
                }
            )
    return out


@pytest.mark.slow
def test_an_attacker_with_every_public_release_recovers_no_hidden_count(
    boss: SignedIn,
) -> None:
    first = date(2025, 1, 1)
    last = TODAY.replace(day=1) - timedelta(days=1)
    periods = standard_periods(first, last, financial_year_month=4)
    kinds = {p.kind.value for p in periods}
    assert kinds == {"quarter", "half-year", "calendar year", "financial year"}
    for n, p in enumerate(periods):
        release(boss, Period(p.start, p.end), f"GOV-TEST-{n:03d}")
    printed = printed_tables(boss.store)
    attacker = Attacker(printed)
    attacker.link_equality()
    hidden = [
        (t, cell)
        for t in printed
        for cell, (low, high) in t["cells"].items()  # type: ignore[attr-defined]
        if high is None or low != high
    ]
    assert len(hidden) > 50  # the small demo hides plenty: the check below is not empty
    p = protection_interval(K)
    narrowed = []
    for t, cell in hidden:
        low, high = attacker.range_of(attacker.sum_of(t, cell))
        # A count worked out as exactly zero identifies nobody (zero is printed anyway).
        if high - low < p and high != 0:
            narrowed.append((t["key"], t["start"], t["end"], cell, low, high))
    assert narrowed == []


def test_the_audit_hides_more_when_a_release_would_pin_an_earlier_one(boss: SignedIn) -> None:
    """The two quarters of a half-year, then the half-year: without the audit, its printed
    totals less one quarter's would give the other's hidden counts."""
    release(boss, Period(date(2025, 7, 1), date(2025, 9, 30)), "GOV-Q3")
    release(boss, Period(date(2025, 10, 1), date(2025, 12, 31)), "GOV-Q4")
    with boss.store.read() as s:
        half = governance_figures(
            s, boss.actor, Period(date(2025, 7, 1), date(2025, 12, 31)), Audience.PUBLIC
        )
    assert half.audit is not None
    assert half.audit.releases_checked > 0
    assert half.audit.extra_hidden > 0
    assert half.audit.narrowest is None or half.audit.narrowest >= protection_interval(K)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 11, 11), date(2025, 11, 11)),  # one day
        (date(2025, 7, 8), date(2025, 10, 7)),  # a quarter moved by a week
        (date(2025, 2, 1), date(2025, 4, 30)),  # three months, not a quarter
        (date(2025, 6, 1), date(2026, 5, 31)),  # a year from June: not the financial year
    ],
)
def test_a_public_report_of_any_other_period_cannot_be_made(
    boss: SignedIn, tmp_path: Path, start: date, end: date
) -> None:
    with pytest.raises(ValidationError, match="whole month, quarter, half-year"):
        export_governance(boss, Period(start, end), tmp_path / "p.pdf", audience=Audience.PUBLIC)
    assert not (tmp_path / "p.pdf").exists()
    with boss.store.read() as s:
        assert s.scalars(select(PublicRelease)).all() == []


def test_a_public_report_waits_for_its_period_to_end(boss: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="once its period is over"):
        export_governance(
            boss,
            Period(date(2026, 10, 1), date(2026, 12, 31)),
            tmp_path / "p.pdf",
            audience=Audience.PUBLIC,
        )


def test_the_public_report_prints_what_its_audit_did(boss: SignedIn, tmp_path: Path) -> None:
    release(boss, Period(date(2025, 4, 1), date(2025, 6, 30)), "GOV-Q2")
    out = tmp_path / "fy.pdf"
    export_governance(
        boss, Period(date(2025, 4, 1), date(2026, 3, 31)), out, audience=Audience.PUBLIC
    )
    words = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(out).pages)
    with boss.store.read() as s:
        ledger = s.scalars(select(PublicRelease)).all()
    earlier = sum(r.report_code == "GOV-Q2" for r in ledger)
    assert f"checked together with {earlier} tables of earlier public reports" in words
    assert "This one covers a financial year" in words
    assert "equality form" in words and " of 1" not in words  # no "N of M filled in"
    assert "%" not in words
    assert "Confidential" not in words
    # The export went into the ledger with it.
    assert {r.report_code for r in ledger} - {"GOV-Q2"}


def test_the_board_report_is_exact_and_marked_on_every_page(boss: SignedIn, tmp_path: Path) -> None:
    out = tmp_path / "board.pdf"
    period = Period(date(2025, 6, 3), date(2025, 6, 3))  # any period will do for the board
    export_governance(boss, period, out)
    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    assert all("Confidential — for the board" in page for page in pages)
    assert not any("<5" in page or "[c]" in page for page in pages)
    with boss.store.read() as s:
        assert s.scalars(select(PublicRelease)).all() == []  # not a public release


def test_at_end_is_at_start_plus_joined_less_left_in_every_board_report(
    boss: SignedIn,
) -> None:
    with boss.store.read() as s:
        for first in months(date(2025, 1, 1), date(2026, 10, 1)):
            end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            figures = governance_figures(s, boss.actor, Period(first, end))
            row = figures.section("volunteers").table("Volunteers on the books").rows[0][1]
            at_start, joined, left, at_end = (c.value for c in row)
            assert at_start is not None and joined is not None and left is not None
            assert at_end == at_start + joined - left


@pytest.mark.parametrize("role", [UserRole.VOLUNTEER, UserRole.SUPERVISOR])
@pytest.mark.parametrize("audience", list(Audience))
def test_only_coordinators_and_trustees_get_any_figures(
    demo: Store, role: UserRole, audience: Audience
) -> None:
    someone = person(demo, role.value, role)
    with demo.read() as s, pytest.raises(PermissionDenied):
        governance_figures(s, someone.actor, Period(date(2025, 4, 1), date(2025, 6, 30)), audience)


def test_a_trustee_gets_the_board_figures(demo: Store) -> None:
    trustee = person(demo, "trustee", UserRole.TRUSTEE)
    with demo.read() as s:
        figures = governance_figures(s, trustee.actor, Period(date(2025, 4, 1), date(2025, 6, 30)))
    assert figures.threshold == 1
    shown = [c for sec in figures.sections for t in sec.tables for _l, row in t.table.rows
             for c in row]  # fmt: skip
    assert all(c.text not in ("<5", "[c]") for c in shown)


def test_a_board_report_of_a_period_not_over_says_so(boss: SignedIn, tmp_path: Path) -> None:
    coming = Period(date(2027, 1, 1), date(2027, 3, 31))
    current = Period(date(2026, 10, 1), date(2026, 12, 31))
    done = Period(date(2026, 7, 1), date(2026, 9, 30))
    with boss.store.read() as s:
        assert "has not begun yet" in (governance_figures(s, boss.actor, coming).notice or "")
        assert "not over yet" in (governance_figures(s, boss.actor, current).notice or "")
        assert governance_figures(s, boss.actor, done).notice is None
    out = tmp_path / "coming.pdf"
    export_governance(boss, coming, out)
    first_page = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "This period has not begun yet" in first_page
