"""Raising a safeguarding concern, and reading one.

`ConcernDialog` is the form a volunteer fills in (from "Log a session", or on its own): what kind
of concern, when, what happened and what they did straight away. Its words are meant to steady
someone who may be shaken, and to remind them to write roles, not names.

`ConcernView` shows one concern: read-only for the person who raised it; a coordinator also
moves it on (escalated, referred externally, closed) and adds and completes follow-up actions.
Opening it is audited by the service.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date, show_datetime
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.models import ConcernCategory, ConcernStatus
from peerdesk.services import safeguarding as sg
from peerdesk.services.permissions import Actor
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.volunteer_parts import day_field, read_day, tree

INTRO = (
    "Thank you for raising this. It goes only to the coordinators, who will see it today. "
    "You do not need the right words: say what you saw and heard, and what you did.\n\n"
    "Please refer to people by their role, not their name (\u201cone participant\u201d, "
    "\u201ca family member\u201d).\n\n"
    "If someone is in immediate danger, call 999 first."
)
SENT = (
    "Your concern has reached the coordinators. Thank you for speaking up. Your supervisor "
    "will check in with you too: seeing something worrying is hard."
)


def _plain_text(name: str, hint: str) -> QPlainTextEdit:
    field = QPlainTextEdit()
    field.setAccessibleName(name)
    field.setPlaceholderText(hint)
    field.setTabChangesFocus(True)
    field.setMinimumHeight(90)
    return field


class ConcernDialog(FormDialog):
    def __init__(
        self,
        store: Store,
        actor: Actor,
        parent: QWidget | None,
        session_log_id: uuid.UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> None:
        super().__init__("I have a safeguarding concern", INTRO, "&Send to the coordinators",
                         parent)  # fmt: skip
        self.store, self.actor, self.session_log_id = store, actor, session_log_id
        self.category = QComboBox()
        self.category.setAccessibleName("What kind of concern")
        for category, words in sg.CATEGORY_WORDS.items():
            self.category.addItem(words.capitalize(), category.value)
        self.when = QDateTimeEdit(displayFormat="d MMM yyyy HH:mm")
        self.when.setAccessibleName("When it happened")
        # From the instant, not the wall-clock fields: QDateTime(datetime) drops the time zone, so
        # a time made in the group's zone would be read as the computer's.
        at = occurred_at or clock.now()
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(at.timestamp())))
        self.what = _plain_text(
            "What happened",
            "What you saw or heard, in your own words. Roles, not names.",
        )
        self.first_action = _plain_text(
            "What you did straight away",
            "For example: stayed with them, gave the crisis line number, called 999.",
        )
        self.form.addRow("&Kind of concern:", self.category)
        self.form.addRow("W&hen it happened:", self.when)
        self.form.addRow("&What happened:", self.what)
        self.form.addRow("What you &did:", self.first_action)
        self.submitted.connect(self._send)
        self.setMinimumWidth(560)

    def values(self) -> sg.ConcernInput:
        return sg.ConcernInput(
            category=ConcernCategory(self.category.currentData()),
            occurred_at=datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC),
            what_happened=self.what.toPlainText(),
            action_taken=self.first_action.toPlainText(),
            session_log_id=self.session_log_id,
        )

    def _send(self, data: sg.ConcernInput) -> None:
        action = Action(self.show_problem, parent=self, changes={Change.CONCERNS})
        action.write(
            self.store, self.actor, lambda s: sg.raise_concern(s, self.actor, data, clock.now())
        )
        if action.failed:  # said in the dialog; nothing typed is lost
            return
        self.finish()


CLOSE_QUESTION = (
    "Close this concern? It leaves the coordinators' Today page. It can be reopened later if "
    "something more comes to light."
)
STATUS_CHOICES = (
    ConcernStatus.OPEN,
    ConcernStatus.ESCALATED,
    ConcernStatus.REFERRED,
    ConcernStatus.CLOSED,
)


class ConcernView(QDialog):
    """One concern in full. Each open reads it through the service (and so is audited)."""

    def __init__(self, store: Store, actor: Actor, concern_id: uuid.UUID, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Safeguarding concern")
        self.store, self.actor, self.concern_id = store, actor, concern_id
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.what = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.first_action = QLabel(wordWrap=True)
        self.first_action.setTextFormat(Qt.TextFormat.PlainText)
        self.action_list = tree("Follow-up actions", ["Action", "Owner", "Due", "Done"])
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        self.status = QComboBox()
        self.status.setAccessibleName("Where it stands")
        for status in STATUS_CHOICES:
            self.status.addItem(sg.STATUS_WORDS[status].capitalize(), status.value)
        self.new_action = QLineEdit(placeholderText="What needs doing")
        self.new_action.setAccessibleName("New action")
        self.owner = QLineEdit(placeholderText="Who will do it")
        self.owner.setAccessibleName("Owner")
        self.due = day_field("Due by")
        self.add_button = QPushButton("&Add action")
        self.done_button = QPushButton("Mark &done")
        self.detail: sg.ConcernDetail | None = None
        self._lay_out()
        self.resize(640, 560)
        self.load()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        form = QFormLayout()
        form.addRow("What happened:", self.what)
        form.addRow("Done straight away:", self.first_action)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Follow-up actions</b>"))
        layout.addWidget(self.action_list)
        self.manage = QWidget()
        manage = QVBoxLayout(self.manage)
        manage.setContentsMargins(0, 0, 0, 0)
        add = QHBoxLayout()
        add.addWidget(self.new_action, 3)
        add.addWidget(self.owner, 2)
        add.addWidget(self.due, 1)
        add.addWidget(self.add_button)
        manage.addLayout(add)
        status = QHBoxLayout()
        label = QLabel("&Where it stands:")
        label.setBuddy(self.status)
        status.addWidget(label)
        status.addWidget(self.status)
        status.addStretch(1)
        status.addWidget(self.done_button)
        manage.addLayout(status)
        layout.addWidget(self.manage)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_action)
        self.done_button.clicked.connect(self.mark_done)
        self.status.activated.connect(lambda _n: self.change_status())
        self.finished.connect(lambda _r: self._forget())

    def load(self) -> None:
        # Reading a concern is itself kept in the audit trail, so it is a write.
        action = Action(self.problem.setText, parent=self, changes={Change.AUDIT})
        detail = action.write(
            self.store, self.actor, lambda s: sg.concern_detail(s, self.actor, self.concern_id)
        )
        if detail is None:  # said in the dialog
            self.manage.hide()
            return
        self.detail = detail
        self.summary.setText(_summary(detail))
        self.what.setText(detail.what_happened)
        self.first_action.setText(detail.action_taken or "Nothing recorded.")
        self.action_list.clear()
        for a in detail.actions:
            item = QTreeWidgetItem([a.description, a.owner or "", show_date(a.due_on),
                                    show_date(a.done_on) if a.done_on else "Not yet"])  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            self.action_list.addTopLevelItem(item)
        self.status.setCurrentIndex(STATUS_CHOICES.index(detail.status))
        header = self.action_list.header()
        header.setStretchLastSection(False)
        for column in (1, 2, 3):
            self.action_list.resizeColumnToContents(column)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        self.manage.setVisible(detail.editable)

    def _act(self, work: "Callable[[Session], object]") -> None:
        action = Action(self.problem.setText, parent=self, changes={Change.CONCERNS})
        action.write(self.store, self.actor, work)
        if action.failed:  # said in the dialog; what was typed stays
            return
        self.problem.clear()
        self.load()

    def change_status(self) -> None:
        status = ConcernStatus(self.status.currentData())
        closing = status is ConcernStatus.CLOSED and self.detail is not None
        if closing and not messages.confirm(self, CLOSE_QUESTION, "Close the concern"):
            if self.detail is not None:
                self.status.setCurrentIndex(STATUS_CHOICES.index(self.detail.status))
            return
        now = clock.now()
        self._act(lambda s: sg.set_status(s, self.actor, self.concern_id, status, now))

    def add_action(self) -> None:
        try:
            due = read_day(self.due, "due date")
        except ValidationError as err:
            self.problem.setText(str(err))
            return
        text, owner, today = self.new_action.text(), self.owner.text(), clock.today()
        self._act(lambda s: sg.add_action(s, self.actor, self.concern_id, text, owner, due, today))
        if not self.problem.text():
            for field in (self.new_action, self.owner, self.due):
                field.clear()

    def mark_done(self) -> None:
        item = self.action_list.currentItem()
        if item is None:
            self.problem.setText("Choose the action that is done in the list first.")
            return
        action_id = item.data(0, Qt.ItemDataRole.UserRole)
        today = clock.today()
        self._act(lambda s: sg.mark_action_done(s, self.actor, action_id, today))

    def _forget(self) -> None:
        for label in (self.summary, self.what, self.first_action):
            label.clear()
        self.action_list.clear()
        self.detail = None


def _summary(d: sg.ConcernDetail) -> str:
    lines = [
        f"{sg.CATEGORY_WORDS[d.category].capitalize()}, {show_datetime(d.occurred_at)}.",
        f"Raised by {d.raised_by or 'someone no longer on record'} on "
        f"{show_datetime(d.raised_at)}. Now {sg.STATUS_WORDS[d.status]}.",
    ]
    steps = [
        (d.escalated_at, "escalated"),
        (d.referred_at, "referred externally"),
        (d.closed_at, "closed"),
    ]
    shown = [f"{what} {show_date(when.date())}" for when, what in steps if when is not None]
    if shown:
        lines.append("Steps: " + "; ".join(shown) + ".")
    if not d.editable:
        lines.append("You raised this concern: it can no longer be changed, but you can read it.")
    return "\n".join(lines)
