"""A read-only table model over one of the paged lists in `peerdesk.services.browse`.

Every page and count is read for the signed-in `Actor`, whose rights the service checks. It
keeps only the rows fetched so far and asks for the next page when the view scrolls near the
end (`canFetchMore`/`fetchMore`), each page in its own short read session. Sorting and the text
filter re-run the query from the first page: sorting thousands of rows in Python would mean
loading them all.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from sqlalchemy.orm import Session

from peerdesk.services.browse import PAGE_SIZE, PageQuery
from peerdesk.services.permissions import Actor
from peerdesk.wording import Staffing

Index = QModelIndex | QPersistentModelIndex
Reader = Callable[[], AbstractContextManager[Session]]

# Status colours are a second cue only: the word is always shown beside them, in the
# palette's own text colour; these fill swatches and bars, never text (STATUS_INK is for text).
STATUS_COLOURS: dict[str, QColor] = {
    Staffing.FILLED: QColor(46, 139, 87),
    Staffing.SHORT: QColor(230, 145, 0),
    Staffing.UNFILLED: QColor(200, 40, 40),
    Staffing.OVER: QColor(70, 110, 200),
    Staffing.CANCELLED: QColor(128, 128, 128),
}

# The same words as text: darker on a light palette, lighter on a dark one, each at least 4.5:1
# against the list's backgrounds. A selected row has no status colour at all: its text is the
# palette's HighlightedText, as the rest of the row's.
STATUS_INK: dict[bool, dict[str, QColor]] = {
    False: {
        Staffing.FILLED: QColor(0, 110, 50),
        Staffing.SHORT: QColor(150, 75, 0),
        Staffing.UNFILLED: QColor(180, 20, 20),
        Staffing.OVER: QColor(30, 80, 170),
        Staffing.CANCELLED: QColor(95, 95, 95),
    },
    True: {
        Staffing.FILLED: QColor(110, 210, 140),
        Staffing.SHORT: QColor(255, 185, 80),
        Staffing.UNFILLED: QColor(255, 145, 145),
        Staffing.OVER: QColor(150, 180, 255),
        Staffing.CANCELLED: QColor(180, 180, 180),
    },
}


def dark(palette: QPalette) -> bool:
    """A dark palette (light text on dark ground) wants the lighter status colours."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def status_ink(status: str, palette: QPalette, selected: bool = False) -> QColor:
    """The colour to write a status word in, readable on `palette`'s (selected) background."""
    if selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    inks = STATUS_INK[dark(palette)]
    return inks.get(status, inks[Staffing.CANCELLED])


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    sort: str | None = None  # the list's sort key; None when this column cannot be sorted
    numeric: bool = False
    status: bool = False  # the text is a status word with a colour


@dataclass(frozen=True)
class ListSource:
    """One list: its columns and the service functions that page and count it."""

    key: str  # names its saved column layout
    noun: str  # "volunteer", for "1 volunteer" and "300 volunteers"
    columns: tuple[Column, ...]
    page: Callable[[Session, Actor, PageQuery], Sequence[Any]]
    count: Callable[[Session, Actor, str], int]
    sort_column: int = 0
    descending: bool = False
    many: str | None = None  # the plural when it is not the noun and an "s"
    filter_hint: str = "Filter"  # what the filter box searches, when it is not every column


class PagedTableModel(QAbstractTableModel):
    def __init__(
        self,
        source: ListSource,
        read: Reader,
        actor: Actor,
        page_size: int = PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self._read = read
        self._actor = actor
        self._query = PageQuery(
            limit=page_size,
            sort=source.columns[source.sort_column].sort,
            descending=source.descending,
        )
        self._sort_column = source.sort_column
        self._rows: list[Any] = []
        self._exhausted = False

    # Qt's model interface --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.source.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.source.columns[index.column()]
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column.status:
            return STATUS_COLOURS.get(column.text(row).lower())
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.source.columns)
        ):
            return self.source.columns[section].header
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted:
            return
        rows = self._fetch(len(self._rows))
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.source.columns):
            return
        key = self.source.columns[column].sort
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort, self._query.descending) and self._rows:
            return
        self._sort_column = column
        self._query = replace(self._query, sort=key, descending=descending)
        self.reload()

    # peerdesk's own ---------------------------------------------------------------------------
    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return (
            Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder
        )

    @property
    def filter_text(self) -> str:
        return self._query.text

    def set_filter(self, text: str) -> None:
        if text != self._query.text:
            self._query = replace(self._query, text=text)
            self.reload()

    def reload(self) -> None:
        """Start again from the first page (after a sort, a filter or a change to the data).

        Told as "all rows removed, first page inserted" rather than a reset: listeners that
        fetch more as soon as a reset ends would otherwise see rows inserted mid-reset."""
        first = self._fetch(0)
        exhausted, self._exhausted = self._exhausted, True  # no fetching while rows change
        if self._rows:
            self.beginRemoveRows(QModelIndex(), 0, len(self._rows) - 1)
            self._rows = []
            self.endRemoveRows()
        if first:
            self.beginInsertRows(QModelIndex(), 0, len(first) - 1)
            self._rows = first
            self.endInsertRows()
        self._exhausted = exhausted

    def forget(self) -> None:
        """Drop every row at once (the screen is locking): nothing stays for a view to show."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = True
        self.endResetModel()

    def row(self, number: int) -> Any:
        """The dataclass shown in a row."""
        return self._rows[number]

    def total(self) -> int:
        """How many rows the filter matches, fetched or not."""
        with self._read() as session:
            return self.source.count(session, self._actor, self._query.text)

    def _fetch(self, offset: int) -> list[Any]:
        with self._read() as session:
            rows = list(self.source.page(session, self._actor, replace(self._query, offset=offset)))
        self._exhausted = len(rows) < self._query.limit
        return rows
