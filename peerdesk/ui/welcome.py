"""The first-run dialog: start a new organisation, or explore the demo.

The name is checked by the service that creates the organisation; if it refuses, its sentence is
shown inside the dialog and the name stays as typed.
"""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import PeerdeskError

NEW, DEMO = "new", "demo"


class WelcomeDialog(QDialog):
    def __init__(self, create: Callable[[str], None], parent: QWidget | None = None) -> None:
        """`create(name)` makes the organisation, raising PeerdeskError if it cannot."""
        super().__init__(parent)
        self.setWindowTitle("Welcome to peerdesk")
        self.choice: str | None = None
        self._create = create
        self.new = QCommandLinkButton(
            "Start a &new organisation",
            "Set up peerdesk for your group; add volunteers and shifts afterwards.",
        )
        self.demo = QCommandLinkButton(
            "&Explore the demo",
            "Look around with made-up volunteers, shifts and sessions. Nothing real is stored.",
        )
        self.name = QLineEdit(placeholderText="For example, Riverside Peer Support")
        self.problem = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "&Create", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._lay_out()
        self.new.clicked.connect(self._ask_name)
        self.demo.clicked.connect(self._explore_demo)
        self.buttons.accepted.connect(self._create_organisation)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        intro = QLabel(
            "peerdesk keeps your group's rota, session logs, training and supervision on this "
            "computer. How would you like to start?",
            wordWrap=True,
        )
        label = QLabel("Organisation &name:")
        label.setBuddy(self.name)
        self.problem.setAccessibleName("Problem with the name")
        layout = QVBoxLayout(self)
        for widget in (intro, self.new, self.demo, label, self.name, self.problem, self.buttons):
            layout.addWidget(widget)
        self._naming = (label, self.name, self.create_button)
        self._show_naming(False)
        self.problem.hide()

    def _show_naming(self, visible: bool) -> None:
        for widget in self._naming:
            widget.setVisible(visible)

    def _ask_name(self) -> None:
        self._show_naming(True)
        self.create_button.setDefault(True)
        self.name.setFocus()

    def _explore_demo(self) -> None:
        self.choice = DEMO
        self.accept()

    def _create_organisation(self) -> None:
        try:
            self._create(self.name.text())
        except PeerdeskError as err:
            self.problem.setText(str(err))
            self.problem.show()
            self.name.setFocus()
            return
        self.choice = NEW
        self.accept()
