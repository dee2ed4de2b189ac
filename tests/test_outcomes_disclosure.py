"""The public outcome tables hold across releases: with every month, quarter, half-year and the
year of a year of invented feedback released one after another (each checked
against all before it, as a public export is), an attacker solving an integer programme over
every printed outcome count (written here, not the audit's model, and told more than the audit
is: each month's forms add up the same across dimensions, a period's people are at least any
part's and at most the sum of its months') recovers no hidden count and narrows none below the
protection interval. (Before the audit knew that people are at most their group's forms, this
attacker narrowed 18 cells.)"""

import itertools
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from peerdesk.services.outcomes import analysis
from peerdesk.services.outcomes.analysis import summarise
from peerdesk.services.outcomes.observation import OutcomeObservation
from peerdesk.services.reporting import disclosure
from peerdesk.services.reporting.ledger import ReleasedTable
from peerdesk.services.reporting.outcomes import PEOPLE, build_section
from peerdesk.services.reporting.periods import add_months, month_end, standard_periods
from peerdesk.services.reporting.public import released_tables

pytestmark = pytest.mark.slow
K = 5
FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)
ACTIVITIES = ("Drop-in group", "Walk and talk", "Women's circle", "Men's shed")
MODES = ("In person", "Phone", "Online")
LANGUAGES = ("English", "Polish", "Bengali", "Tigrinya")


def invented_feedback(seed: int = 19) -> list[OutcomeObservation]:
    """People who come to one or two activities, some for months, answering ONS4 and a peer
    question now and then; rare activities, modes and languages make small groups."""
    rng = np.random.default_rng(seed)
    found = []
    form = 0
    for p in range(36):
        home = ACTIVITIES[int(rng.choice(4, p=[0.55, 0.25, 0.12, 0.08]))]
        mode = MODES[int(rng.choice(3, p=[0.8, 0.12, 0.08]))]
        language = LANGUAGES[int(rng.choice(4, p=[0.7, 0.15, 0.1, 0.05]))]
        start = FIRST + timedelta(days=int(rng.integers(0, 330)))
        code = None if rng.random() < 0.1 else f"P{p:03d}"
        for visit in range(int(rng.integers(1, 6))):
            day = start + timedelta(days=int(visit * rng.integers(10, 60)))
            if day > LAST:
                break
            form += 1
            where = home if rng.random() < 0.8 else ACTIVITIES[int(rng.integers(0, 4))]
            for m in (*analysis.ONS4, "peer.understood"):
                found.append(
                    OutcomeObservation(
                        f"F{form:04d}", code, day, m, float(rng.integers(0, 11)), where, mode,
                        "Hall", day.weekday(), 11, {"language": language},
                    )
                )  # fmt: skip
    return found


def release_all(observations: list[OutcomeObservation]) -> list[ReleasedTable]:
    """Every standard period, one after another, as protect_release does it."""
    periods = [(m, month_end(m, 1)) for m in _months(FIRST, LAST)]
    periods += [(p.start, p.end) for p in standard_periods(FIRST, LAST, 4)]
    ledger: list[ReleasedTable] = []
    for start, end in periods:
        mine = [o for o in observations if start <= o.answered_on <= end]
        if not mine:
            continue
        summary = summarise(mine, start, end, K, 0)
        dimensions = ("activity", "mode", analysis.identity_dimension("language"))
        section = build_section(mine, summary, dimensions, {}, K, public=True)
        new = released_tables([section], start, end, K).tables
        final, _, _ = disclosure.protect(new, ledger, K, 4)
        ledger += final
    return ledger


def _months(first: date, last: date) -> list[date]:
    found, m = [], first
    while m <= last:
        found.append(m)
        m = add_months(m, 1)
    return found


class Attacker:
    def __init__(self, printed: list[ReleasedTable]) -> None:
        self.unknown: dict[tuple[object, ...], int] = {}
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self._limits: LinearConstraint | None = None
        for t in printed:
            for where, (low, high) in disclosure.printed_cells(t):
                self.rows.append((self.cell(t, where), low, np.inf if high is None else high))
        self._people_within_periods(printed)
        self._same_everyone(printed)
        self._people_at_most_forms(printed)

    def u(self, *key: object) -> int:
        return self.unknown.setdefault(key, len(self.unknown))

    def atoms(self, t: ReleasedTable, row: str) -> dict[int, float]:
        kind, dimension = t.key.split(":", 1)
        if t.key.startswith(PEOPLE):
            return {self.u(kind, dimension, row, t.start, t.end): 1.0}
        return {self.u(kind, dimension, row, m): 1.0 for m in _months(t.start, t.end)}

    def cell(self, t: ReleasedTable, where: tuple[int, int]) -> dict[int, float]:
        rows = t.rows if where[0] == -1 else (t.rows[where[0]],)
        e: dict[int, float] = defaultdict(float)
        for r in rows:
            for v, a in self.atoms(t, r).items():
                e[v] += a
        return dict(e)

    def everyone(self, t: ReleasedTable) -> dict[int, float]:
        return self.cell(t, (-1, 0))

    def _same_everyone(self, printed: list[ReleasedTable]) -> None:
        """Every dimension's table counts the same people in a period, the same forms in a
        month."""
        by: dict[object, list[dict[int, float]]] = defaultdict(list)
        for t in printed:
            if t.key.startswith(PEOPLE):
                by[("people", t.start, t.end)].append(self.everyone(t))
            else:
                for m in _months(t.start, t.end):
                    month = {self.u(*k[:3], row, m): 1.0 for k in [t.key.split(":", 1)]
                             for row in t.rows}  # fmt: skip
                    by[("forms", m)].append(month)
        for sums in by.values():
            for a, b in itertools.pairwise(sums):
                e: dict[int, float] = defaultdict(float, a)
                for v, c in b.items():
                    e[v] -= c
                self.rows.append((dict(e), 0.0, 0.0))

    def _people_at_most_forms(self, printed: list[ReleasedTable]) -> None:
        forms = {(t.key.split(":", 1)[1], t.start, t.end): t for t in printed
                 if not t.key.startswith(PEOPLE)}  # fmt: skip
        for t in printed:
            dimension = t.key.split(":", 1)[1]
            if not t.key.startswith(PEOPLE) or (dimension, t.start, t.end) not in forms:
                continue
            other = forms[(dimension, t.start, t.end)]
            for n, row in enumerate(t.rows):
                e = dict(self.cell(t, (n, 0)))
                if row in other.rows:
                    for v, c in self.cell(other, (other.rows.index(row), 0)).items():
                        e[v] = e.get(v, 0.0) - c
                self.rows.append((e, -np.inf, 0.0))

    def _people_within_periods(self, printed: list[ReleasedTable]) -> None:
        """A period's people are at least those of any period inside it, and at most the sum
        of the months' (each person answered in some month of it)."""
        people = [t for t in printed if t.key == PEOPLE + "activity"]
        for big, small in itertools.permutations(people, 2):
            if big.start <= small.start and small.end <= big.end:
                e = dict(self.everyone(small))
                for v, c in self.everyone(big).items():
                    e[v] = e.get(v, 0.0) - c
                self.rows.append((e, -np.inf, 0.0))
        months = {(t.start, t.end): t for t in people if t.end == month_end(t.start, 1)}
        for big in people:
            parts = [months.get((m, month_end(m, 1))) for m in _months(big.start, big.end)]
            if len(parts) > 1:
                e = dict(self.everyone(big))
                for part in parts:
                    for v, c in (self.everyone(part) if part else {}).items():
                        e[v] = e.get(v, 0.0) - c
                self.rows.append((e, -np.inf, 0.0))

    def range_of(self, e: dict[int, float]) -> tuple[float, float]:
        n = len(self.unknown)
        if self._limits is None:
            at = [(i, v, c) for i, (row, _l, _h) in enumerate(self.rows) for v, c in row.items()]
            a = csr_array(([c for *_, c in at], ([i for i, *_ in at], [v for _, v, _ in at])),
                          shape=(len(self.rows), n))  # fmt: skip
            self._limits = LinearConstraint(a, [r[1] for r in self.rows], [r[2] for r in self.rows])
        limits = self._limits
        cost = np.zeros(n)
        for v, c in e.items():
            cost[v] = c
        ends = []
        for sign in (1, -1):
            found = milp(sign * cost, constraints=limits, integrality=np.ones(n),
                         bounds=Bounds(0, np.inf))  # fmt: skip
            if sign == -1 and found.status in (3, 4):
                ends.append(np.inf)
                continue
            assert found.status == 0, found.message
            ends.append(sign * found.fun)
        return ends[0], ends[1]


@pytest.fixture(scope="module")
def printed() -> list[ReleasedTable]:
    return release_all(invented_feedback())


def test_an_attacker_with_every_public_outcome_release_recovers_nothing(
    printed: list[ReleasedTable],
) -> None:
    attacker = Attacker(printed)
    hidden = [
        (t, where)
        for t in printed
        for where, (low, high) in disclosure.printed_cells(t)
        if high is None or low != high
    ]
    assert len(hidden) > 50  # small groups are common: the check below is not empty
    p = disclosure.protection_interval(K)
    narrowed = []
    for t, where in hidden:
        low, high = attacker.range_of(attacker.cell(t, where))
        if high - low < p and high != 0:
            narrowed.append((t.key, t.start, t.end, where, low, high))
    assert narrowed == []


def test_the_outcome_tables_are_in_the_release(printed: list[ReleasedTable]) -> None:
    keys = {t.key for t in printed}
    assert keys == {
        "outcome_people:activity", "outcome_people:mode", "outcome_people:language",
        "outcome_responses:activity", "outcome_responses:mode",
    }  # fmt: skip
    shown = [b for t in printed for _w, b in disclosure.printed_cells(t) if b[0] == b[1]]
    assert all(b[0] == 0 or b[0] >= K for b in shown)  # nothing from 1 to 4 is printed
