"""A paper feedback form typed in from the Sessions list: at most ten interactions from the list
to the saved form, the database holding exactly what was on the paper; a slip is said back in
one sentence and nothing is saved."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.models import EnteredFrom, FeedbackAnswer, FeedbackResponse, MeasureItem, Participant
from peerdesk.ui.feedback_paper import PaperFormDialog
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import SignInAs
from tests.ui.test_session_log_for_others import Typist
from tests.ui.test_session_log_form import Logging, log_page, logging

__all__ = ["logging"]


def _logged_and_listed(window: MainWindow, qtbot: QtBot) -> None:
    """Vic logs the session just run, then opens the Sessions list."""
    page = log_page(window)
    page.fields.attendees.setText("7")  # logging itself is tested in test_session_log_form
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.done.text().startswith("Saved"), page.problem.text()
    window.show_area("sessions")
    sessions = window.lists["sessions"]
    qtbot.waitUntil(lambda: sessions.model is not None and sessions.model.total() == 1)


def _paper(control: StoreControl) -> PaperFormDialog:
    dialog = control.feedback_desk.paper
    assert isinstance(dialog, PaperFormDialog)
    return dialog


def test_a_paper_form_is_typed_in_within_ten_interactions(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    window.activateWindow()
    _logged_and_listed(window, qtbot)
    table = window.lists["sessions"].table
    person = Typist(qtbot)
    person.click(table.viewport(), table.visualRect(table.model().index(0, 0)).center())  # 1
    person.press_with_alt(Qt.Key.Key_R)  # 2: "Type in a paper form…"
    qtbot.waitUntil(lambda: control.feedback_desk.paper is not None)  # a mnemonic animates
    dialog = _paper(control)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.boxes[0].edit)
    person.type("7 8 6 3")  # 3: the four wellbeing answers, as on the paper
    assert dialog.boxes[0].said.text() == (
        "Life satisfaction: 7 · Things done are worthwhile: 8 · Happy yesterday: 6 · "
        "Anxious yesterday: 3"
    )
    person.press(Qt.Key.Key_Tab)  # 4
    person.type("5 - 4")  # 5: the group's questions, one left blank
    person.press(Qt.Key.Key_Tab)  # 6
    person.type("Walking together")  # 7
    person.press(Qt.Key.Key_Tab)  # 8
    person.type("Otter 12")  # 9
    person.press(Qt.Key.Key_Return)  # 10: save
    assert person.count <= 10
    assert dialog.note.text() == "Saved. Ready for the next form.", dialog.problem.text()
    assert dialog.boxes[0].edit.text() == "" and dialog.code.text() == ""
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        response = s.scalars(select(FeedbackResponse)).one()
        scored = select(MeasureItem.key, FeedbackAnswer.value).join(MeasureItem)
        answers = dict(s.execute(scored.where(FeedbackAnswer.value.is_not(None))).all())
        code = s.scalars(select(Participant.code)).one()
    assert response.entered_from is EnteredFrom.PAPER and response.session_log_id is not None
    assert answers == {
        "ons4.life_satisfaction": 7, "ons4.worthwhile": 8, "ons4.happy": 6, "ons4.anxious": 3,
        "peer.understood": 5, "peer.come_again": 4,
    }  # fmt: skip
    assert code == "otter12"


def test_a_slip_is_said_plainly_and_nothing_is_saved(
    signed_in_as: SignInAs, logging: Logging, qtbot: QtBot
) -> None:
    window, control = signed_in_as("vic")
    _logged_and_listed(window, qtbot)
    window.lists["sessions"].table.selectRow(0)
    qtbot.mouseClick(control.feedback_desk.tools.paper, Qt.MouseButton.LeftButton)
    dialog = _paper(control)
    for typed, said in (
        ("7 8 6 3 9", "Type up to 4 numbers from 0 to 10 for ONS personal wellbeing (ONS4)"),
        ("7 eleven", "Type up to 4 numbers from 0 to 10 for ONS personal wellbeing (ONS4)"),
    ):
        dialog.boxes[0].edit.setText(typed)
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        assert dialog.problem.text().startswith(said), dialog.problem.text()
    dialog.boxes[0].edit.setText("7 8 6 3")
    dialog.code.setText("someone@example.org")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == (
        "A code must not be an email address: choose a made-up word, such as bluefox7."
    )
    assert dialog.boxes[0].edit.text() == "7 8 6 3"  # nothing typed is lost
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.scalars(select(FeedbackResponse)).all() == []
