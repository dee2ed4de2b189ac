"""The shift dialog by keys alone: every Alt-letter on each of its tabs reaches its one
control when pressed, and a coordinator puts someone on a shift by typing their name.

A name typed into the volunteer box used to be added to its "Choose…" text, so nobody was
chosen; and a button's Alt-letter clicks only when the button comes up again, so a test
reading the database at once saw nothing happen either way."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerdesk.models import AssignmentStatus
from tests.ui.conftest import OpenWindow
from tests.ui.keyboard_checks import unheard_in_every_tab
from tests.ui.test_rota_dialog import dialog_of
from tests.ui.test_rota_views import Rota, open_in_week, open_rota, places, rota

__all__ = ["rota"]  # the fixture


def alt(qtbot: QtBot, letter: str) -> None:
    here = QApplication.focusWidget()
    assert here is not None, "nothing has the keyboard focus"
    qtbot.keyClick(here, Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier)


def test_a_coordinator_puts_someone_on_by_keys(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    problems = unheard_in_every_tab(dialog, qtbot)
    assert not problems, "\n".join(problems)

    alt(qtbot, "p")  # the "Put someone on" tab
    alt(qtbot, "v")  # the volunteer box
    tabs = dialog.coordinator
    assert tabs.volunteer.hasFocus() and tabs.volunteer.currentText() == ""
    qtbot.keyClicks(QApplication.focusWidget(), "bea")  # the completer fills in the rest
    assert tabs.volunteer.currentText() == "Bea E."
    assert "Nothing stands in the way of Bea" in tabs.concerns.text()
    alt(qtbot, "n")  # Put on shift: clicked as the button comes up again
    qtbot.waitUntil(lambda: bool(places(control, rota.open_shift)), timeout=5_000)
    assert places(control, rota.open_shift) == {rota.bea: AssignmentStatus.CONFIRMED}
    assert dialog.outcome.text() == "Bea E. is on the shift."


def test_a_name_that_names_nobody_chooses_nobody(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    """Typing over a chosen name un-chooses them: Put on shift asks who, and saves nothing."""
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    tabs = dialog.coordinator
    dialog.tabs.setCurrentIndex(1)
    tabs.volunteer.setCurrentIndex(tabs.volunteer.findText("Bea E."))
    tabs.volunteer.lineEdit().setText("Nobody by this name")
    assert tabs.concerns.text() == ""
    tabs.put_on.click()
    assert dialog.problem.text() == "Choose who to put on the shift first."
    assert places(control, rota.open_shift) == {}
