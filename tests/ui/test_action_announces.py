"""What a successful action announces reaches the window its dialog belongs to; a refused one
announces nothing."""

from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from peerdesk.errors import ValidationError
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change


class Window(QWidget):
    """Stands in for the main window: it only records what it was told."""

    def __init__(self) -> None:
        super().__init__()
        self.told: list[frozenset[Change]] = []

    def announce_changes(self, changes: frozenset[Change]) -> None:
        self.told.append(changes)


def test_a_child_dialog_tells_its_window(qtbot: QtBot) -> None:
    window = Window()
    qtbot.addWidget(window)
    dialog = QDialog(window)
    with Action(lambda _s: None, parent=dialog, changes={Change.PEOPLE}):
        pass
    assert window.told == [frozenset({Change.PEOPLE})]


def test_a_refused_action_tells_nobody(qtbot: QtBot) -> None:
    window = Window()
    qtbot.addWidget(window)
    said: list[str] = []
    with Action(said.append, parent=window, changes={Change.ROTA}) as action:
        raise ValidationError("That shift has ended; choose one still to come.")
    assert action.failed and said == ["That shift has ended; choose one still to come."]
    assert window.told == []
