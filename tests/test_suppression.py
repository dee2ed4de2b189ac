"""Small-number suppression: the rule on fixed tables, and Hypothesis property tests checking
with an independent brute-force reader that no hidden count can be worked out from what is
printed."""

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from peerdesk.services.reporting.suppression import (
    UNBOUNDED,
    Hidden,
    Relation,
    bounds,
    publish,
    suppress,
)
from peerdesk.services.reporting.tables import TOTAL, one_way, share, two_way


def texts(table_rows: Sequence[tuple[str, Sequence[object]]]) -> list[list[str]]:
    return [[c.text for c in cells] for _label, cells in table_rows]  # type: ignore[attr-defined]


def test_small_counts_show_as_less_than_k_and_zero_is_shown() -> None:
    table = one_way(["a", "b", "c", "d"], [0, 1, 4, 5], 5, "People")
    assert [c.text for _l, (c,) in table.rows] == ["0", "<5", "<5", "5", "10"]


def test_threshold_of_ten() -> None:
    table = one_way(["a", "b"], [9, 30], 10, "People")
    assert [c.text for _l, (c,) in table.rows][:2] == ["<10", "[c]"]


def test_a_lone_small_count_in_a_row_takes_another_count_with_it() -> None:
    table = two_way(["a", "b"], ["x", "y"], [[10, 3], [12, 15]], 5)
    grid = texts(table.rows)
    assert grid[0][1] == "<5"
    # 3 must not be 13 - 10: the 10 is hidden too, and so on round a cycle.
    assert grid[0][0] == "[c]"
    assert grid[2] == ["22", "18", "40"]  # the totals can stay: the hidden cells form a cycle


def test_two_small_counts_that_add_up_to_a_printed_total_are_not_left_pinned() -> None:
    # 4 + 4 = 8 with both shown as "<5" would give both away (each must be 4).
    table = one_way(["a", "b", "c"], [4, 4, 0], 5, "People")
    assert texts(table.rows)[-1] == ["[c]"]


def test_a_flow_of_people_hides_enough_to_keep_its_identity() -> None:
    # on the books at start + joined - left - at end = 0
    relation: Relation = [(0, 1), (1, 1), (2, -1), (3, -1)]
    shown = publish([20, 7, 2, 25], [relation], 5)
    assert [s.text for s in shown].count("<5") == 1
    assert sum(s.value is None for s in shown) >= 2


def test_percentages_need_a_base_of_at_least_k_and_printed_counts() -> None:
    table = one_way(["a", "b"], [3, 40], 5, "People")
    small, big = table.rows[0][1][0], table.rows[1][1][0]
    total = table.rows[2][1][0]
    assert share(small, total, 5) == "–"
    assert share(big, total, 5) in ("–", f"{round(100 * 40 / 43)}%")
    base = one_way(["a"], [4], 5, "n").rows[0][1][0]
    assert share(base, base, 5) == "–"


# Property tests --------------------------------------------------------------------------------


Ranges = dict[int, tuple[int, int]]


def _tighten(ranges: Ranges, relations: Sequence[Relation]) -> bool:
    """Narrow each count's range by every sum until nothing changes; False if a range empties."""
    changed = True
    while changed:
        changed = False
        for rel in relations:
            lows = [min(coeff * ranges[c][0], coeff * ranges[c][1]) for c, coeff in rel]
            highs = [max(coeff * ranges[c][0], coeff * ranges[c][1]) for c, coeff in rel]
            total_low, total_high = sum(lows), sum(highs)
            for (c, coeff), low, high in zip(rel, lows, highs, strict=True):
                # coeff * x_c must lie within -(others' range)
                term_low = max(low, -(total_high - high))
                term_high = min(high, -(total_low - low))
                if term_low > term_high:
                    return False
                new = (term_low, term_high) if coeff == 1 else (-term_high, -term_low)
                if new != ranges[c]:
                    ranges[c] = new
                    changed = True
    return True


def _solution_exists(ranges: Ranges, relations: Sequence[Relation]) -> bool:
    """Depth-first search with bound tightening for whole numbers satisfying every sum."""
    ranges = dict(ranges)
    if not _tighten(ranges, relations):
        return False
    open_cells = [c for c, (low, high) in ranges.items() if low < high]
    if not open_cells:
        return True
    cell = min(open_cells, key=lambda c: ranges[c][1] - ranges[c][0])
    low, high = ranges[cell]
    middle = (low + high) // 2
    return _solution_exists({**ranges, cell: (low, middle)}, relations) or _solution_exists(
        {**ranges, cell: (middle + 1, high)}, relations
    )


def _workable(
    cell: int, values: Sequence[int], status: Sequence[Hidden], relations: Sequence[Relation],
    k: int,
) -> bool:  # fmt: skip
    """Could a reader who knows only what is printed pin hidden `cell` to its true value? Yes
    unless some whole-number solution gives it another value. Unbounded counts are capped far
    above any value in the table, which can only make the reader stronger."""
    cap = 2 * sum(values) + 2 * k + 2
    ranges: Ranges = {}
    for c, value in enumerate(values):
        low, high = bounds(value, status[c], k)
        ranges[c] = (low, cap if high == UNBOUNDED else high)
    actual = values[cell]
    below = {**ranges, cell: (ranges[cell][0], actual - 1)}
    above = {**ranges, cell: (actual + 1, ranges[cell][1])}
    return not any(
        r[cell][0] <= r[cell][1] and _solution_exists(r, relations) for r in (below, above)
    )


def _assert_nothing_recoverable(
    values: Sequence[int], relations: Sequence[Relation], k: int
) -> None:
    status = suppress(values, relations, k)
    for c, h in enumerate(status):
        if 1 <= values[c] < k:
            assert h in (Hidden.SMALL, Hidden.WITHHELD)
    assert all(h is Hidden.WITHHELD for h in status) or Hidden.WITHHELD not in status
    for c, h in enumerate(status):
        if h is not Hidden.SHOWN:
            assert not _workable(c, values, status, relations, k), (
                f"hidden count {c} ({values[c]}) of {values} can be worked out"
            )


def _table_relations(n_rows: int, n_cols: int) -> list[Relation]:
    """The sums of a table with row, column and grand totals laid out as `two_way` does."""
    body = n_rows * n_cols
    rt, ct, grand = body, body + n_rows, body + n_rows + n_cols
    relations: list[Relation] = []
    for i in range(n_rows):
        relations.append([(rt + i, 1), *((i * n_cols + j, -1) for j in range(n_cols))])
    for j in range(n_cols):
        relations.append([(ct + j, 1), *((i * n_cols + j, -1) for i in range(n_rows))])
    relations.append([(grand, 1), *((rt + i, -1) for i in range(n_rows))])
    relations.append([(grand, 1), *((ct + j, -1) for j in range(n_cols))])
    return relations


def _with_totals(body: list[list[int]]) -> list[int]:
    flat = [v for row in body for v in row]
    rows = [sum(r) for r in body]
    cols = [sum(r[j] for r in body) for j in range(len(body[0]))]
    return [*flat, *rows, *cols, sum(flat)]


small_counts = st.integers(0, 14)


@settings(max_examples=120, deadline=None)
@given(st.data(), st.sampled_from([3, 5]))
def test_no_hidden_count_in_a_two_way_table_can_be_worked_out(data: st.DataObject, k: int) -> None:
    n_rows = data.draw(st.integers(1, 3))
    n_cols = data.draw(st.integers(1, 3))
    body = data.draw(
        st.lists(st.lists(small_counts, min_size=n_cols, max_size=n_cols), min_size=n_rows,
                 max_size=n_rows)
    )  # fmt: skip
    _assert_nothing_recoverable(_with_totals(body), _table_relations(n_rows, n_cols), k)


@settings(max_examples=120, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=6), st.sampled_from([5, 10]))
def test_no_hidden_count_in_a_list_with_its_total_can_be_worked_out(
    counts: list[int], k: int
) -> None:
    values = [*counts, sum(counts)]
    relation: Relation = [(len(counts), 1), *((i, -1) for i in range(len(counts)))]
    _assert_nothing_recoverable(values, [relation], k)


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 30), st.integers(0, 12), st.data(), st.sampled_from([5, 10]))
def test_no_hidden_count_in_a_flow_of_people_can_be_worked_out(
    start: int, joined: int, data: st.DataObject, k: int
) -> None:
    left = data.draw(st.integers(0, start + joined))
    values = [start, joined, left, start + joined - left]
    _assert_nothing_recoverable(values, [[(0, 1), (1, 1), (2, -1), (3, -1)]], k)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_two_way_tables_print_what_suppress_decides(data: st.DataObject) -> None:
    body = data.draw(st.lists(st.lists(small_counts, min_size=2, max_size=2), min_size=2,
                              max_size=2))  # fmt: skip
    table = two_way(["a", "b"], ["x", "y"], body, 5)
    values = _with_totals(body)
    status = suppress(values, _table_relations(2, 2), 5)
    printed = [c for _l, cells in table.rows for c in cells]
    # two_way lays rows out as cells then the row total; match by value where shown.
    assert sum(c.value is None for c in printed) == sum(h is not Hidden.SHOWN for h in status)
    assert table.columns[-1] == TOTAL
    for cell in printed:
        assert (cell.value is None) == (cell.text in ("<5", "[c]"))


def test_a_table_of_only_small_counts_that_would_give_itself_away_is_withheld() -> None:
    # 1 + 1 = 2 under "<3" everywhere: only 1 and 1 fit, so nothing of it can be printed.
    table = two_way(["a"], ["x", "y"], [[1, 1]], 3)
    assert {c.text for _l, cells in table.rows for c in cells} == {"[c]"}


@settings(max_examples=80, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=6), st.sampled_from([5, 10]))
def test_a_total_printed_elsewhere_is_never_hidden_for_the_secondary_rule(
    counts: list[int], k: int
) -> None:
    values = [*counts, sum(counts)]
    relation: Relation = [(len(counts), 1), *((i, -1) for i in range(len(counts)))]
    status = suppress(values, [relation], k, known={len(counts)})
    assert status[-1] in (Hidden.SHOWN, Hidden.SMALL, Hidden.WITHHELD)
    if Hidden.WITHHELD not in status and status[-1] is Hidden.SHOWN:
        # The reader knows the total anyway (when it is not small itself): still no hidden
        # count can be worked out.
        fixed = [Hidden.SHOWN if c == len(counts) else h for c, h in enumerate(status)]
        for c, h in enumerate(fixed):
            if h is not Hidden.SHOWN:
                assert not _workable(c, values, fixed, [relation], k)
