"""Tables of counts as published: labels, the counts after suppression, and their totals.

A table's totals are counts too: they are suppressed like any other, and they are the sums a
reader could use to work out a hidden count, so they are passed to `suppression.publish`."""

from collections.abc import Sequence
from dataclasses import dataclass

from peerdesk.services.reporting.suppression import Hidden, Relation, Shown, publish

TOTAL = "Total"
# What is printed instead of a table whose every count is hidden (a column of "[c]").
ALL_HIDDEN = (
    "Every count in this table is hidden, so that small numbers cannot be worked out from it "
    "or from other public reports (see the methods page)."
)


@dataclass(frozen=True)
class Table:
    """Rows of published counts. `columns` are the headings after the row label; a total row
    or column, when printed, is the last one and is labelled "Total"."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Shown, ...]], ...]

    def cell(self, row: str, column: str) -> Shown:
        values = dict(self.rows)[row]
        return values[self.columns.index(column)]

    def row_labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.rows)

    def nothing_shown(self) -> bool:
        """Whether every count is hidden by the secondary check or withheld (and nothing else
        in the table is a number)."""
        cells = [c for _label, row in self.rows for c in row]
        withheld = (Hidden.SECONDARY, Hidden.WITHHELD)
        return any(c.hidden in withheld for c in cells) and all(
            c.hidden in withheld or (c.hidden is Hidden.SHOWN and c.value is None) for c in cells
        )


def two_way(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    k: int,
    row_totals: bool = True,
    column_totals: bool = True,
    known_total: bool = False,
) -> Table:
    """Counts by row and column, with a total for each row and column (and the grand total
    when both are printed), suppressed together."""
    n_rows, n_cols = len(row_labels), len(column_labels)
    values = [v for row in counts for v in row]
    relations: list[Relation] = []
    row_total_at = column_total_at = grand_at = -1
    if row_totals:
        row_total_at = len(values)
        values += [sum(row) for row in counts]
        relations += [
            [(row_total_at + i, 1), *((i * n_cols + j, -1) for j in range(n_cols))]
            for i in range(n_rows)
        ]
    if column_totals:
        column_total_at = len(values)
        values += [sum(row[j] for row in counts) for j in range(n_cols)]
        relations += [
            [(column_total_at + j, 1), *((i * n_cols + j, -1) for i in range(n_rows))]
            for j in range(n_cols)
        ]
    if row_totals and column_totals:
        grand_at = len(values)
        values.append(sum(values[: n_rows * n_cols]))
        relations.append([(grand_at, 1), *((row_total_at + i, -1) for i in range(n_rows))])
        relations.append([(grand_at, 1), *((column_total_at + j, -1) for j in range(n_cols))])
    # The grand total (or, with one column, the column's total) printed elsewhere too.
    known = {len(values) - 1} if known_total and column_totals else set()
    shown = publish(values, relations, k, known)
    rows = []
    for i, label in enumerate(row_labels):
        cells = shown[i * n_cols : (i + 1) * n_cols]
        if row_totals:
            cells.append(shown[row_total_at + i])
        rows.append((label, tuple(cells)))
    if column_totals:
        cells = shown[column_total_at : column_total_at + n_cols]
        if row_totals:
            cells.append(shown[grand_at])
        rows.append((TOTAL, tuple(cells)))
    columns = (*column_labels, TOTAL) if row_totals else tuple(column_labels)
    return Table(columns, tuple(rows))


def one_way(
    labels: Sequence[str], counts: Sequence[int], k: int, heading: str, known_total: bool = False
) -> Table:
    """A list of counts with their total underneath (`known_total`: printed elsewhere too)."""
    cells = [[c] for c in counts]
    return two_way(labels, [heading], cells, k, row_totals=False, known_total=known_total)


def share(part: Shown, base: Shown, k: int) -> str:
    """A percentage, shown only when its base is at least k and both counts are printed."""
    if part.value is None or base.value is None or base.value < k:
        return "–"
    return f"{round(100 * part.value / base.value)}%"
