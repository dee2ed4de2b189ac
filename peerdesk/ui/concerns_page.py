"""The Safeguarding area: concerns (coordinators see all, anyone else the ones they raised, to
read) and, for coordinators, lone workers who have not checked out.

The list shows only what kind of concern and where it stands, never what happened; opening one
shows it in full. Every read of the list and of a concern is audited by the service, so the list
is read when the page is shown, not whenever anyone signs in.
"""

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_datetime, show_time
from peerdesk.db.store import Store
from peerdesk.services import lone_working as lw
from peerdesk.services import safeguarding as sg
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.volunteer_parts import tree

ID = Qt.ItemDataRole.UserRole


class ConcernsPage(QWidget):
    open_concern = Signal(object)  # a concern's id
    raise_concern = Signal()
    changed = Signal()  # something here changed what Today shows

    def __init__(self) -> None:
        super().__init__()
        self.store: Store | None = None
        self.actor: Actor | None = None
        self.overdue = tree("Not checked out", ["Who", "Shift", "Expected to finish", "Late by"])
        self.overdue.setMaximumHeight(90)
        self.safe_button = QPushButton("They are safe: &check them out")
        self.overdue_box = QGroupBox("Working alone and not checked out")
        self.raise_button = QPushButton("&Raise a concern…")
        self.include_closed = QCheckBox("Show cl&osed concerns")
        self.concerns = tree(
            "Safeguarding concerns",
            ["When", "Kind", "Where it stands", "Raised by", "Open actions"],
        )
        self.intro = QLabel(wordWrap=True)
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        self._lay_out()
        self.concerns.itemActivated.connect(
            lambda item, _col: self.open_concern.emit(item.data(0, ID))
        )
        self.include_closed.toggled.connect(lambda _on: self.load())
        self.raise_button.clicked.connect(self.raise_concern)
        self.safe_button.clicked.connect(self.confirm_safe)

    def _lay_out(self) -> None:
        box = QVBoxLayout(self.overdue_box)
        box.addWidget(self.overdue)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.safe_button)
        box.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Safeguarding</h2>"))
        layout.addWidget(self.intro)
        layout.addWidget(self.overdue_box)
        bar = QHBoxLayout()
        bar.addWidget(self.raise_button)
        bar.addStretch(1)
        bar.addWidget(self.include_closed)
        layout.addLayout(bar)
        layout.addWidget(self.concerns, 1)
        layout.addWidget(self.problem)
        self.overdue_box.hide()

    def attach(self, store: Store, actor: Actor) -> None:
        self.store, self.actor = store, actor
        self.intro.setText(
            "Concerns raised by anyone in the group. Open one to read it, move it on and add "
            "follow-up actions. Each time a concern is read, the audit trail records who."
            if can(actor, Permission.VIEW_SAFEGUARDING)
            else "Concerns you raised. Only the coordinators and you can read them; they can no "
            "longer be changed once sent."
        )
        self.include_closed.setChecked(not can(actor, Permission.VIEW_SAFEGUARDING))
        if self.isVisible():
            self.load()

    def detach(self) -> None:
        self.store, self.actor = None, None
        self.concerns.clear()
        self.overdue.clear()
        self.overdue_box.hide()
        self.problem.clear()
        self.intro.clear()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load()

    def load(self) -> None:
        if self.store is None or self.actor is None:
            return
        actor, now = self.actor, clock.now()

        def read(s: Session) -> tuple[list[sg.ConcernRow], list[lw.OverdueCheckOut]]:
            rows = sg.concerns(s, actor, include_closed=self.include_closed.isChecked())
            late = (
                lw.overdue_check_outs(s, actor, now)
                if can(actor, Permission.WATCH_LONE_WORKING)
                else []
            )
            return rows, late

        # Who read the list of concerns is kept in the audit trail: a write.
        found = Action(self.problem.setText, parent=self, changes={Change.AUDIT}).write(
            self.store, actor, read
        )
        if found is None:  # said on the page
            return
        rows, late = found
        self.problem.clear()
        self._show_concerns(rows)
        self._show_overdue(late)

    def _show_concerns(self, rows: list[sg.ConcernRow]) -> None:
        self.concerns.clear()
        for r in rows:
            item = QTreeWidgetItem([show_datetime(r.occurred_at),
                                    sg.CATEGORY_WORDS[r.category].capitalize(),
                                    sg.STATUS_WORDS[r.status].capitalize(),
                                    r.raised_by or "", str(r.open_actions)])  # fmt: skip
            item.setData(0, ID, r.id)
            self.concerns.addTopLevelItem(item)
        for column in range(self.concerns.columnCount()):
            self.concerns.resizeColumnToContents(column)

    def _show_overdue(self, late: list[lw.OverdueCheckOut]) -> None:
        self.overdue.clear()
        for o in late:
            where = f" at {o.venue}" if o.venue else ""
            expected = show_time(o.expected_end_at)
            late_by = lw.late_words(o.minutes_late)
            item = QTreeWidgetItem([o.volunteer, f"{o.activity}{where}", expected, late_by])
            item.setData(0, ID, o.check_id)
            self.overdue.addTopLevelItem(item)
        for column in range(self.overdue.columnCount()):
            self.overdue.resizeColumnToContents(column)
        self.overdue_box.setVisible(bool(late))
        first = self.overdue.topLevelItem(0)
        if first is not None:
            self.overdue.setCurrentItem(first)

    def confirm_safe(self) -> None:
        item = self.overdue.currentItem()
        if item is None or self.store is None or self.actor is None:
            return
        check_id: uuid.UUID = item.data(0, ID)
        action = Action(self.problem.setText, parent=self, changes={Change.SESSIONS})
        actor = self.actor
        action.write(self.store, actor, lambda s: lw.confirm_safe(s, actor, check_id, clock.now()))
        if action.failed:  # said on the page
            return
        self.load()
        self.changed.emit()
