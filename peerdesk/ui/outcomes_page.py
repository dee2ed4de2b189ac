"""The "What works for whom" page: for a measure, a way of dividing the sessions (activity,
mode, venue, time of day, day of the week, community) and a period, how much people's answers
changed from their first to their latest, group by group, with the interval, how many people
and what share of them answered.

The figures are worked out on the background worker (ten years of feedback is a lot of
resampling), and shown twice: as a dot-and-whisker chart a coordinator would rather look at,
and as a table a screen reader can read, with the same numbers. A group too small to say
anything shows a plain line of words, never a figure.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerdesk.ui.change_chart import ChangeChart, ChartRow

HEADERS = ("Group", "Change", "Interval", "People (n)", "Answered")
INTRO = (
    "How much people's answers changed between their first and their latest, for each kind "
    "of group. The dot is the average change and the line through it the range it is likely "
    "to lie in; where the lines of two groups overlap a lot, the difference may be chance."
)


@dataclass(frozen=True)
class Asked:
    """What the person chose: the measure, the dimension and the period (their data)."""

    measure: Any
    dimension: Any
    period: Any


class OutcomesPage(QWidget):
    asked = Signal(object)  # Asked

    def __init__(self) -> None:
        super().__init__()
        self.measure = self._combo("Measure")
        self.dimension = self._combo("Divide by")
        self.period = self._combo("Period")
        self.show_button = QPushButton("Show &change")
        self.status = QLabel(wordWrap=True)
        self.status.setAccessibleName("What is shown")
        self.chart = ChangeChart()
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Change by group, as a table")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The group's name takes the room left over: cut short, "Peer sup…" says nothing.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.show_button.clicked.connect(self.ask)
        self._lay_out()

    @staticmethod
    def _combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>What works for whom</h2>"))
        layout.addWidget(QLabel(INTRO, wordWrap=True))
        bar = QHBoxLayout()
        for words, combo in (("&Measure", self.measure), ("&Divide by", self.dimension),
                             ("&Period", self.period)):  # fmt: skip
            label = QLabel(words)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)

    # Choices --------------------------------------------------------------------------------
    def offer(self, measures: Sequence[tuple[str, Any]], dimensions: Sequence[tuple[str, Any]],
              periods: Sequence[tuple[str, Any]]) -> None:  # fmt: skip
        """(words, data) for each list; the first of each is chosen."""
        for combo, items in ((self.measure, measures), (self.dimension, dimensions),
                             (self.period, periods)):  # fmt: skip
            combo.clear()
            for words, data in items:
                combo.addItem(words, data)
        self.show_button.setEnabled(self.measure.count() > 0)
        if self.measure.count() == 0:
            self.status.setText("No measure is switched on yet: a coordinator can do so in "
                                "Settings.")  # fmt: skip

    def chosen(self) -> Asked:
        return Asked(self.measure.currentData(), self.dimension.currentData(),
                     self.period.currentData())  # fmt: skip

    def showEvent(self, event: QShowEvent) -> None:
        """The page never opens empty: the first time it is shown after the choices are
        offered, it asks for the first choice of each at once."""
        super().showEvent(event)
        if self.model.rowCount() == 0 and self.show_button.isEnabled():
            self.ask()

    def ask(self) -> None:
        """Ask for the figures of what is chosen (the first of each list when the page opens,
        so that it never opens empty)."""
        if self.measure.count() == 0:
            return
        self.status.setText("Working it out…")
        self.show_button.setEnabled(False)
        self.asked.emit(self.chosen())

    # Figures --------------------------------------------------------------------------------
    def show_rows(self, rows: Sequence[ChartRow], axis: str, change: bool, said: str) -> None:
        self.show_button.setEnabled(True)
        self.status.setText(said)
        self.chart.show_rows(rows, axis, change)
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            self.model.appendRow([_cell(v) for v in table_words(row)])

    def show_problem(self, said: str) -> None:
        self.show_button.setEnabled(True)
        self.status.setText(said)

    def clear(self) -> None:
        for combo in (self.measure, self.dimension, self.period):
            combo.clear()
        self.status.clear()
        self.chart.clear()
        self.model.removeRows(0, self.model.rowCount())


def table_words(row: ChartRow) -> tuple[str, str, str, str, str]:
    """The table's words for one group: the chart's figures, or why there are none."""
    if row.change is None:
        return row.group, row.note, "", str(row.people), row.response
    interval = ""
    if row.low is not None and row.high is not None:
        interval = f"{row.low:+.1f} to {row.high:+.1f}"
    return row.group, f"{row.change:+.1f}", interval, str(row.people), row.response


def _cell(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
