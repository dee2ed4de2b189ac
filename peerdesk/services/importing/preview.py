"""What an import would do, row by row: the rows that can go in and the problems found, each
with its row number (as the spreadsheet numbers it) and column name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from peerdesk.db.folding import fold
from peerdesk.services.importing.reading import Cell, SheetRow, Table
from peerdesk.services.importing.values import BadValue, looks_like_formula, optional_text

T = TypeVar("T")
FORMULA_SHOWN = 30  # characters of a formula-looking cell quoted back in its problem


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    is_error: bool = True  # an error keeps the row out; a warning is for the person to check

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{'Error' if self.is_error else 'Warning'} in {where}: {self.message}."


@dataclass
class Preview[Draft]:
    file_name: str
    rows_read: int
    drafts: list[Draft] = field(default_factory=list)  # rows without errors, ready to add
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole file

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})


class RowReader:
    """One row's cells by header, collecting its problems as they are found."""

    def __init__(self, table: Table, row: SheetRow) -> None:
        self._index = {h: i for i, h in reversed(list(enumerate(table.headers))) if h}
        self.row = row
        self.problems: list[Problem] = []

    def cell(self, header: str | None) -> Cell:
        if header is None or header not in self._index:
            return None
        return self.row.cells[self._index[header]]

    def read(self, header: str | None, parse: Callable[[Cell], T], default: T) -> T:
        """The parsed cell, or `default` with an error noted against the column."""
        try:
            return parse(self.cell(header))
        except BadValue as err:
            self.error(header or "", str(err))
            return default

    def plain_text(self, header: str | None, what: str = "text") -> str | None:
        """The cell as trimmed text (None when empty); an error, and None, when it looks like a
        spreadsheet formula rather than a name or a note. `what` names it: "name", "notes"."""
        cell = self.cell(header)
        if not looks_like_formula(cell):
            return optional_text(cell)
        self.error(header or "", formula_message(str(cell), what))
        return None

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.row.number, column, message))

    def warn(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.row.number, column, message, is_error=False))

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def formula_message(value: str, what: str) -> str:
    """ "the name '=HYPERLINK(…' looks like a spreadsheet formula, not a name. Check the file" """
    shown = " ".join(value.split())
    shown = shown if len(shown) <= FORMULA_SHOWN else shown[: FORMULA_SHOWN - 1] + "…"
    kind = f", not a {what}" if what == "name" else ""
    verb = "look" if what.endswith("s") else "looks"
    return f"the {what} '{shown}' {verb} like a spreadsheet formula{kind}. Check the file"


def name_key(first: str | None, last: str | None) -> str:
    """Two spellings of one name compare equal: case, accents and spacing ignored."""
    return " ".join(fold(f"{first or ''} {last or ''}").split())
