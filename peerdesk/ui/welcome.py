"""The first-run dialog: start a new organisation with its first coordinator, or explore the demo.

The rules are the services' own (`check_name`, `check_username`, `check_new_secret`); a refusal is
shown inside the dialog and everything typed stays as it was.
"""

import importlib.util
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCommandLinkButton, QLineEdit, QWidget

from peerdesk.services.organisation import check_name
from peerdesk.ui.account_dialogs import AccountFields, FormDialog

NEW, DEMO = "new", "demo"


@dataclass(frozen=True)
class NewOrganisation:
    name: str
    display_name: str
    username: str
    secret: str


def demo_available() -> bool:
    """The demo generator is a separate, large module that a trimmed copy may leave out."""
    return importlib.util.find_spec("peerdesk.demo") is not None


class WelcomeDialog(FormDialog):
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Welcome to peerdesk",
            "peerdesk keeps your group's rota, session logs, training and supervision on this "
            "computer, encrypted. How would you like to start?",
            "&Create",
            parent,
        )
        self.choice: str | None = None
        self.new = QCommandLinkButton(
            "&Start a new organisation",
            "Set up peerdesk for your group, with you as its first coordinator.",
        )
        self.demo = QCommandLinkButton(
            "&Explore the demo",
            "Look around with made-up volunteers, shifts and sessions. Nothing real is stored.",
        )
        if not demo_available():
            self.demo.setEnabled(False)
            self.demo.setDescription("The demo is not included in this copy of peerdesk.")
        self.body.insertWidget(1, self.new)
        self.body.insertWidget(2, self.demo)
        self.name = QLineEdit(placeholderText="For example, Riverside Peer Support")
        self.form.addRow("&Organisation:", self.name)
        self.account = AccountFields(self.form)
        self.new.clicked.connect(self._ask_details)
        self.demo.clicked.connect(self._explore_demo)
        self._show_form(False)
        self.new.setFocus()  # starting for real is the usual choice, not the demo

    def _show_form(self, visible: bool) -> None:
        for row in range(self.form.rowCount()):
            self.form.setRowVisible(row, visible)
        self.go.setVisible(visible)
        self.adjustSize()  # grow to fit the form, so no field is squeezed

    def _ask_details(self) -> None:
        self.choice = NEW
        self._show_form(True)
        self.go.setDefault(True)
        self.name.setFocus()

    def _explore_demo(self) -> None:
        self.choice = DEMO
        self.new.setEnabled(False)
        self.demo.setEnabled(False)
        self.demo_requested.emit()

    def values(self) -> NewOrganisation:
        name = check_name(self.name.text())
        account = self.account.values()
        return NewOrganisation(name, account.display_name, account.username, account.secret)

    def show_problem(self, text: str) -> None:
        self.new.setEnabled(True)
        self.demo.setEnabled(demo_available())
        super().show_problem(text)
