"""The public report's tables as the ledger keeps them, and the audit's further hiding put back
into the printed tables.

Each counted table of the public report has a ledger key and says which of its columns are
counts (a "%" column is not) and which column and row are totals."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from peerdesk.services.reporting import disclosure, ledger
from peerdesk.services.reporting.disclosure import AuditResult
from peerdesk.services.reporting.ledger import Bounds, ReleasedTable, reader_bounds
from peerdesk.services.reporting.outcomes import KEY as OUTCOMES
from peerdesk.services.reporting.outcomes import ledger_key as outcome_key
from peerdesk.services.reporting.safeguarding import PUBLIC_TITLE
from peerdesk.services.reporting.sections import Section, TableFigure
from peerdesk.services.reporting.suppression import SECONDARY_MARK, Hidden, Shown
from peerdesk.services.reporting.tables import Table


@dataclass(frozen=True)
class Spec:
    key: str
    columns: tuple[int, ...]  # the table's columns that are inner counts
    row_total: int | None = None  # the column holding each row's total
    total_row: bool = False  # whether the last row is the column totals


_SPECS: dict[tuple[str, str], tuple[Spec, ...]] = {
    ("activity", "Attendances by activity"): (Spec("attendances", (0,), total_row=True),),
    ("activity", "New people by activity"): (Spec("new_people", (0,), total_row=True),),
    ("volunteers", "Volunteers on the books"): (Spec("volunteers", (0, 1, 2, 3)),),
    ("volunteers", "Volunteers by role at the end of the period"): (Spec("roles", (0,)),),
    ("training", "Mandatory training on the last day of the period"): (
        Spec("training", (0, 1), row_total=2),
        Spec("training_expiring", (3,)),
    ),
    ("dbs", "DBS checks for roles that need them"): (Spec("dbs", (0,), total_row=True),),
    ("supervision", "Supervision on the last day of the period"): (
        Spec("supervision", (0,), total_row=True),
    ),
    ("safeguarding", PUBLIC_TITLE): (Spec("concerns", (0,), total_row=True),),
}


def specs_for(section: str, title: str) -> tuple[Spec, ...]:
    if section == "equality":
        return (Spec(disclosure.EQUALITY + title, (0,)),)
    if section == OUTCOMES and (key := outcome_key(title)):
        return (Spec(key, (0,), total_row=True),)
    return _SPECS.get((section, title), ())


def table_titles(sections: Sequence[Section]) -> dict[str, str]:
    """The printed title of each ledger key's table (what the methods page names)."""
    return {
        spec.key: figure.title
        for section in sections
        for figure in section.tables
        for spec in specs_for(section.key, figure.title)
    }


# Where a released cell is printed: (section, table, row, column) numbers.
Place = tuple[int, int, int, int]


@dataclass(frozen=True)
class Released:
    tables: tuple[ReleasedTable, ...]
    places: tuple[dict[tuple[int, int], Place], ...]  # per table: (i, j) -> printed place


def released_tables(sections: Sequence[Section], start: date, end: date, k: int) -> Released:
    tables: list[ReleasedTable] = []
    places: list[dict[tuple[int, int], Place]] = []
    for s_no, section in enumerate(sections):
        for t_no, figure in enumerate(section.tables):
            for spec in specs_for(section.key, figure.title):
                table, where = _released(spec, figure.table, (s_no, t_no), start, end, k)
                tables.append(table)
                places.append(where)
    return Released(tuple(tables), tuple(places))


def _released(
    spec: Spec, table: Table, at: tuple[int, int], start: date, end: date, k: int
) -> tuple[ReleasedTable, dict[tuple[int, int], Place]]:
    inner_rows = len(table.rows) - (1 if spec.total_row else 0)
    place: dict[tuple[int, int], Place] = {}

    def cell(i: int, j: int, row: int, column: int) -> Bounds:
        place[(i, j)] = (*at, row, column)
        return reader_bounds(table.rows[row][1][column], k)

    cells = tuple(
        tuple(cell(i, j, i, c) for j, c in enumerate(spec.columns)) for i in range(inner_rows)
    )
    row_totals = column_totals = grand = None
    if spec.row_total is not None:
        row_totals = tuple(cell(i, -1, i, spec.row_total) for i in range(inner_rows))
    if spec.total_row:
        column_totals = tuple(cell(-1, j, inner_rows, c) for j, c in enumerate(spec.columns))
        if spec.row_total is not None:
            grand = cell(-1, -1, inner_rows, spec.row_total)
    released = ReleasedTable(
        key=spec.key,
        start=start,
        end=end,
        rows=tuple(label for label, _ in table.rows[:inner_rows]),
        columns=tuple(table.columns[c] for c in spec.columns),
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=grand,
    )
    return released, place


def protect_release(
    session: Session,
    sections: Sequence[Section],
    period: tuple[date, date],
    k: int,
    financial_year_month: int,
) -> tuple[tuple[Section, ...], tuple[ReleasedTable, ...], AuditResult]:
    """The public sections after the audit against every earlier public release, the tables
    to add to the ledger when it is exported, and what the audit did."""
    released = released_tables(sections, *period, k)
    earlier = ledger.earlier_releases(session)
    final, _extra, result = disclosure.protect(released.tables, earlier, k, financial_year_month)
    hide: set[Place] = set()
    known: dict[Place, int] = {}
    for before, table, places in zip(released.tables, final, released.places, strict=True):
        for where, place in places.items():
            # What the ledger will hold must be what is printed: "[c]" says only "a count".
            low, high = disclosure.bounds_at(table, where)
            if (low, high) == (0, None):
                hide.add(place)
            elif low == high and ledger.is_hidden(disclosure.bounds_at(before, where)):
                known[place] = low  # given away by earlier reports: printed
    return _hidden(sections, hide, known), tuple(final), result


def _hidden(
    sections: Sequence[Section], hide: set[Place], known: dict[Place, int]
) -> tuple[Section, ...]:
    """The sections with every count at `hide` printed as hidden (those already hidden keep
    their mark), and those at `known` printed with their value."""
    out = []
    for s_no, section in enumerate(sections):
        figures = []
        for t_no, figure in enumerate(section.tables):
            rows = tuple(
                (
                    label,
                    tuple(
                        _print(c, (s_no, t_no, r, col), hide, known) for col, c in enumerate(cells)
                    ),
                )
                for r, (label, cells) in enumerate(figure.table.rows)
            )
            figures.append(
                TableFigure(figure.title, Table(figure.table.columns, rows), figure.method)
            )
        out.append(replace(section, tables=tuple(figures)))
    return tuple(out)


def _print(cell: Shown, place: Place, hide: set[Place], known: dict[Place, int]) -> Shown:
    if place in known:
        return Shown(known[place], f"{known[place]:,}")
    return _mark(cell) if place in hide else cell


def _mark(cell: Shown) -> Shown:
    if cell.hidden in (Hidden.SECONDARY, Hidden.WITHHELD):
        return cell
    return Shown(None, SECONDARY_MARK, Hidden.SECONDARY)
