"""Dialogs that set a password: the first coordinator of data made before encryption, recovery
with the recovery key, changing your own password or PIN, and choosing your own in place of one
a coordinator gave you.

Each is a `FormDialog`: the quick rules (the two passwords match, a username is allowed, a
password is long enough) are checked as the button is pressed; then `submitted` carries what was
typed to the slow work, which runs in the background and answers with `finish()` or
`show_problem(sentence)`. A problem is shown inside the dialog and nothing typed is cleared.
"""

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import UserRole
from peerdesk.services.accounts import check_username
from peerdesk.services.secrets_policy import check_new_secret
from peerdesk.ui.focus import start_on_first_field

NOT_THE_SAME = "The two passwords are not the same. Type the new password again in both boxes."


@dataclass(frozen=True)
class NewAccount:
    display_name: str
    username: str
    secret: str


@dataclass(frozen=True)
class Recovery:
    username: str
    recovery_key: str
    secret: str


@dataclass(frozen=True)
class SecretChange:
    current: str
    new: str


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def matching_secret(first: QLineEdit, again: QLineEdit) -> str:
    if first.text() != again.text():
        raise ValidationError(NOT_THE_SAME)
    return first.text()


class FormDialog(QDialog):
    submitted = Signal(object)

    def __init__(self, title: str, intro: str, action: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(intro, wordWrap=True)
        self.form = QFormLayout()
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setAutoDefault(False)  # Enter in a field means "go ahead", never "cancel"
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self._action = action
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.intro)
        self.body.addLayout(self.form)
        self.body.addWidget(self.problem)
        self.body.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.go.setDefault(True)  # set once shown: the button box picks its own before that
        start_on_first_field(self)  # the buttons come first in the focus chain: made first

    def values(self) -> Any:
        """What was typed, after the quick checks; raises ValidationError to say what to fix."""
        raise NotImplementedError

    def _submit(self) -> None:
        try:
            typed = self.values()
        except PeerdeskError as err:
            self.show_problem(str(err))
            return
        self.set_busy(True)
        self.submitted.emit(typed)

    def set_busy(self, busy: bool) -> None:
        self.go.setEnabled(not busy)
        self.go.setText("Please wait…" if busy else self._action)

    def show_problem(self, text: str) -> None:
        self.set_busy(False)
        self.problem.setText(text)
        self.problem.show()
        self.adjustSize()  # room for the message: a dialog never squeezes its own fields

    def finish(self) -> None:
        self.set_busy(False)
        self.accept()


class AccountFields:
    """Name, username and the new password twice: the first coordinator's account."""

    def __init__(self, form: QFormLayout) -> None:
        self.display_name = QLineEdit(placeholderText="How others see you, e.g. Ffion Jones")
        self.username = QLineEdit(placeholderText="For signing in, e.g. ffion")
        self.secret = secret_field("Password")
        self.again = secret_field("Password again")
        form.addRow("Your &name:", self.display_name)
        form.addRow("&Username:", self.username)
        form.addRow("&Password:", self.secret)
        form.addRow("Password &again:", self.again)
        hint = QLabel(
            "At least 10 characters. A few ordinary words together are easy to "
            "remember and hard to guess.",
            wordWrap=True,
        )
        form.addRow("", hint)

    def values(self) -> NewAccount:
        username = check_username(self.username.text())
        secret = matching_secret(self.secret, self.again)
        check_new_secret(secret, username, UserRole.COORDINATOR, pins_allowed=False)
        return NewAccount(self.display_name.text().strip() or username, username, secret)


class EncryptDialog(FormDialog):
    """Data from before encryption: make the first coordinator, then encrypt."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Protect your data",
            "This data was made by an earlier peerdesk and is not encrypted yet. Set up the "
            "first coordinator's account: peerdesk will then encrypt the data, so that only "
            "people with an account can open it.",
            "&Encrypt and sign in",
            parent,
        )
        self.account = AccountFields(self.form)

    def values(self) -> NewAccount:
        return self.account.values()


class RecoverDialog(FormDialog):
    """The recovery key sets a new password for a coordinator."""

    def __init__(self, usernames: list[str], parent: QWidget | None = None) -> None:
        super().__init__(
            "Use the recovery key",
            "The recovery key was shown once when peerdesk was set up, and is usually kept "
            "on paper by a trustee. With it you can set a new password for a coordinator, "
            "who can then reset anyone else's.",
            "&Set password and sign in",
            parent,
        )
        self.username = QLineEdit(placeholderText="The coordinator's username")
        if len(usernames) == 1:
            self.username.setText(usernames[0])
        self.recovery_key = QLineEdit(placeholderText="As printed, with or without dashes")
        self.recovery_key.setAccessibleName("Recovery key")
        self.secret = secret_field("New password")
        self.again = secret_field("New password again")
        self.form.addRow("&Coordinator:", self.username)
        self.form.addRow("&Recovery key:", self.recovery_key)
        self.form.addRow("&New password:", self.secret)
        self.form.addRow("New password &again:", self.again)

    def values(self) -> Recovery:
        if not self.recovery_key.text().strip():
            raise ValidationError("Type the recovery key as it is printed.")
        username = check_username(self.username.text())
        secret = matching_secret(self.secret, self.again)
        check_new_secret(secret, username, UserRole.COORDINATOR, pins_allowed=False)
        return Recovery(username, self.recovery_key.text(), secret)


class ChangeSecretDialog(FormDialog):
    def __init__(self, uses_pins: bool, parent: QWidget | None = None) -> None:
        kind = "password or PIN" if uses_pins else "password"
        super().__init__(
            f"Change my {kind}",
            f"Type the {kind} you use now, then the new one twice.",
            f"C&hange {kind}",
            parent,
        )
        self.current = secret_field(f"Current {kind}")
        self.secret = secret_field(f"New {kind}")
        self.again = secret_field(f"New {kind} again")
        self.form.addRow(f"&Current {kind}:", self.current)
        self.form.addRow(f"&New {kind}:", self.secret)
        self.form.addRow(f"New {kind} &again:", self.again)

    def values(self) -> SecretChange:
        if not self.current.text():
            raise ValidationError("Type the password or PIN you use now first.")
        if self.secret.text() != self.again.text():
            raise ValidationError(NOT_THE_SAME)
        return SecretChange(self.current.text(), self.secret.text())


class ChooseOwnSecretDialog(FormDialog):
    """At the first sign-in with a password a coordinator handed over: the person chooses their
    own before anything else (the one they typed to sign in is the current one)."""

    def __init__(self, uses_pins: bool, parent: QWidget | None = None) -> None:
        kind = "password or PIN" if uses_pins else "password"
        super().__init__(
            f"Choose your own {kind}",
            f"You signed in with a {kind} a coordinator gave you. Someone else has seen it, so "
            f"choose your own now: only you will know it. Type it twice.",
            f"&Use my new {kind}",
            parent,
        )
        self.setAccessibleName(f"Choose your own {kind}")
        self.secret = secret_field(f"New {kind}")
        self.again = secret_field(f"New {kind} again")
        self.form.addRow(f"&New {kind}:", self.secret)
        self.form.addRow(f"New {kind} &again:", self.again)
        hint = "At least 10 characters; a few ordinary words together are easy to remember."
        if uses_pins:
            hint += " Or a PIN of at least 6 digits that is not easy to guess."
        self.form.addRow("", QLabel(hint, wordWrap=True))

    def values(self) -> str:
        if not self.secret.text():
            raise ValidationError("Type the new password or PIN you want to use.")
        return matching_secret(self.secret, self.again)
