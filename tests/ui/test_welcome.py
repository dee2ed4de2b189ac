"""First run: the welcome dialog and the organisation it creates."""

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.errors import ValidationError
from peerdesk.services.organisation import current_organisation
from peerdesk.ui.welcome import NEW, WelcomeDialog
from tests.ui.conftest import OpenWindow


def _refuse(name: str) -> None:
    raise ValidationError("The organisation's name is too long (at most 200 letters).")


def test_validation_message_shown_and_typed_name_kept(qtbot: QtBot) -> None:
    dialog = WelcomeDialog(_refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name, "Riverside Peer Support")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problem.isVisible()
    assert "too long" in dialog.problem.text()
    assert dialog.name.text() == "Riverside Peer Support"


def test_an_empty_name_is_refused_by_the_real_rule(qtbot: QtBot, store: Store) -> None:
    def create(name: str) -> None:
        from peerdesk.services.organisation import create_organisation

        with store.session() as s:
            create_organisation(s, name)

    dialog = WelcomeDialog(create)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name, "   ")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "Give the organisation a name" in dialog.problem.text()
    assert dialog.name.text() == "   "


def test_first_run_new_organisation_is_saved(
    open_window: OpenWindow,
    empty_folder: DataFolder,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def person_at_keyboard(dialog: WelcomeDialog) -> int:
        dialog.show()
        qtbot.mouseClick(dialog.new, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.name, "Riverside Peer Support")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(WelcomeDialog, "exec", person_at_keyboard)
    window, control = open_window(empty_folder)
    assert control.store is not None
    with control.store.read() as s:
        org = current_organisation(s)
    assert org is not None and org.name == "Riverside Peer Support"
    assert "Riverside Peer Support" in window.today.title.text()


def test_cancelling_the_welcome_leaves_a_way_back(
    open_window: OpenWindow, empty_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: 0)
    window, _ = open_window(empty_folder)
    assert not window.today.set_up.isHidden()


def test_choosing_new_records_the_choice(qtbot: QtBot) -> None:
    made: list[Any] = []
    dialog = WelcomeDialog(made.append)
    qtbot.addWidget(dialog)
    dialog._ask_name()
    dialog.name.setText("Hope Group")
    dialog._create_organisation()
    assert (dialog.choice, made) == (NEW, ["Hope Group"])
