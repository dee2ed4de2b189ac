"""Parts of the import wizard: the two kinds of import, the column-mapping page, and the preview
table of rows with their errors and warnings (a word in every line, never colour alone)."""

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QFormLayout, QProgressBar, QWizardPage

from peerdesk.services.importing import (
    ImportResult,
    Problem,
    Table,
    TrainingField,
    TrainingMapping,
    VolunteerField,
    VolunteerMapping,
    guess_training_mapping,
    guess_volunteer_mapping,
    import_training,
    import_volunteers,
)
from peerdesk.services.importing.reading import MAX_FILE_BYTES, SheetRow

if TYPE_CHECKING:
    from peerdesk.ui.import_wizard import ImportWizard

Mapping = VolunteerMapping | TrainingMapping
Index = QModelIndex | QPersistentModelIndex
NOT_IN_FILE = "(not in this file)"


@dataclass(frozen=True)
class ImportKind:
    noun: str  # "volunteers" or "training"
    fields: tuple[enum.StrEnum, ...]
    guess: Callable[[tuple[str, ...]], Mapping]
    run: Callable[..., ImportResult]
    sheet: str  # the sheet of a workbook to read first, when the file has one by that name

    @property
    def title(self) -> str:
        return f"Import {self.noun}"


VOLUNTEERS = ImportKind(
    "volunteers", tuple(VolunteerField), guess_volunteer_mapping, import_volunteers, "Volunteers"
)
TRAINING = ImportKind(
    "training", tuple(TrainingField), guess_training_mapping, import_training, "Training"
)
FIELD_LABELS = {"name": "Whole name (one column)", "DBS certificate date": "DBS certificate date"}


def field_label(wanted: enum.StrEnum) -> str:
    return FIELD_LABELS.get(wanted.value) or wanted.value[:1].upper() + wanted.value[1:]


def blank_rows(table: Table) -> int:
    """Blank rows the reader left out between the header (row 1) and the last row."""
    numbers = [row.number for row in table.rows]
    if not numbers:
        return 0
    return numbers[-1] - 1 - len(numbers)


def counts_text(result: ImportResult, table: Table) -> str:
    """ "12 ready · 2 with problems · 1 blank skipped" (and warnings, when there are any)."""
    parts = [f"{result.added} ready", f"{len(result.rejected_rows)} with problems"]
    warned = len({p.row for p in result.warnings})
    if warned:
        parts.append(f"{warned} with warnings")
    blanks = blank_rows(table)
    if blanks:
        parts.append(f"{blanks} blank skipped")
    return " · ".join(parts)


@dataclass(frozen=True)
class Line:
    row: int
    name: str
    result: str  # "Ready", "Error" or "Warning"
    column: str
    message: str


COLUMNS = ("Row", "Name", "Result", "Column", "What to check")
ERROR_COLOUR = QColor(170, 0, 0)
WARNING_COLOUR = QColor(140, 80, 0)


def preview_lines(table: Table, mapping: Mapping, problems: list[Problem]) -> list[Line]:
    """One line per problem, and one "Ready" line for each row without any."""
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    index = {h: i for i, h in reversed(list(enumerate(table.headers))) if h}
    lines: list[Line] = []
    for row in table.rows:
        name = _row_name(row, index, mapping)
        found = sorted(by_row.get(row.number, []), key=lambda p: not p.is_error)
        if not found:
            lines.append(Line(row.number, name, "Ready", "", ""))
        for p in found:
            word = "Error" if p.is_error else "Warning"
            lines.append(Line(row.number, name, word, p.column, p.message))
    return lines


def _row_name(row: SheetRow, index: dict[str, int], mapping: Mapping) -> str:
    def cell(wanted: str) -> str:
        header = mapping.columns.get(wanted)  # type: ignore[call-overload]
        value = row.cells[index[header]] if header in index else None
        return str(value).strip() if value is not None else ""

    whole = cell("name")
    return whole or " ".join(p for p in (cell("first name"), cell("last name")) if p)


class PreviewModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Line] = []

    def show(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (str(line.row), line.name, line.result, line.column, line.message)
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 4):
            return line.name if index.column() == 1 else line.message or None
        if role == Qt.ItemDataRole.ForegroundRole and line.result != "Ready":
            return QBrush(ERROR_COLOUR if line.result == "Error" else WARNING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and line.result == "Error" and index.column() == 2:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None


def sheet_names(path: Path) -> list[str]:
    """A workbook's sheets ([] for anything else; reading it says what is wrong)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES or path.read_bytes()[:4] != b"PK\x03\x04":
            return []
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    except Exception:  # a damaged file: read_table gives the plain sentence
        return []


def busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setAccessibleName("Working")
    bar.hide()
    return bar


def summary(result: ImportResult, noun: str) -> str:
    what = "volunteers" if noun == "volunteers" else "training records"
    text = f"Imported {result.added} {what} from {result.file_name}."
    if result.rejected_rows:
        rows = ", ".join(str(n) for n in result.rejected_rows)
        text += f" Rows left out because of problems: {rows}."
    return text


class MappingPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Which column is which")
        self.setSubTitle(
            "peerdesk has guessed from the column names. Change any that are wrong; fields "
            "your file does not have can stay as they are."
        )
        self.form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}
        for wanted in wizard.kind.fields:
            combo = QComboBox()
            combo.setAccessibleName(field_label(wanted))
            self.combos[wanted.value] = combo
            self.form.addRow(f"{field_label(wanted)}:", combo)

    def initializePage(self) -> None:
        table = self.wiz.table
        assert table is not None
        headers = [h for h in table.headers if h]
        guessed = self.wiz.kind.guess(table.headers)
        self.wiz.guessed = guessed
        for wanted in self.wiz.kind.fields:
            combo = self.combos[wanted.value]
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for header in headers:
                combo.addItem(header, header)
            chosen = guessed.columns.get(wanted)  # type: ignore[call-overload]
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)

    def mapping(self) -> Mapping:
        columns = {
            wanted: self.combos[wanted.value].currentData()
            for wanted in self.wiz.kind.fields
            if self.combos[wanted.value].currentData()
        }
        guessed: Any = self.wiz.guessed  # of the kind's own mapping class
        assert guessed is not None
        mapping: Mapping = replace(guessed, columns=columns)
        return mapping
