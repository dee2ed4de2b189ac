"""One area of the window that shows a list: a filter box, how many match, and the table."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerdesk.ui.focus import tools_before_table
from peerdesk.wording import plural

if TYPE_CHECKING:  # the database stack is imported only once the window is on screen
    from peerdesk.services.permissions import Actor
    from peerdesk.ui.paged_model import ListSource, PagedTableModel, Reader

FILTER_DELAY_MS = 250  # wait for a pause in typing before querying again


class ListPage(QWidget):
    row_opened = Signal(object)  # the row's dataclass: double-click or Enter on it

    def __init__(self, key: str, title: str, option: str | None = None) -> None:
        super().__init__()
        self.key = key
        self.model: PagedTableModel | None = None
        self._sources: tuple[ListSource, ListSource | None] | None = None
        self._read: Reader | None = None
        self._actor: Actor | None = None
        self.filter = QLineEdit(placeholderText="Filter", clearButtonEnabled=True)
        self.filter.setAccessibleName(f"Filter {title.lower()}")
        self.count = QLabel()
        self.option = QCheckBox(option) if option else None
        self.table = list_table(title)
        self._typing = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._typing.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self._typing.start)
        self.table.activated.connect(self._open_row)
        self.tools = QHBoxLayout()
        self._lay_out(title)
        self.filter.setEnabled(False)

    def _lay_out(self, title: str) -> None:
        heading = QLabel(f"<h2>{title}</h2>")
        bar = self._bar = QHBoxLayout()
        bar.addWidget(self.filter, 2)
        if self.option:
            bar.addWidget(self.option)
            self.option.toggled.connect(self._option_toggled)
        bar.addWidget(self.count, 1, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.tools)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        tools_before_table([self.tools, self._bar], self.table)  # tools are added later

    def add_tool(self, widget: QWidget) -> None:
        """A button above the list, such as "Add volunteer…"."""
        self.tools.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)

    def _open_row(self, index: QModelIndex) -> None:
        if self.model is not None and index.isValid():
            self.row_opened.emit(self.model.row(index.row()))

    def attach(
        self,
        source: "ListSource",
        read: "Reader",
        actor: "Actor",
        other: "ListSource | None" = None,
    ) -> None:
        """Show `source` read through `read` for `actor`; `other` is what the option box
        switches to."""
        self._sources, self._read, self._actor = (source, other), read, actor
        self._show(other if self.option and self.option.isChecked() and other else source)
        self.filter.setEnabled(True)

    def detach(self) -> None:
        """Let go of the data and forget what was shown (signing out, or before a restore):
        the rows go at once, not when Qt next deletes objects, and so does the filter text,
        which can hold a name."""
        self.save_state(QSettings())
        model, self.model = self.model, None
        self.table.setModel(None)
        if model is not None:
            model.forget()
            model.setParent(None)
            model.deleteLater()
        self._sources, self._read, self._actor = None, None, None
        self._typing.stop()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.count.clear()
        self.filter.setEnabled(False)

    def reload(self) -> None:
        if self.model is not None:
            self.model.reload()
            self._show_count()

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def save_state(self, settings: QSettings) -> None:
        if self.model is not None:
            settings.setValue(f"columns/{self.key}", self.table.horizontalHeader().saveState())

    def _show(self, source: "ListSource") -> None:
        from peerdesk.ui.paged_model import PagedTableModel

        assert self._read is not None and self._actor is not None
        old = self.model
        if old is not None:
            QSettings().setValue(f"columns/{self.key}", self.table.horizontalHeader().saveState())
        self.model = PagedTableModel(source, self._read, self._actor, parent=self)
        self.filter.setPlaceholderText(source.filter_hint)
        self.filter.setToolTip(source.filter_hint)
        self.model.set_filter(self.filter.text())
        header = self.table.horizontalHeader()
        self.table.setSortingEnabled(False)
        self.table.setModel(self.model)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        saved = QSettings().value(f"columns/{self.key}")
        if saved is not None:
            header.restoreState(saved)
        self.table.setSortingEnabled(True)
        if saved is None:  # first time: fit the columns to the first page, with room to breathe
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                header.resizeSection(column, header.sectionSize(column) + 16)
        # A stretched number column would push its figures far from their heading.
        header.setStretchLastSection(not source.columns[-1].numeric)
        header.sortIndicatorChanged.connect(self._keep_sortable)
        if old is not None:
            old.deleteLater()
        self._show_count()

    def _keep_sortable(self, column: int, _order: Qt.SortOrder) -> None:
        """A click on a column that cannot be sorted puts the arrow back where the order is."""
        model = self.model
        if model is not None and model.source.columns[column].sort is None:
            self.table.horizontalHeader().setSortIndicator(model.sort_column, model.sort_order)

    def _apply_filter(self) -> None:
        if self.model is not None:
            self.model.set_filter(self.filter.text().strip())
            self._show_count()

    def _option_toggled(self, on: bool) -> None:
        if self._sources is not None and self._sources[1] is not None:
            self._show(self._sources[1] if on else self._sources[0])

    def _show_count(self) -> None:
        if self.model is None:
            return
        total = self.model.total()
        filtered = " matching" if self.model.filter_text else ""
        source = self.model.source
        self.count.setText(f"{total:,}{filtered} {plural(total, source.noun, source.many)}")


def list_table(title: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(title)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move in it
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    # Fixed row heights let the view skip measuring every row it fetches.
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setDefaultSectionSize(140)
    header.setSectionsMovable(True)
    return table
