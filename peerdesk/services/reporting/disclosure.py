"""Disclosure control across releases: the interval-protection audit statistical offices run.

Every public table ever released (the ledger) and the one about to be released are written as
linear constraints over what they count, the way a reader putting the reports side by side
would: a month's attendances appear in the month, its quarter, its half-year and its year, so
the quarter is the sum of its months; the volunteers on the books at the start of a period plus
those who joined, less those who left, are those on the books at its end, and a period's end is
the next one's start; each equality table adds up to the volunteers on the books. A printed
count fixes its expression; "<k" bounds it to 1..k-1; "[c]" says only that it is a count.

For each hidden cell a linear programme (HiGHS, through SciPy) finds the smallest and largest
value consistent with everything printed. Where the two are less than the protection interval
apart, one more count of the new release is hidden and the cells are checked again, until every
hidden cell holds (hiding more only widens the ranges, so a cell that holds keeps holding).

Tables are grouped in families that share what they count; families are independent, so each is
solved on its own.
"""

import enum
import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

# The HiGHS that scipy.optimize.linprog runs, used directly: the model is loaded once and only
# the objective changes between questions (linprog rebuilds it and re-checks every option on
# each call, about a tenth of a second each on a busy machine).
from scipy.optimize._highspy import _core as _highs

from peerdesk.services.reporting.ledger import Bounds, ReleasedTable, is_hidden
from peerdesk.services.reporting.periods import add_months, standard_periods

# Where a cell sits in its table: row i, column j; -1 is the total row or column.
Where = tuple[int, int]
# A cell of one release: (table number in the list given, row, column).
Address = tuple[int, int, int]
Expression = dict[int, float]
TOLERANCE = 1e-6
INF = float("inf")


class Shape(enum.Enum):
    FLOW = "counted over the period"  # additive over months
    STOCK = "counted on the last day"  # a state at the end of the period
    BALANCE = "at start + joined - left = at end"
    DISTINCT = "people counted once in the period"  # not additive over months


AT_START, JOINED, LEFT, AT_END = "At start", "Joined", "Left", "At end"
VOLUNTEERS = "volunteers"
EQUALITY = "equality:"
FLOW_KEYS = frozenset({"attendances", "new_people", "one_to_one", "concerns"})
# The outcome section's tables (+ the dimension): forms add up over months; people do not
# (someone who answered in two months is one person in their quarter).
OUTCOME_FORMS, OUTCOME_PEOPLE = "outcome_responses:", "outcome_people:"
FORMS_COLUMN = "Forms"
# Tables whose counts are tied to another family's: grouped with it.
FAMILY_OF = {"new_people": "attendances", "training_expiring": "training", "dbs_due": "dbs"}
# (smaller, larger, the larger's column): each cell of the first is at most its row's in the
# second, which a reader knows (new people are among the attendances, and so on).
AT_MOST = (
    ("new_people", "attendances", None),
    ("training_expiring", "training", "In date"),
    ("dbs_due", "dbs", "DBS in place"),
)


def shape(key: str) -> Shape:
    if key == VOLUNTEERS:
        return Shape.BALANCE
    if key.startswith(OUTCOME_PEOPLE):
        return Shape.DISTINCT
    return Shape.FLOW if key in FLOW_KEYS or key.startswith(OUTCOME_FORMS) else Shape.STOCK


def family(key: str) -> str:
    if key.startswith(EQUALITY):
        return VOLUNTEERS
    if key.startswith((OUTCOME_FORMS, OUTCOME_PEOPLE)):
        return OUTCOME_FORMS  # people are at most their group's forms: one family
    return FAMILY_OF.get(key, key)


def protection_interval(k: int) -> int:
    """How far apart the smallest and largest value of a hidden count must stay: for k = 5,
    3, so a "<5" must stay anywhere from 1 to 4; for k = 10, 6."""
    return k // 2 + 1


@dataclass(frozen=True)
class AuditResult:
    releases_checked: int  # earlier tables in the ledger the new release was checked with
    cells_checked: int
    extra_hidden: int  # counts hidden by this audit beyond each table's own suppression
    narrowest: int | None  # the smallest range left for any hidden count (None: unbounded)
    protection: int
    withheld: tuple[str, ...]  # table keys withheld whole: records changed since a release


@functools.cache
def months_of(start: date, end: date) -> tuple[date, ...]:
    # Cached: every cell of every table of a period asks for the same months.
    months, month = [], date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return tuple(months)


class FamilyModel:
    """The linear constraints a reader can write down from the printed tables of one family,
    loaded once into HiGHS; each question changes only the objective."""

    def __init__(self, tables: Sequence[ReleasedTable], virtual: int = 0) -> None:
        """`virtual`: how many of the last tables are periods nobody printed, added only to be
        asked about (they constrain nothing and say nothing of absent rows)."""
        self.tables = list(tables)
        self._expressions: dict[tuple[int, Where], Expression] = {}
        real = len(tables) - virtual
        self.index: dict[tuple[object, ...], int] = {}
        self.rows: list[tuple[Expression, float, float]] = []
        self.printed_row: dict[tuple[int, Where], int] = {}
        labels: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for t in tables[:real]:
            labels[t.key] |= {(r, c) for r in t.rows for c in t.columns}
        for n, t in enumerate(tables):
            for where, b in printed_cells(t):
                self.printed_row[(n, where)] = len(self.rows)
                self.rows.append((self.cell(n, where), *_limits(b)))
            if n < real:
                present = {(r, c) for r in t.rows for c in t.columns}
                self._absent_are_zero(t, labels[t.key] - present)
        self._balance()
        self._equality_adds_up()
        self._same_totals()
        self._people_at_most_forms()
        self._at_most()
        self._solver = _load(self.rows, len(self.index))
        self._costed: list[int] = []
        self.exact: dict[tuple[int, Where], int] = {}  # hidden cells worked out exactly

    def var(self, *key: object) -> int:
        return self.index.setdefault(key, len(self.index))

    def inner(self, t: ReleasedTable, row: str, column: str) -> Expression:
        kind = shape(t.key)
        if kind is Shape.BALANCE and column in (AT_START, AT_END):
            day = t.start if column == AT_START else t.end + timedelta(days=1)
            return {self.var(VOLUNTEERS, row, "stock", day): 1.0}
        if kind is Shape.STOCK:
            return {self.var(t.key, row, column, t.end + timedelta(days=1)): 1.0}
        if kind is Shape.DISTINCT:
            return {self.var(t.key, row, column, t.start, t.end): 1.0}
        return {self.var(t.key, row, column, m): 1.0 for m in months_of(t.start, t.end)}

    def cell(self, n: int, where: Where) -> Expression:
        """The expression of table `n`'s cell (remembered: hiding a cell changes only its
        bounds, never what it counts)."""
        found = self._expressions.get((n, where))
        if found is None:
            found = self._expressions[(n, where)] = self.expression(self.tables[n], where)
        return found

    def expression(self, t: ReleasedTable, where: Where) -> Expression:
        i, j = where
        rows = range(len(t.rows)) if i == -1 else (i,)
        columns = range(len(t.columns)) if j == -1 else (j,)
        total: Expression = defaultdict(float)
        for r in rows:
            for c in columns:
                for v, a in self.inner(t, t.rows[r], t.columns[c]).items():
                    total[v] += a
        return dict(total)

    def _absent_are_zero(self, t: ReleasedTable, absent: set[tuple[str, str]]) -> None:
        """A row or column a table leaves out (an activity with no sessions in the period)
        was nothing in that period."""
        if shape(t.key) is Shape.BALANCE:
            return
        for row, column in absent:
            for v in self.inner(t, row, column):
                self.rows.append(({v: 1.0}, 0.0, 0.0))

    def _balance(self) -> None:
        """On the books at one date + joined - left up to the next = on the books then."""
        stocks = sorted(
            (k[3], k[1], v) for k, v in self.index.items() if k[0] == VOLUNTEERS and k[2] == "stock"
        )
        by_row: dict[object, list[tuple[date, int]]] = defaultdict(list)
        for day, row, v in stocks:
            by_row[row].append((day, v))  # type: ignore[arg-type]
        for row, days in by_row.items():
            for (d1, s1), (d2, s2) in itertools.pairwise(days):
                e: Expression = {s2: 1.0, s1: -1.0}
                for m in months_of(d1, d2 - timedelta(days=1)):
                    e[self.var(VOLUNTEERS, row, JOINED, m)] = -1.0
                    e[self.var(VOLUNTEERS, row, LEFT, m)] = 1.0
                self.rows.append((e, 0.0, 0.0))

    def _equality_adds_up(self) -> None:
        """Each equality question's answers add up to the volunteers on the books at the end."""
        for t in self.tables:
            if t.key.startswith(EQUALITY):
                e = self.expression(t, (-1, -1))
                e[self.var(VOLUNTEERS, "Volunteers", "stock", t.end + timedelta(days=1))] = -1.0
                self.rows.append((e, 0.0, 0.0))

    def _same_totals(self) -> None:
        """Tables of one family by different dimensions (an outcome table by activity, by mode)
        count the same forms or people of a period: their totals are equal."""
        first: dict[tuple[bool, date, date], Expression] = {}
        for t in self.tables:
            if not t.key.startswith((OUTCOME_FORMS, OUTCOME_PEOPLE)):
                continue
            e = self.expression(t, (-1, -1))
            same = (t.key.startswith(OUTCOME_PEOPLE), t.start, t.end)
            if same not in first:
                first[same] = e
                continue
            both: Expression = defaultdict(float, e)
            for v, a in first[same].items():
                both[v] -= a
            self.rows.append((dict(both), 0.0, 0.0))

    def _people_at_most_forms(self) -> None:
        """The people in an outcome group each answered at least one of its forms (their last
        one is there), so they are at most the group's forms in the period."""
        for t in self.tables:
            if not t.key.startswith(OUTCOME_PEOPLE):
                continue
            forms = OUTCOME_FORMS + t.key[len(OUTCOME_PEOPLE) :]
            for row in t.rows:
                e: Expression = defaultdict(float)
                for column in t.columns:
                    for v, a in self.inner(t, row, column).items():
                        e[v] += a
                for m in months_of(t.start, t.end):
                    e[self.var(forms, row, FORMS_COLUMN, m)] -= 1.0
                self.rows.append((dict(e), -INF, 0.0))

    def _at_most(self) -> None:
        for small, large, column in AT_MOST:
            for key, v in list(self.index.items()):
                if key[0] != small:
                    continue
                peer = (large, key[1], column, key[3])
                if peer in self.index:
                    self.rows.append(({v: 1.0, self.index[peer]: -1.0}, -INF, 0.0))

    def hide(self, n: int, where: Where) -> None:
        """The cell is printed as "[c]" now: it says only that it is a count."""
        self.tables[n] = with_bounds(self.tables[n], where, (0, None))
        self._solver.changeRowBounds(self.printed_row[(n, where)], 0.0, INF)

    def range_of(self, e: Expression) -> tuple[int, int | None] | None:
        """The smallest and largest whole value of `e` consistent with every constraint;
        None when the constraints contradict each other (records changed since a release)."""
        self._objective(e)
        low = self._run(_highs.ObjSense.kMinimize)
        if low is None:
            return None
        high = self._run(_highs.ObjSense.kMaximize)
        top = None if high is None else math.floor(high + TOLERANCE)
        return math.ceil(low - TOLERANCE), top

    def _objective(self, e: Expression) -> None:
        stale = [v for v in self._costed if v not in e]
        idx = np.array([*stale, *e], dtype=np.int32)
        cost = np.array([0.0] * len(stale) + list(e.values()))
        self._solver.changeColsCost(len(idx), idx, cost)
        self._costed = list(e)

    def _run(self, sense: Any) -> float | None:
        """The optimum; None when there is none (infeasible, or unbounded above)."""
        self._solver.changeObjectiveSense(sense)
        self._solver.run()
        status = self._solver.getModelStatus()
        if status != _highs.HighsModelStatus.kOptimal:
            return None
        return float(self._solver.getInfo().objective_function_value)


def _limits(b: Bounds) -> tuple[float, float]:
    low, high = b
    return float(low), INF if high is None else float(high)


def _load(rows: Sequence[tuple[Expression, float, float]], n: int) -> Any:
    solver = _highs._Highs()
    solver.setOptionValue("output_flag", False)
    empty = np.array([], dtype=np.int32)
    solver.addCols(n, np.zeros(n), np.zeros(n), np.full(n, INF), 0, empty, empty, np.array([]))
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for e, _low, _high in rows:
        starts.append(len(index))
        index += list(e)
        value += list(e.values())
    solver.addRows(
        len(rows),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=np.float64),
    )
    return solver


def printed_cells(t: ReleasedTable) -> Iterable[tuple[Where, Bounds]]:
    for i, row in enumerate(t.cells):
        for j, b in enumerate(row):
            yield (i, j), b
    if t.row_totals is not None:
        for i, b in enumerate(t.row_totals):
            yield (i, -1), b
    if t.column_totals is not None:
        for j, b in enumerate(t.column_totals):
            yield (-1, j), b
    if t.grand_total is not None:
        yield (-1, -1), t.grand_total


def bounds_at(t: ReleasedTable, where: Where) -> Bounds:
    i, j = where
    if i >= 0 and j >= 0:
        return t.cells[i][j]
    if i >= 0:
        return t.row_totals[i]  # type: ignore[index]
    if j >= 0:
        return t.column_totals[j]  # type: ignore[index]
    return t.grand_total  # type: ignore[return-value]


def with_bounds(t: ReleasedTable, where: Where, b: Bounds) -> ReleasedTable:
    i, j = where
    if i >= 0 and j >= 0:
        cells = [list(row) for row in t.cells]
        cells[i][j] = b
        return replace(t, cells=tuple(tuple(row) for row in cells))
    if i >= 0:
        totals = list(t.row_totals or ())
        totals[i] = b
        return replace(t, row_totals=tuple(totals))
    if j >= 0:
        totals = list(t.column_totals or ())
        totals[j] = b
        return replace(t, column_totals=tuple(totals))
    return replace(t, grand_total=b)


def narrow_cells(
    model: FamilyModel,
    cells: Iterable[tuple[int, Where]],
    protection: int,
    k: int,
    virtual_from: int | None = None,
) -> tuple[list[tuple[int, Where, int | None]], list[tuple[int, Where, int | None]], bool]:
    """Check hidden `cells` (table number, where) of one family: those whose range is narrower
    than `protection`, those that hold, and whether the tables contradict each other. Cells of
    tables from `virtual_from` on were never printed: they fail only if a count that may be
    small (below k, not a known zero) is narrowed."""
    failing: list[tuple[int, Where, int | None]] = []
    holding: list[tuple[int, Where, int | None]] = []
    for n, where in cells:
        found = model.range_of(model.cell(n, where))
        if found is None:
            return [], [], True
        low, high = found
        width = None if high is None else high - low
        if width == 0:
            model.exact[(n, where)] = low
        else:  # hiding more since may have loosened it
            model.exact.pop((n, where), None)
        # Worked out as exactly zero identifies nobody: zero is printed anyway.
        narrow = width is not None and width < protection and high != 0
        if virtual_from is not None and n >= virtual_from:
            narrow = narrow and low < k and high != 0
        (failing if narrow else holding).append((n, where, width))
    return failing, holding, False


def protect(
    new: Sequence[ReleasedTable],
    earlier: Sequence[ReleasedTable],
    k: int,
    financial_year_month: int = 4,
) -> tuple[list[ReleasedTable], list[Address], AuditResult]:
    """The new release's tables, with more counts hidden where needed, the addresses of those
    counts, and what the audit did."""
    p = protection_interval(k)
    final = list(new)
    extra: list[Address] = []
    withheld: list[str] = []
    checked = 0
    narrowest: int | None = None
    for fam in sorted({family(t.key) for t in new}):
        mine = [n for n, t in enumerate(final) if family(t.key) == fam]
        old = [t for t in earlier if family(t.key) == fam]
        result = _protect_family(final, mine, old, p, k, financial_year_month)
        if result is None:
            for n in mine:
                final[n] = withhold(final[n])
            withheld += sorted({final[n].key for n in mine})
            continue
        hidden, cells, widths = result
        extra += hidden
        checked += cells
        known = [w for w in widths if w is not None]
        if known:
            narrowest = min(known) if narrowest is None else min(narrowest, *known)
    summary = AuditResult(
        releases_checked=len(earlier),
        cells_checked=checked,
        extra_hidden=len(extra),
        narrowest=narrowest,
        protection=p,
        withheld=tuple(withheld),
    )
    return final, extra, summary


def _unprinted_periods(
    new: Sequence[ReleasedTable], old: Sequence[ReleasedTable], financial_year_month: int
) -> list[ReleasedTable]:
    """The counts over the period of every other standard period overlapping the new release
    that has not been printed (the rest of a year once its half is out, say): putting reports
    side by side can pin those as surely as a hidden cell, so they are checked too. Only what
    is counted over a period: the rest is counted on a day, which the reports print."""
    printed = {(t.key, t.start, t.end) for t in [*old, *new]}
    found = []
    for t in new:
        if shape(t.key) in (Shape.STOCK, Shape.DISTINCT):
            continue
        span = standard_periods(add_months(t.start, -12), t.end, financial_year_month)
        for p in span:
            if p.end < t.start or p.start > t.end or (t.key, p.start, p.end) in printed:
                continue
            blank = withhold(replace(t, start=p.start, end=p.end))
            if shape(t.key) is Shape.BALANCE:
                keep = [c for c in (JOINED, LEFT) if c in t.columns]
                blank = replace(
                    blank,
                    columns=tuple(keep),
                    cells=tuple(((0, None),) * len(keep) for _ in t.rows),
                )
            found.append(blank)
    return found


def _protect_family(
    final: list[ReleasedTable],
    mine: list[int],
    old: Sequence[ReleasedTable],
    p: int,
    k: int,
    financial_year_month: int,
) -> tuple[list[Address], int, list[int | None]] | None:
    """Hide more of this family's new tables (in `final`, at numbers `mine`) until every hidden
    cell, new or earlier, holds. None when the tables contradict each other."""
    offset = len(old)
    new = [final[n] for n in mine]
    unprinted = _unprinted_periods(new, old, financial_year_month)
    model = FamilyModel([*old, *new, *unprinted], virtual=len(unprinted))
    virtual_from = offset + len(new)
    to_check = [
        (n, w) for n, t in enumerate(model.tables) for w, b in printed_cells(t) if is_hidden(b)
    ]
    total_checked = len(to_check)
    hidden: list[Address] = []
    widths: list[int | None] = []
    while True:
        failing, holding, contradiction = narrow_cells(model, to_check, p, k, virtual_from)
        if contradiction:
            return None
        # A count worked out as exactly zero is printed as 0 (below) or says nothing of anyone.
        widths += [w for n, _w, w in holding if n < virtual_from and w != 0]
        if not failing:
            break
        choices = _next_to_hide(model, offset, virtual_from, failing)
        if not choices:
            # Nothing shown is left to hide: the new tables say nothing at all.
            for n in range(offset, virtual_from):
                model.tables[n] = withhold(model.tables[n])
            break
        for n, where in choices:
            model.hide(n, where)
            hidden.append((mine[n - offset], *where))
        to_check = [(f, w) for f, w, _ in failing] + list(choices)
        total_checked += len(choices)
    _reveal_known(model, offset, virtual_from, k)
    for n in range(offset, virtual_from):
        final[mine[n - offset]] = model.tables[n]
    return hidden, total_checked, widths


def _reveal_known(model: FamilyModel, offset: int, end: int, k: int) -> None:
    """A new hidden count that earlier reports already give away exactly is printed: hiding it
    protects nothing, and a "[c]" anyone can work out is not a hidden count. (One that would
    be small stays hidden: printing it would only repeat the harm.)"""
    for (n, where), value in model.exact.items():
        if offset <= n < end and (value == 0 or value >= k):
            model.tables[n] = with_bounds(model.tables[n], where, (value, value))


def _next_to_hide(
    model: FamilyModel,
    offset: int,
    end: int,
    failing: Sequence[tuple[int, Where, int | None]],
) -> list[tuple[int, Where]]:
    """Shown counts of the new release to hide, one for each failing cell: one that counts
    something the failing cell counts (so hiding it loosens that cell), an inner count before a
    total, the smallest first; failing that, any shown count."""
    shown = [
        (b[0], where[0] == -1 or where[1] == -1, n, where, set(model.cell(n, where)))
        for n in range(offset, end)
        for t in (model.tables[n],)
        for where, b in printed_cells(t)
        if not is_hidden(b)
    ]
    if not shown:
        return []
    chosen: list[tuple[int, Where]] = []
    for n, where, _ in failing:
        wanted = set(model.cell(n, where))
        near = [c for c in shown if c[4] & wanted]
        best = min(near or shown, key=lambda c: c[:4])
        if (best[2], best[3]) not in chosen:
            chosen.append((best[2], best[3]))
    return chosen


def withhold(t: ReleasedTable) -> ReleasedTable:
    def blank(row: Sequence[Bounds] | None) -> tuple[Bounds, ...] | None:
        return None if row is None else tuple((0, None) for _ in row)

    return replace(
        t,
        cells=tuple(blank(row) or () for row in t.cells),
        row_totals=blank(t.row_totals),
        column_totals=blank(t.column_totals),
        grand_total=None if t.grand_total is None else (0, None),
    )
