"""Settings: the outcome measures in the window, as `peerdesk measure` does them: a coordinator
switches a measure off by keyboard, imports the invented measure from its file (a bad file is
one sentence and adds nothing), and rewords one of the group's own questions (a refused
wording stays typed); the database is checked each time. Nobody else is shown the box."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk.models import Measure, MeasureItem
from peerdesk.ui import measures_box
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.measures_box import MeasuresBox
from peerdesk.ui.store_control import StoreControl
from tests.test_outcomes_measures import INVENTED
from tests.ui.conftest import SignInAs
from tests.ui.keyboard_checks import clashes, mnemonic, out_of_order


def settings_box(window: MainWindow) -> MeasuresBox:
    window.show_area("settings")
    assert window.settings_page is not None
    return window.settings_page.measures


def stored(control: StoreControl) -> dict[str, bool]:
    """Each measure's key and whether it is asked, as the database has them."""
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        return {key: active for key, active in s.execute(select(Measure.key, Measure.active))}


def wording(control: StoreControl, key: str) -> str:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        return s.scalars(select(MeasureItem.text).where(MeasureItem.key == key)).one()


def test_a_coordinator_switches_a_measure_off_by_keyboard_and_on_again(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    box = settings_box(window)
    assert box.isVisible()
    assert stored(control) == {"ons4": True, "peer": True}
    keys = [box.measures.item(n).data(Qt.ItemDataRole.UserRole) for n in range(2)]
    assert keys == ["ons4", "peer"]
    box.measures.setFocus()
    box.measures.setCurrentRow(1)
    qtbot.keyClick(box.measures, Qt.Key.Key_Space)
    assert stored(control) == {"ons4": True, "peer": False}
    assert "no longer asked; its figures stay" in box.problem.text()
    qtbot.keyClick(box.measures, Qt.Key.Key_Space)
    assert stored(control) == {"ons4": True, "peer": True}
    assert box.measures.item(1).checkState() == Qt.CheckState.Checked


def test_a_measure_file_is_imported_and_a_bad_one_is_one_sentence(
    signed_in_as: SignInAs, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window, control = signed_in_as("coordinator")
    box = settings_box(window)
    bad = tmp_path / "measure.json"
    bad.write_text('{"format": "peerdesk-measure/1", "key": "calm7"', encoding="utf-8")
    monkeypatch.setattr(measures_box, "ask_measure_file", lambda _parent: str(bad))
    qtbot.mouseClick(box.import_file, Qt.MouseButton.LeftButton)
    said = box.problem.text()
    assert said.endswith(".") and "\n" not in said and "Traceback" not in said
    assert "JSON" in said or "json" in said, said
    assert stored(control) == {"ons4": True, "peer": True}
    monkeypatch.setattr(measures_box, "ask_measure_file", lambda _parent: str(INVENTED))
    qtbot.mouseClick(box.import_file, Qt.MouseButton.LeftButton)
    assert stored(control) == {"ons4": True, "peer": True, "calm7": True}
    assert "Imported Calm and coping (invented for tests): 7 questions" in box.problem.text()
    assert "an invented measure for peerdesk's tests" in box.problem.text()  # its notice
    assert box.measures.count() == 3
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        items = s.scalar(select(func.count()).select_from(MeasureItem).where(
            MeasureItem.key.like("calm7.%")))  # fmt: skip
    assert items == 7
    qtbot.mouseClick(box.import_file, Qt.MouseButton.LeftButton)  # the same file again
    assert 'already a measure "calm7"' in box.problem.text()


def test_a_coordinator_rewords_the_group_s_own_question(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    box = settings_box(window)
    box.question.setCurrentIndex(box.question.findData("peer.less_alone"))
    assert box.wording.text() == wording(control, "peer.less_alone")
    box.wording.clear()
    qtbot.keyClicks(box.wording, "x" * 501)
    qtbot.mouseClick(box.save_wording, Qt.MouseButton.LeftButton)
    assert "at most 500 letters" in box.problem.text()
    assert box.wording.text() == "x" * 501, "a refused wording stays typed"
    assert wording(control, "peer.less_alone") == "I felt less alone"
    box.wording.clear()
    qtbot.keyClicks(box.wording, "I felt less on my own")
    qtbot.keyClick(box.save_wording, Qt.Key.Key_Space)
    assert wording(control, "peer.less_alone") == "I felt less on my own"
    assert box.question.currentData() == "peer.less_alone"
    assert box.question.currentText() == "I felt less on my own"


@pytest.mark.parametrize("username", ["tess", "vic", "sam"])
def test_nobody_else_is_shown_the_measures(signed_in_as: SignInAs, username: str) -> None:
    window, _control = signed_in_as(username)
    assert not settings_box(window).isVisible()


def test_the_box_adds_no_alt_letter_twice_and_keeps_the_tab_order(signed_in_as: SignInAs) -> None:
    window, _control = signed_in_as("coordinator")
    box = settings_box(window)
    assert box.isVisible()
    assert clashes(window) == {}
    assert out_of_order(window) == []
    letters = {mnemonic(w.text()) for w in (box.import_file, box.save_wording)}
    assert letters == {"i", "w"}
