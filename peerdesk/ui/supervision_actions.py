"""The agreed actions part of the supervision form: open actions from earlier sessions, each
marked still open, done or dropped, and the actions agreed in this one."""

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from peerdesk.dates import show_date
from peerdesk.models import ActionStatus
from peerdesk.services.supervision.recording import ActionInput
from peerdesk.wording import word

if TYPE_CHECKING:
    from peerdesk.services.supervision.reading import ActionView

CARRIED = (ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED)
ID = Qt.ItemDataRole.UserRole


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(name: str, day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def rows_high(table: QTableWidget, rows: int) -> None:
    """Room for the header and `rows` rows (it scrolls beyond that)."""
    row = table.fontMetrics().height() + 10
    table.verticalHeader().setDefaultSectionSize(row)
    table.setFixedHeight(row * (rows + 1) + 6)


def small_table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move in it
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class AgreedActions(QGroupBox):
    def __init__(
        self, people: dict[uuid.UUID, str], today: date, problem: Callable[[str], None]
    ) -> None:
        super().__init__("Agreed actions")
        # problem(sentence) shows what is wrong; problem("") takes it away.
        self.people, self.problem = people, problem
        layout = QVBoxLayout(self)
        self.carried = small_table("Actions from before", ["Open action", "For", "Due by", "Now"])
        rows_high(self.carried, 2)
        # The status chooser needs its full width; the action's words take what is left.
        self.carried.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.ResizeToContents
        )
        self.added = small_table("New actions", ["New action", "For", "Owner", "Due by"])
        rows_high(self.added, 2)
        self.action_for = QComboBox()
        self.action_for.setAccessibleName("New action for")
        self.action_text = QLineEdit(placeholderText="What was agreed")
        self.action_text.setAccessibleName("New action")
        self.action_owner = QLineEdit(placeholderText="Who will do it")
        self.action_owner.setAccessibleName("Owner of the new action")
        self.has_due = QCheckBox("Due b&y")
        self.has_due.setChecked(True)
        self.action_due = date_edit("Due date of the new action", today + timedelta(weeks=4))
        self.has_due.toggled.connect(self.action_due.setEnabled)
        self.add_action = QPushButton("Add a&ction")
        self.add_action.clicked.connect(self.add_new_action)
        entry = QHBoxLayout()
        for widget, stretch in (
            (self.action_for, 0),
            (self.action_text, 3),
            (self.action_owner, 1),
            (self.has_due, 0),
            (self.action_due, 0),
            (self.add_action, 0),
        ):
            entry.addWidget(widget, stretch)
        layout.addWidget(QLabel("Open actions from earlier sessions: say where each one is now."))
        layout.addWidget(self.carried)
        layout.addWidget(QLabel("Actions agreed today:"))
        layout.addLayout(entry)
        layout.addWidget(self.added)

    def show_carried(self, actions: "list[ActionView]") -> None:
        """The open actions of the people now in the session, keeping any status already set."""
        kept = self.carried_statuses()
        self.carried.setRowCount(0)
        for action in actions:
            self._add_carried(action, kept.get(action.id, ActionStatus.OPEN))

    def _add_carried(self, action: "ActionView", status: ActionStatus) -> None:
        row = self.carried.rowCount()
        self.carried.insertRow(row)
        text = QTableWidgetItem(action.description)
        text.setData(ID, action.id)
        text.setToolTip(f"Agreed on {show_date(action.agreed_on)}")
        self.carried.setItem(row, 0, text)
        self.carried.setItem(row, 1, QTableWidgetItem(action.volunteer))
        self.carried.setItem(row, 2, QTableWidgetItem(show_date(action.due_on)))
        now = QComboBox()
        now.setAccessibleName(f"Where the action now stands: {action.description}")
        for status_choice in CARRIED:
            now.addItem(
                "Still open" if status_choice is ActionStatus.OPEN else word(status_choice),
                status_choice,
            )
        now.setCurrentIndex(CARRIED.index(status))
        self.carried.setCellWidget(row, 3, now)
        # The status chooser needs its full width; the action's words take what is left.
        width = max(self.carried.columnWidth(3), now.sizeHint().width())
        self.carried.setColumnWidth(3, width)

    def carried_statuses(self) -> dict[uuid.UUID, ActionStatus]:
        found = {}
        for row in range(self.carried.rowCount()):
            item, combo = self.carried.item(row, 0), self.carried.cellWidget(row, 3)
            if item is not None and isinstance(combo, QComboBox):
                # Qt hands an enum back as its plain string value.
                found[item.data(ID)] = ActionStatus(combo.currentData())
        return found

    def set_carried(self, action_id: uuid.UUID, status: ActionStatus) -> None:
        for row in range(self.carried.rowCount()):
            item, combo = self.carried.item(row, 0), self.carried.cellWidget(row, 3)
            if item is not None and item.data(ID) == action_id and isinstance(combo, QComboBox):
                combo.setCurrentIndex(CARRIED.index(status))

    def settled(self) -> dict[uuid.UUID, ActionStatus]:
        """The earlier actions marked done or dropped (the rest stay open)."""
        return {k: v for k, v in self.carried_statuses().items() if v is not ActionStatus.OPEN}

    def add_new_action(self) -> None:
        """Put the typed action in the list below (the service checks it on saving)."""
        vid = self.action_for.currentData()
        if vid is None:
            self.problem("Add the supervisee first, then the actions agreed with them.")
            return
        if not self.action_text.text().strip():
            self.problem("Say what was agreed, then add the action.")
            return
        due = pydate(self.action_due.date()) if self.has_due.isChecked() else None
        row = self.added.rowCount()
        self.added.insertRow(row)
        text = QTableWidgetItem(self.action_text.text().strip())
        text.setData(ID, (vid, due))
        for column, value in enumerate(
            (
                text,
                QTableWidgetItem(self.people[vid]),
                QTableWidgetItem(self.action_owner.text().strip()),
                QTableWidgetItem(show_date(due) or "No date"),
            )
        ):
            self.added.setItem(row, column, value)
        self.action_text.clear()
        self.action_owner.clear()
        self.problem("")  # whatever was wrong before is put right

    def new_actions(self) -> tuple[ActionInput, ...]:
        found = []
        for row in range(self.added.rowCount()):
            text, owner = self.added.item(row, 0), self.added.item(row, 2)
            if text is None:
                continue
            vid, due = text.data(ID)
            found.append(ActionInput(vid, text.text(), owner.text() if owner else None, due))
        return tuple(found)
