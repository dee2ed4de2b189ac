"""The sign-in screen, a page of the main window: choose your name, type your password or PIN.

The names come from the keys file (the database is still locked). Nothing about the group is
shown here: the organisation's name and everything else live in the encrypted database.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SignInPage(QWidget):
    sign_in_requested = Signal(str, str)  # username, password or PIN
    recovery_requested = Signal()
    server_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.username = QComboBox(editable=True)
        self.username.setAccessibleName("Username")
        self.username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.username_text = self.username.lineEdit() or QLineEdit()
        self.username_text.setPlaceholderText("Choose or type your username")
        self.secret = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Password or PIN")
        self.sign_in = QPushButton("&Sign in")
        self.sign_in.setDefault(True)
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("Sign-in message")
        bold = self.message.font()
        bold.setBold(True)
        self.message.setFont(bold)
        self.message.hide()
        self.forgotten = QCommandLinkButton(
            "Forgotten password?", "A coordinator can use the recovery key to set a new one."
        )
        self.forgotten.setAccessibleName("Forgotten password? Use the recovery key")
        self.set_up = QCommandLinkButton(
            "Set up peerdesk…", "Start your organisation, or the demo."
        )
        self.set_up.hide()
        self.use_server = QCommandLinkButton(
            "Use a server…", "When your group's data is kept on a PostgreSQL server."
        )
        self._lay_out()
        self.sign_in.clicked.connect(self._submit)
        self.secret.returnPressed.connect(self._submit)
        self.username_text.returnPressed.connect(self.secret.setFocus)
        self.forgotten.clicked.connect(self.recovery_requested)
        self.use_server.clicked.connect(self.server_requested)

    def _lay_out(self) -> None:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(460)
        form = QFormLayout()
        form.addRow("&Username:", self.username)
        form.addRow("&Password or PIN:", self.secret)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 20)
        inner.setSpacing(12)
        inner.addWidget(QLabel("<h1>peerdesk</h1>"))
        inner.addWidget(QLabel("Sign in to see the rota, your sessions and your records."))
        inner.addLayout(form)
        inner.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sign_in)
        inner.addLayout(row)
        inner.addWidget(self.forgotten)
        inner.addWidget(self.set_up)
        inner.addWidget(self.use_server)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card, 3)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(centred)
        layout.addStretch(2)

    def show_names(self, usernames: list[str], chosen: str = "") -> None:
        """Offer `usernames`; `chosen` is filled in (empty after someone locks the screen, so
        the screen does not say who was here last)."""
        self.username.clear()
        self.username.addItems(usernames)
        self.username.setEditText(chosen)
        self.secret.clear()
        self.set_busy(False)
        (self.secret if chosen else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        """Why signing in did not work; the username stays, the password is cleared."""
        self.set_busy(False)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.secret.clear()
        self.secret.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.secret, self.sign_in, self.forgotten):
            widget.setEnabled(not busy)
        self.sign_in.setText("Signing in…" if busy else "&Sign in")

    def _submit(self) -> None:
        username = self.username.currentText().strip()
        if not username:
            self.show_message("Choose your username first.")
            self.username.setFocus()
            return
        if not self.secret.text():
            self.show_message("Type your password or PIN.")
            return
        self.message.hide()
        self.set_busy(True)
        self.sign_in_requested.emit(username, self.secret.text())

    def signed_in(self) -> None:
        """Forget the password as soon as it has done its job."""
        self.secret.clear()
        self.message.hide()
        self.set_busy(False)
