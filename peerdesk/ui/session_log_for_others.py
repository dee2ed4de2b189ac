""" "Log a session…" from the Sessions page: a coordinator logs a session they ran, or one that
came in on a paper form, for whoever ran it.

The same form as a volunteer's "Log a session", with "Who ran it" added. The list holds every
recent shift nobody has logged yet, each naming who was on it; the newest is picked, so the
common case is Enter on it (or a click on another), the head count, and Enter to save. The
dialog stays open after a save, ready for the next paper form.
"""

import uuid
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk.db.store import Store
from peerdesk.services.permissions import Actor
from peerdesk.services.sessions import (
    LogChoices,
    SessionInput,
    UnloggedShift,
    everyones_unlogged_shifts,
)
from peerdesk.ui.session_log_form import AD_HOC, SHIFT, LogSessionPage, shift_words

INTRO = (
    "Log a session you ran, or one from a paper form: pick the shift, say how many people "
    "came, and save. Numbers only, never names."
)
CHOOSE = "Choose who ran it"


class LogForOthersPage(LogSessionPage):
    # Arrowing through everyone's shifts should not throw the cursor into the head count:
    # Enter or a click on a shift does.
    FOLLOW_PICK = False

    def __init__(self) -> None:
        super().__init__()
        self.runner = QComboBox()
        self.runner.setAccessibleName("Who ran it")
        self.runner.currentIndexChanged.connect(self._runner_chosen)
        self.form.insertRow(0, _buddied("Who &ran it:", self.runner), self.runner)
        QWidget.setTabOrder(self.shifts, self.runner)  # first in the form, as on screen
        self.lone_working.hide()  # checking in is for the person on the shift, on their own page
        self.intro.setText(INTRO)
        self.debrief.setText("They'd like a &check-in with someone about this session")
        self.concern.setText(
            "There is a safe&guarding concern (a short form opens once the log is saved)"
        )
        with_them = self.form.labelForField(self.fields.co_volunteers)
        if isinstance(with_them, QLabel):
            with_them.setText("Who ran it with &them:")
        self.fields.co_volunteers.setAccessibleName("Who ran it with them")
        self.shifts.currentItemChanged.connect(self._ad_hoc_picked)
        self.shifts.itemActivated.connect(self._go_to_count)
        self.shifts.itemClicked.connect(self._go_to_count)

    def read_shifts(self, s: Session, now: datetime) -> list[UnloggedShift]:
        assert self.actor is not None
        return everyones_unlogged_shifts(s, self.actor, now)

    def offer(self, choices: LogChoices) -> None:
        # Anyone may have run it with the person chosen, the coordinator included.
        self.fields.offer(replace(choices, volunteers=choices.runners), self.zone)
        self.runner.blockSignals(True)
        self.runner.clear()
        self.runner.addItem(CHOOSE, "")
        for c in choices.runners:
            self.runner.addItem(c.name, str(c.id))
        self.runner.blockSignals(False)
        self._choose_own()

    def _choose_own(self) -> None:
        """The coordinator, if they have a volunteer record; else nobody yet."""
        own = self.actor.volunteer_id if self.actor else None
        self.runner.setCurrentIndex(max(self.runner.findData(str(own)), 0))
        self._runner_chosen()

    def _ad_hoc_picked(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(SHIFT) == AD_HOC:
            self._choose_own()

    def load(self, pick_newest: bool = False) -> None:
        super().load(pick_newest=True)

    def words(self, shift: UnloggedShift, today: date) -> str:
        return f"{shift_words(shift, self.zone, today)} · {shift.volunteer}"

    def fill(self, shift: UnloggedShift) -> None:
        super().fill(shift)
        index = self.runner.findData(str(shift.volunteer_id))
        if index < 0:  # no longer delivering, but was on the shift
            self.runner.addItem(shift.volunteer, str(shift.volunteer_id))
            index = self.runner.count() - 1
        self.runner.setCurrentIndex(index)

    def volunteer_id(self) -> uuid.UUID | None:
        data = self.runner.currentData()
        return uuid.UUID(data) if data else None

    def save(self) -> None:
        if self.shifts.currentItem() is not None and self.volunteer_id() is None:
            self.show_problem("Choose who ran the session.")
            self.runner.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().save()

    def thanks(self, data: SessionInput) -> str:
        thanks = f"Saved for {self.runner.currentText()}. Thank you for logging it."
        if data.debrief_requested:
            thanks += " Their supervisor will be in touch for a check-in."
        return thanks

    def showEvent(self, event: QShowEvent) -> None:
        QWidget.showEvent(self, event)
        QTimer.singleShot(0, lambda: self.shifts.setFocus(Qt.FocusReason.OtherFocusReason))

    def _go_to_count(self, item: QListWidgetItem) -> None:
        if item.data(SHIFT) == AD_HOC:
            self.runner.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.fields.attendees.setFocus(Qt.FocusReason.OtherFocusReason)

    def _runner_chosen(self) -> None:
        """The person who ran it is not also their own co-volunteer."""
        chosen = self.runner.currentData()
        people = self.fields.co_volunteers
        for n in range(people.count()):
            item = people.item(n)
            hidden = bool(chosen) and item.data(Qt.ItemDataRole.UserRole) == chosen
            item.setHidden(hidden)
            if hidden:
                item.setCheckState(Qt.CheckState.Unchecked)


class LogForOthersDialog(QDialog):
    def __init__(self, store: Store, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log a session")
        self.page = LogForOthersPage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (
            buttons.button(QDialogButtonBox.StandardButton.Close),
            self.page.save_button,
        ):
            button.setAutoDefault(False)
        self.page.save_button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        self.resize(720, 680)
        self.page.attach(store, actor)
        self.finished.connect(lambda _r: self.page.detach())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter picks a shift or saves from a count (the fields say which); it never stands
        # for a default button, which would save a half-filled form from the list.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


def _buddied(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
