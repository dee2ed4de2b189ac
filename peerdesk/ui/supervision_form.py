"""The form for recording a supervision session: when and how long, who led it, the supervisees
and who came, each one's wellbeing in their own words, the shared summary, a confidential note,
open actions from before (carried forward), new actions and follow-ups talked through.

The agreed actions (carried forward and new) are a part of their own, `supervision_actions`.
The form only gathers what was typed into a `SessionInput`; the service checks it all. A problem
is shown inside the form and nothing typed is cleared.
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.dates import show_date
from peerdesk.models import SupervisionKind
from peerdesk.services.supervision.recording import AttendeeInput, SessionInput
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.supervision_actions import (
    ID,
    AgreedActions,
    date_edit,
    pydate,
    qdate,
    rows_high,
    small_table,
)
from peerdesk.wording import word

if TYPE_CHECKING:
    from peerdesk.services.supervision.follow_ups import FollowUpRow
    from peerdesk.services.supervision.reading import ActionView

# (ids of the people in the session) -> their open actions and waiting follow-ups
OpenItems = Callable[[set[uuid.UUID]], tuple["list[ActionView]", "list[FollowUpRow]"]]
People = list[tuple[uuid.UUID, str]]
KINDS = (SupervisionKind.ONE_TO_ONE, SupervisionKind.GROUP)


def text_box(name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    """A box `lines` lines high (it scrolls beyond that): the form fits a small laptop screen."""
    box = QPlainTextEdit(placeholderText=placeholder)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class SessionForm(FormDialog):
    def __init__(
        self,
        people: People,
        leaders: People,
        open_items: OpenItems,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Record a supervision session",
            "The shared summary is seen by the supervisees. The confidential note is seen only "
            "by whoever led the session and the coordinators.",
            "&Save session",
            parent,
        )
        self.people, self.open_items, self.today = dict(people), open_items, today
        self.wellbeing: dict[uuid.UUID, str] = {}
        self._showing: uuid.UUID | None = None  # whose wellbeing the box shows
        self._build_when(leaders)
        self._build_who()
        self._build_talk()
        self.agreed = AgreedActions(self.people, today, self._action_problem)
        columns = QGridLayout()
        columns.addWidget(self.when_box, 0, 0)
        columns.addWidget(self.who_box, 1, 0)
        columns.addWidget(self.talk_box, 0, 1, 2, 1)
        columns.addWidget(self.agreed, 2, 0, 1, 2)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
        self.form.addRow(columns)
        self.setMinimumWidth(900)

    # Building ----------------------------------------------------------------------------------
    def _build_when(self, leaders: People) -> None:
        self.when_box = QGroupBox("The session")
        grid = QGridLayout(self.when_box)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of session")
        for kind in KINDS:
            self.kind.addItem(word(kind), kind)
        self.held_on = date_edit("Date of the session", self.today)
        self.held_on.setMaximumDate(qdate(self.today))
        self.minutes = QSpinBox(minimum=1, maximum=480, value=60, suffix=" minutes")
        self.minutes.setAccessibleName("Length of the session")
        self.leader = QComboBox()
        self.leader.setAccessibleName("Supervisor")
        for user_id, name in leaders:
            self.leader.addItem(name, user_id)
        self.leader.setEnabled(len(leaders) > 1)
        for n, (label, field) in enumerate(
            (
                ("&Kind:", self.kind),
                ("&Date:", self.held_on),
                ("&Length:", self.minutes),
                ("Su&pervisor:", self.leader),
            )
        ):
            shown = QLabel(label)
            shown.setBuddy(field)
            grid.addWidget(shown, n, 0)
            grid.addWidget(field, n, 1)

    def _build_who(self) -> None:
        self.who_box = QGroupBox("Supervisees")
        layout = QVBoxLayout(self.who_box)
        self.choose = QComboBox()
        self.choose.setAccessibleName("Supervisee to add")
        for vid, name in self.people.items():
            self.choose.addItem(name, vid)
        self.add_person = QPushButton("&Add")
        self.add_person.clicked.connect(lambda: self.add_supervisee(self.choose.currentData()))
        self.remove_person = QPushButton("Remo&ve")
        self.remove_person.clicked.connect(self._remove_supervisee)
        row = QHBoxLayout()
        row.addWidget(self.choose, 1)
        row.addWidget(self.add_person)
        row.addWidget(self.remove_person)
        self.attendees = small_table("Supervisees in this session", ["Name", "Came"])
        rows_high(self.attendees, 3)
        self.attendees.currentCellChanged.connect(lambda *_a: self._show_wellbeing())
        self.wellbeing_label = QLabel("&Wellbeing check, in their own words:")
        self.wellbeing_box = text_box(
            "Wellbeing check", "How they say they are doing, in their words", 4
        )
        self.wellbeing_label.setBuddy(self.wellbeing_box)
        layout.addLayout(row)
        layout.addWidget(self.attendees)
        layout.addWidget(self.wellbeing_label)
        layout.addWidget(self.wellbeing_box)

    def _build_talk(self) -> None:
        self.talk_box = QGroupBox("What was talked about")
        layout = QVBoxLayout(self.talk_box)
        self.summary = text_box("Shared summary", "What the supervisees will see", 7)
        self.note = text_box("Confidential note", "Only you and the coordinators will see this", 5)
        self.follow_ups = QListWidget()
        self.follow_ups.setAccessibleName("Follow-ups talked through")
        self.follow_ups.setWordWrap(True)
        self.follow_ups.setFixedHeight(self.follow_ups.fontMetrics().height() * 3 + 16)
        for label, field in (
            ("S&hared summary (the supervisees see this):", self.summary),
            ("Confide&ntial note (you and coordinators only):", self.note),
            ("Follow-ups &talked through (ticking closes them):", self.follow_ups),
        ):
            shown = QLabel(label)
            shown.setBuddy(field)
            layout.addWidget(shown)
            layout.addWidget(field)
        layout.addStretch(1)

    def _action_problem(self, text: str) -> None:
        if text:
            self.show_problem(text)
        else:
            self.problem.hide()

    # People ------------------------------------------------------------------------------------
    def add_supervisee(self, volunteer_id: uuid.UUID | None) -> None:
        """Add someone to the session (once), and show what is open for them."""
        if volunteer_id is None or volunteer_id not in self.people:
            return
        if volunteer_id in self.chosen_ids():
            self._select(volunteer_id)
            return
        row = self.attendees.rowCount()
        self.attendees.insertRow(row)
        name = QTableWidgetItem(self.people[volunteer_id])
        name.setData(ID, volunteer_id)
        came = QTableWidgetItem()
        came.setToolTip("Untick anyone who did not come")
        came.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        came.setCheckState(Qt.CheckState.Checked)
        self.attendees.setItem(row, 0, name)
        self.attendees.setItem(row, 1, came)
        self.agreed.action_for.addItem(self.people[volunteer_id], volunteer_id)
        if row == 1:  # a second person: a group, most likely
            self.kind.setCurrentIndex(KINDS.index(SupervisionKind.GROUP))
        self._select(volunteer_id)
        self._refresh_open_items()

    def _remove_supervisee(self) -> None:
        row = self.attendees.currentRow()
        if row < 0:
            return
        self._keep_wellbeing()
        item = self.attendees.item(row, 0)
        vid = item.data(ID) if item is not None else None
        self._showing = None
        self.attendees.removeRow(row)
        if vid is not None:
            self.wellbeing.pop(vid, None)
        self.agreed.action_for.removeItem(self.agreed.action_for.findData(vid))
        self._show_wellbeing()
        self._refresh_open_items()

    def chosen_ids(self) -> list[uuid.UUID]:
        return [self._id_at(n) for n in range(self.attendees.rowCount())]

    def _id_at(self, row: int) -> uuid.UUID:
        item = self.attendees.item(row, 0)
        assert item is not None
        vid: uuid.UUID = item.data(ID)
        return vid

    def _select(self, volunteer_id: uuid.UUID) -> None:
        self.attendees.setCurrentCell(self.chosen_ids().index(volunteer_id), 0)

    def set_came(self, volunteer_id: uuid.UUID, came: bool) -> None:
        item = self.attendees.item(self.chosen_ids().index(volunteer_id), 1)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked if came else Qt.CheckState.Unchecked)

    def _came(self, row: int) -> bool:
        item = self.attendees.item(row, 1)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    # Wellbeing: one box, showing the words of whoever is chosen in the list
    def _keep_wellbeing(self) -> None:
        if self._showing is not None:
            self.wellbeing[self._showing] = self.wellbeing_box.toPlainText()

    def _show_wellbeing(self) -> None:
        self._keep_wellbeing()
        row = self.attendees.currentRow()
        if row < 0:
            self._showing = None
            self.wellbeing_box.clear()
            self.wellbeing_box.setEnabled(False)
            self.wellbeing_label.setText("&Wellbeing check, in their own words:")
            return
        vid = self._id_at(row)
        self._showing = vid
        self.wellbeing_box.setEnabled(True)
        self.wellbeing_box.setPlainText(self.wellbeing.get(vid, ""))
        self.wellbeing_label.setText(
            f"&Wellbeing check: how {self.people[vid]} is, in their words:"
        )

    # Open actions and follow-ups of the people in the session ---------------------------------
    def _refresh_open_items(self) -> None:
        ticked = self.follow_ups_ticked()
        actions, follow_ups = self.open_items(set(self.chosen_ids()))
        self.agreed.show_carried(actions)
        self.follow_ups.clear()
        for f in follow_ups:
            item = QListWidgetItem(f"{f.volunteer}: {f.about}")
            item.setToolTip(f"Waiting since {show_date(f.raised_on)}")
            item.setData(ID, f.id)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if f.id in ticked else Qt.CheckState.Unchecked)
            self.follow_ups.addItem(item)

    def follow_ups_ticked(self) -> set[uuid.UUID]:
        items = (self.follow_ups.item(n) for n in range(self.follow_ups.count()))
        return {
            i.data(ID) for i in items if i is not None and i.checkState() == Qt.CheckState.Checked
        }

    # What was typed ----------------------------------------------------------------------------
    def values(self) -> SessionInput:
        self._keep_wellbeing()
        came = {self._id_at(n): self._came(n) for n in range(self.attendees.rowCount())}
        return SessionInput(
            kind=SupervisionKind(self.kind.currentData()),
            held_on=pydate(self.held_on.date()),
            duration_minutes=self.minutes.value(),
            attendees=tuple(
                AttendeeInput(vid, was_there, self.wellbeing.get(vid))
                for vid, was_there in came.items()
            ),
            supervisor_user_id=self.leader.currentData(),
            shared_summary=self.summary.toPlainText(),
            confidential_note=self.note.toPlainText(),
            new_actions=self.agreed.new_actions(),
            carried=self.agreed.settled(),
            follow_ups_closed=frozenset(self.follow_ups_ticked()),
        )
