""" "Log a session…" on the Sessions page: a coordinator with no volunteer record logs a session
for the volunteer who ran it (say from a paper form), by keyboard, in a few interactions."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.models import AuditEvent, SessionLog, User, Volunteer
from peerdesk.services.sessions.recording import LOGGED_FOR
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.session_log_for_others import LogForOthersDialog
from tests.ui.conftest import SignInAs
from tests.ui.test_session_log_form import Logging, Person, logging

__all__ = ["logging"]


def _log_dialog(window: MainWindow) -> LogForOthersDialog:
    dialog = window.session_desk.log_dialog
    assert isinstance(dialog, LogForOthersDialog)
    return dialog


class Typist(Person):
    def press_with_alt(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.focused(), key, Qt.KeyboardModifier.AltModifier)
        self.count += 1


def _mnemonics(texts: list[str]) -> list[str]:
    return [text[text.index("&") + 1].lower() for text in texts if "&" in text]


def test_a_coordinator_logs_a_volunteers_session_from_the_sessions_page(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("sessions")
    window.activateWindow()
    page = window.lists["sessions"]
    button = window.session_desk.bar.log
    assert button.isVisible() and button.text() == "&Log a session…"
    # Alt+L clashes with nothing else on the page or in the menu bar.
    texts = [b.text() for b in page.findChildren(QPushButton) if b.isVisible()]
    taken = _mnemonics([*texts, *(a.text() for a in window.menuBar().actions())])
    assert taken.count("l") == 1
    page.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)
    person = Typist(qtbot)
    person.press_with_alt(Qt.Key.Key_L)  # 1: Alt+L
    qtbot.waitUntil(lambda: window.session_desk.log_dialog is not None)  # a mnemonic animates
    dialog = _log_dialog(window)
    form = dialog.page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.shifts)
    # The newest shift nobody has logged is picked, naming who was on it.
    assert form.picked_shift() == logging.just_run
    assert form.shifts.currentItem().text().endswith("· Ola")
    assert form.runner.currentText() == "Ola"
    form.runner.setCurrentIndex(form.runner.findText("Vic"))  # the paper form is Vic's
    person.count += 1  # 2: choosing who ran it
    form.shifts.setFocus()
    person.press(Qt.Key.Key_Return)  # 3: on to the head count
    assert person.focused() is form.fields.attendees
    person.type("8")  # 4
    person.press(Qt.Key.Key_Return)  # 5: save
    assert person.count <= 6
    assert form.done.text() == "Saved for Vic. Thank you for logging it."
    assert dialog.isVisible()  # ready for the next paper form
    assert form.shifts.item(0).text().startswith(("Monday", "Tuesday", "Wed", "Thu", "Fri",
                                                  "Sat", "Sun", "Yesterday", "Today"))  # fmt: skip
    assert form.picked_shift() == logging.last_week
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        log = s.scalars(select(SessionLog)).one()
        vic = s.scalar(select(Volunteer.id).where(Volunteer.preferred_name == "Vic"))
        coordinator = s.scalar(select(User.id).where(User.username == "coordinator"))
        entered = s.scalars(select(AuditEvent).where(AuditEvent.action == LOGGED_FOR)).one()
    assert (log.shift_id, log.volunteer_id, log.attendees) == (logging.just_run, vic, 8)
    assert entered.user_id == coordinator and entered.entity_id == str(log.id)
    # The list behind shows it once the dialog closes.
    qtbot.keyClick(form.shifts, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: page.model is not None and page.model.total() == 1)


def test_an_ad_hoc_session_needs_who_ran_it(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    window.show_area("sessions")
    qtbot.mouseClick(window.session_desk.bar.log, Qt.MouseButton.LeftButton)
    form = _log_dialog(window).page
    form.shifts.setCurrentRow(form.shifts.count() - 1)  # "Something else"
    assert form.runner.currentText() == "Choose who ran it"
    form.fields.attendees.setText("2")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.problem.text() == "Choose who ran the session."
    form.runner.setCurrentIndex(form.runner.findText("Sam"))
    typed = form.fields.read()
    assert typed.ended_at - typed.started_at == timedelta(hours=1)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.done.text().startswith("Saved for Sam")
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        log = s.scalars(select(SessionLog)).one()
        sam = s.scalar(select(Volunteer.id).where(Volunteer.preferred_name == "Sam"))
    assert log.volunteer_id == sam and log.shift_id is None and log.attendees == 2
