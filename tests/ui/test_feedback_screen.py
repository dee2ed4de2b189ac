"""The feedback screen through the real window: a volunteer logs the session they ran and hands
the laptop over; a participant answers by keyboard alone in under a minute of typing, and the
window locks when they finish. Every way out (Escape, Alt+F4, closing the window, Ctrl+Tab, the
menus' and areas' shortcuts) leaves them on the screen, and Tab reaches nothing else."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db.sealing import is_sealed
from peerdesk.models import EnteredFrom, FeedbackAnswer, FeedbackResponse, MeasureItem, Participant
from peerdesk.ui.focus import tab_stops
from peerdesk.ui.main_window import MainWindow
from tests.ui.conftest import SignInAs
from tests.ui.test_session_log_form import Logging, _open, log_page, logging

__all__ = ["logging"]
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
SECONDS_PER_KEY = 1.0  # a slow, careful typist: most people type two to five keys a second


class Participant_:
    """Presses keys where the keyboard is, counting each one (a letter typed is a key)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.keys = qtbot, 0

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focused(), text)
        self.keys += len(text)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)
        self.keys += 1


def hand_over(window: MainWindow, qtbot: QtBot) -> None:
    """Vic logs the session just run (7 came) and hands the laptop over from the thanks."""
    page = log_page(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.fields.attendees)
    qtbot.keyClicks(page.fields.attendees, "7")
    qtbot.keyClick(page.fields.attendees, Qt.Key.Key_Return)
    assert page.feedback.isVisible()
    qtbot.mouseClick(page.feedback, Qt.MouseButton.LeftButton)
    screen = window.control.feedback_desk.screen
    qtbot.waitUntil(lambda: window.screens.currentWidget() is screen)
    qtbot.waitUntil(lambda: screen.rows[0].hasFocus())


def test_a_participant_answers_by_keyboard_in_under_a_minute_and_the_window_locks(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    window.activateWindow()
    hand_over(window, qtbot)
    screen = control.feedback_desk.screen
    person = Participant_(qtbot)
    for score in ("7", "8", "6", "3"):  # ONS4: satisfied, worthwhile, happy, anxious
        person.type(score)
        person.press(Qt.Key.Key_Return)
    for agree in ("5", "4", "5"):  # understood, less alone, would come again
        person.type(agree)
        person.press(Qt.Key.Key_Return)
    assert person.focused() is screen.helped
    person.type("Being listened to")
    person.press(Qt.Key.Key_Return)
    assert person.focused() is screen.code
    person.type("Blue Fox 7")
    person.press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Done
    assert person.keys * SECONDS_PER_KEY <= 60, f"{person.keys} keys"
    # Back to the sign-in screen: the participant never lands in Vic's account.
    qtbot.waitUntil(lambda: window.screens.currentWidget() is not screen)  # a mnemonic animates
    assert window.screens.currentWidget() is window.sign_in_page, screen.problem.text()
    assert control.signed_in is None and window.menuBar().isVisible()
    window.close()
    store = _open(logging.folder)
    try:
        with store.read() as s:
            [response] = s.scalars(select(FeedbackResponse)).all()
            answers = s.execute(select(MeasureItem.key, FeedbackAnswer.value, FeedbackAnswer.words)
                                .join(MeasureItem)).all()  # fmt: skip
            code = s.scalars(select(Participant.code)).one()
    finally:
        store.close(backup=False)
    assert response.entered_from is EnteredFrom.SCREEN and response.session_log_id is not None
    assert {k: v for k, v, _w in answers if v is not None} == {
        "ons4.life_satisfaction": 7, "ons4.worthwhile": 8, "ons4.happy": 6, "ons4.anxious": 3,
        "peer.understood": 5, "peer.less_alone": 4, "peer.come_again": 5,
    }  # fmt: skip
    # The participant's own words are kept, sealed (docs/keys.md): never in clear in the file.
    [words] = [w for k, _v, w in answers if k == "peer.what_helped"]
    assert words and is_sealed(words) and "listened" not in words
    assert code == "bluefox7"


def _nothing_else_open(window: MainWindow) -> list[str]:
    """Dialogs, menus or other windows open over the screen (none should be)."""
    found = [d.windowTitle() for d in window.findChildren(QDialog) if d.isVisible()]
    for other in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
        if other is not None:
            found.append(type(other).__name__)
    if QApplication.activeWindow() not in (window, None):
        found.append("another window")
    return found


def test_every_way_out_leaves_the_participant_on_the_screen(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    window.activateWindow()
    hand_over(window, qtbot)
    screen = control.feedback_desk.screen
    signed = control.signed_in
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    # Tab goes round the screen's own controls only.
    assert all(screen.isAncestorOf(w) for w in tab_stops(window))
    control_keys = [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier),
        *((k, Qt.KeyboardModifier.ControlModifier) for k in (Qt.Key.Key_1, Qt.Key.Key_2,
          Qt.Key.Key_3, Qt.Key.Key_L, Qt.Key.Key_Q, Qt.Key.Key_F, Qt.Key.Key_S, Qt.Key.Key_W)),
        *((k, Qt.KeyboardModifier.AltModifier) for k in (Qt.Key.Key_F, Qt.Key.Key_E,
          Qt.Key.Key_G, Qt.Key.Key_H, Qt.Key.Key_S, Qt.Key.Key_L, Qt.Key.Key_I)),
        (Qt.Key.Key_Alt, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier),
    ]  # fmt: skip
    for start in (screen.rows[0], screen.helped, screen.finish):
        start.setFocus()
        for key, modifier in control_keys:
            qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
            qtbot.wait(5)  # a mnemonic's click or a menu would show by now
            where = f"{key.name} with {modifier.name} from {type(start).__name__}"
            assert window.screens.currentWidget() is screen, where
            assert QApplication.activePopupWidget() is None, where
            assert not _nothing_else_open(window), where
            assert control.signed_in is signed, where
    # The window's cross (or Alt+F4 sent by the window system) is refused.
    assert not window.close()
    assert window.isVisible() and window.screens.currentWidget() is screen
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]
    qtbot.mouseClick(screen.skip, Qt.MouseButton.LeftButton)
    assert window.screens.currentWidget() is window.sign_in_page
    assert control.signed_in is None
    assert window.menuBar().isVisible() and window.statusBar().isVisible()


def test_skipping_or_answering_nothing_records_nothing(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    window.activateWindow()
    hand_over(window, qtbot)
    screen = control.feedback_desk.screen
    qtbot.keyClick(screen.rows[0], Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Done, blank
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.sign_in_page)
    window.close()
    store = _open(logging.folder)
    try:
        with store.read() as s:
            assert s.scalars(select(FeedbackResponse)).all() == []
    finally:
        store.close(backup=False)
