"""The Supervision area: who is due (with one action to record a session), the sessions list,
agreed actions and the follow-ups queue.

Coordinators and supervisors see all four tabs (the services limit supervisors to their
supervisees); a volunteer sees a sentence about their own supervision, their sessions and their
actions. Each tab is read in one short session when the page is shown or something changed: a
few hundred rows at most, so it stays on the GUI thread.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.services.supervision.cadence import CadenceStatus
from peerdesk.ui.focus import tools_before_table
from peerdesk.ui.list_page import ListPage, list_table
from peerdesk.wording import word

if TYPE_CHECKING:
    from peerdesk.services.permissions import Actor
    from peerdesk.services.supervision.due import DueRow
    from peerdesk.ui.paged_model import Reader

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]

STATUS_WORDS = {
    CadenceStatus.NEVER: "✗ never supervised",
    CadenceStatus.OVERDUE: "✗ overdue",
    CadenceStatus.DUE_SOON: "due soon",
    CadenceStatus.IN_DATE: "✓ in date",
    CadenceStatus.NOT_REQUIRED: "not required",
}
# A second cue only, tinted so the text stays readable on light and dark palettes.
STATUS_COLOURS = {
    CadenceStatus.NEVER: QColor(160, 40, 120, 70),
    CadenceStatus.OVERDUE: QColor(200, 40, 40, 90),
    CadenceStatus.DUE_SOON: QColor(230, 170, 0, 90),
    CadenceStatus.IN_DATE: QColor(46, 139, 87, 70),
}
WANTS_ATTENTION = (CadenceStatus.NEVER, CadenceStatus.OVERDUE, CadenceStatus.DUE_SOON)


class RowsModel(QAbstractTableModel):
    """A few hundred plain rows read at once, shown through column functions."""

    def __init__(
        self,
        columns: Sequence[Column],
        tint: Callable[[Any, int], QColor | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.tint = tint
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, n: int) -> Any:
        return self.rows[n]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](row)
        if role == Qt.ItemDataRole.BackgroundRole and self.tint is not None:
            return self.tint(row, index.column())
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section][0]
        return None


def _due_tint(row: "DueRow", column: int) -> QColor | None:
    return STATUS_COLOURS.get(row.status) if column == 1 else None


DUE_COLUMNS: tuple[Column, ...] = (
    ("Name", lambda r: r.name),
    ("Supervision", lambda r: STATUS_WORDS[r.status]),
    ("Last supervised", lambda r: show_date(r.last_on) or "Not yet"),
    ("Next due by", lambda r: show_date(r.next_due_on)),
    ("Supervisor", lambda r: r.supervisor or ""),
)
ACTION_COLUMNS: tuple[Column, ...] = (
    ("For", lambda a: a.volunteer),
    ("Agreed action", lambda a: a.description),
    ("Owner", lambda a: a.owner or ""),
    ("Due by", lambda a: show_date(a.due_on)),
    ("Status", lambda a: word(a.status)),
    ("Agreed on", lambda a: show_date(a.agreed_on)),
)
FOLLOW_UP_COLUMNS: tuple[Column, ...] = (
    ("Since", lambda f: show_date(f.raised_on)),
    ("For", lambda f: f.volunteer),
    ("Kind", lambda f: word(f.kind)),
    ("What", lambda f: f.about),
    ("Assigned to", lambda f: f.assigned_to or ""),
)


def _table(title: str, model: RowsModel) -> QTableView:
    table = list_table(title)
    table.setModel(model)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class Panel(QWidget):
    """A tab: buttons and options above a table of rows."""

    def __init__(self, title: str, model: RowsModel, intro: str) -> None:
        super().__init__()
        self.model = model
        self.table = _table(title, model)
        self.intro = QLabel(intro, wordWrap=True)
        self.tools = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.tools)
        layout.addWidget(self.table)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        tools_before_table([self.tools], self.table)

    def chosen(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def fit(self) -> None:
        """Columns fitted to what is shown, with room to breathe."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, header.sectionSize(column) + 16)


class SupervisionPage(QWidget):
    record_requested = Signal(object)  # a volunteer id, or None to choose in the form
    close_requested = Signal(object)  # a FollowUpRow
    action_done_requested = Signal(object)  # an ActionView

    def __init__(self, sessions: ListPage) -> None:
        super().__init__()
        self.sessions = sessions
        self._read: Reader | None = None
        self._actor: Actor | None = None
        self._records = False
        self.own = QLabel(wordWrap=True)
        self.own.setAccessibleName("Your supervision")
        self.own.setTextFormat(Qt.TextFormat.PlainText)
        self._build_due()
        self._build_actions()
        self._build_follow_ups()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.due, "&Who is due")
        self.tabs.addTab(sessions, "&Sessions")
        self.tabs.addTab(self.agreed, "Agreed &actions")
        self.tabs.addTab(self.follow_ups, "F&ollow-ups")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.own.setContentsMargins(9, 9, 9, 3)  # in line with the lists' own margins
        layout.addWidget(self.own)
        layout.addWidget(self.tabs)

    def _build_due(self) -> None:
        self.due = Panel(
            "Who is due for supervision",
            RowsModel(DUE_COLUMNS, _due_tint, self),
            "Never supervised and overdue first. Double-click someone to record a session "
            "with them.",
        )
        self.record_button = QPushButton("&Record a session…")
        self.record_button.clicked.connect(self._record_chosen)
        self.everyone = QCheckBox("Show e&veryone (in date and not required too)")
        self.everyone.toggled.connect(lambda _on: self.reload())
        self.name_filter = QLineEdit(placeholderText="Filter by name", clearButtonEnabled=True)
        self.name_filter.setAccessibleName("Filter who is due")
        self.name_filter.textChanged.connect(lambda _t: self.reload())
        for widget in (self.record_button, self.name_filter, self.everyone):
            self.due.tools.addWidget(widget)
        self.due.tools.addStretch(1)
        self.due.table.activated.connect(self._record_chosen)

    def _build_actions(self) -> None:
        self.agreed = Panel(
            "Agreed actions",
            RowsModel(ACTION_COLUMNS, parent=self),
            "Actions agreed in supervision. Open ones are shown again when the next session "
            "is recorded.",
        )
        self.done_button = QPushButton("&Mark done")
        self.done_button.clicked.connect(self._done_chosen)
        self.all_actions = QCheckBox("Show done and dropped &too")
        self.all_actions.toggled.connect(lambda _on: self.reload())
        self.agreed.tools.addWidget(self.done_button)
        self.agreed.tools.addWidget(self.all_actions)
        self.agreed.tools.addStretch(1)

    def _build_follow_ups(self) -> None:
        self.follow_ups = Panel(
            "Follow-ups waiting",
            RowsModel(FOLLOW_UP_COLUMNS, parent=self),
            "Debrief requests and concerns a volunteer raised, waiting for a conversation. "
            "Recording a session with them can close these, or close one here with a short note.",
        )
        self.close_button = QPushButton("&Close with a note…")
        self.close_button.clicked.connect(self._close_chosen)
        self.follow_ups.tools.addWidget(self.close_button)
        self.follow_ups.tools.addStretch(1)
        self.follow_ups.table.activated.connect(self._close_chosen)

    # Showing -----------------------------------------------------------------------------------
    def attach(self, read: "Reader", actor: "Actor", records: bool) -> None:
        """Read for `actor`; `records`: they lead supervision (coordinators and supervisors),
        so see who is due and the follow-ups, and may record."""
        self._read, self._actor, self._records = read, actor, records
        for panel in (self.due, self.follow_ups):
            self.tabs.setTabVisible(self.tabs.indexOf(panel), records)
        self.own.setVisible(not records)
        self.tabs.setCurrentWidget(self.due if records else self.sessions)
        if self.isVisible():
            self.reload()

    def detach(self) -> None:
        """Signing out: every name and sentence goes at once."""
        self._read, self._actor = None, None
        for panel in (self.due, self.agreed, self.follow_ups):
            panel.model.set_rows([])
        self.own.clear()
        self.name_filter.blockSignals(True)
        self.name_filter.clear()
        self.name_filter.blockSignals(False)

    def reload(self) -> None:
        if self._read is None or self._actor is None or not self.isVisible():
            return
        from peerdesk.services.supervision.due import due_list
        from peerdesk.services.supervision.follow_ups import follow_up_queue
        from peerdesk.services.supervision.reading import agreed_actions

        actor, today = self._actor, clock.today()
        leads = self._records
        with self._read() as session:
            due = due_list(session, actor, today)
            actions = agreed_actions(session, actor, open_only=not self.all_actions.isChecked())
            queue = follow_up_queue(session, actor, today) if leads else []
        self._show_due(due)
        self.agreed.model.set_rows(actions)
        self.follow_ups.model.set_rows(queue)
        self.own.setText(own_sentence(due))
        self.tabs.setTabText(self.tabs.indexOf(self.follow_ups), f"F&ollow-ups ({len(queue)})")
        for panel in (self.due, self.agreed, self.follow_ups):
            panel.fit()

    def _show_due(self, rows: "list[DueRow]") -> None:
        text = self.name_filter.text().strip().casefold()
        shown = [
            r
            for r in rows
            if text in r.name.casefold()
            and (self.everyone.isChecked() or r.status in WANTS_ATTENTION)
        ]
        self.due.model.set_rows(shown)
        late = sum(1 for r in rows if r.status in (CadenceStatus.NEVER, CadenceStatus.OVERDUE))
        self.due.intro.setText(
            f"{late} overdue or never supervised, "
            f"{sum(1 for r in rows if r.status is CadenceStatus.DUE_SOON)} due in the next "
            "two weeks. Double-click someone to record a session with them."
        )

    def focus_filter(self) -> None:
        """Find (Ctrl+F): the filter of the tab on show, if it has one."""
        if self.tabs.currentWidget() is self.sessions:
            self.sessions.focus_filter()
        elif self.tabs.currentWidget() is self.due:
            self.name_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.name_filter.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    # Actions -----------------------------------------------------------------------------------
    def _record_chosen(self, *_args: object) -> None:
        row = self.due.chosen()
        self.record_requested.emit(row.volunteer_id if row is not None else None)

    def _close_chosen(self, *_args: object) -> None:
        row = self.follow_ups.chosen()
        if row is not None:
            self.close_requested.emit(row)

    def _done_chosen(self) -> None:
        row = self.agreed.chosen()
        if row is not None:
            self.action_done_requested.emit(row)


def own_sentence(rows: "list[DueRow]") -> str:
    """A volunteer's own supervision in one sentence (the list holds only them)."""
    if not rows:
        return ""
    r = rows[0]
    last = (
        f"Your last supervision was on {show_date(r.last_on)}"
        if r.last_on
        else ("You have not had supervision yet")
    )
    if r.status is CadenceStatus.NOT_REQUIRED or r.next_due_on is None:
        return f"{last}. Supervision is not needed for you at the moment."
    due = show_date(r.next_due_on)
    if r.status in (CadenceStatus.OVERDUE, CadenceStatus.NEVER):
        return (
            f"{last}; the next was due by {due}. Your supervisor or a coordinator can "
            "arrange it with you."
        )
    return f"{last}; the next is due by {due}."
