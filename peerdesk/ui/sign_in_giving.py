"""Giving someone a sign-in from their volunteer record, and showing a first password once.

The coordinator chooses the username (a free one is suggested from the person's name) and the
role; peerdesk makes the first password (or PIN), which the coordinator hands over and the person
replaces at their first sign-in. Making the keyslot is deliberately slow (Argon2), so it runs in
the background like signing in.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from peerdesk.models import UserRole
from peerdesk.services import accounts
from peerdesk.services.accounts import FirstSecret
from peerdesk.services.auth import SignedIn, pins_allowed
from peerdesk.services.secrets_policy import PIN_RISK, may_use_pin
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.clipboard import CLEAR_AFTER_MS, copy_confidential
from peerdesk.ui.messages import sentence
from peerdesk.ui.tasks import TaskRunner

ROLE_WORDS = {
    UserRole.VOLUNTEER: "Volunteer",
    UserRole.SUPERVISOR: "Supervisor (and volunteer)",
    UserRole.COORDINATOR: "Coordinator (and volunteer)",
    UserRole.TRUSTEE: "Trustee",
}


@dataclass(frozen=True)
class SignInChoice:
    username: str
    role: UserRole
    pin: bool


def role_box(current: UserRole = UserRole.VOLUNTEER) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName("Role")
    for role, words in ROLE_WORDS.items():
        box.addItem(words, role)
    box.setCurrentIndex(box.findData(current))
    return box


class GiveSignInDialog(FormDialog):
    def __init__(self, person: str, suggested: str, pins: bool, parent: QWidget | None) -> None:
        super().__init__(
            f"Give {person} a sign-in",
            f"{person} will sign in on this laptop with this username. peerdesk makes a first "
            "password for you to give them; they choose their own the first time they sign in.",
            "&Give sign-in",
            parent,
        )
        self.username = QLineEdit(suggested)
        self.username.setAccessibleName("Username")
        self.role = role_box()
        self.kind = QComboBox()
        self.kind.setAccessibleName("First sign-in with")
        self.kind.addItems(["A password", "A PIN (6 digits)"])
        self.form.addRow("&Username:", self.username)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("First sign-in &with:", self.kind)
        self.pin_risk = QLabel(PIN_RISK)
        self.pin_risk.setWordWrap(True)
        self.form.addRow(self.pin_risk)
        self._pins = pins
        self.role.currentIndexChanged.connect(self._show_kind)
        self.kind.currentIndexChanged.connect(self._show_kind)
        self._show_kind()

    def _show_kind(self) -> None:
        """Only volunteers may use a PIN, and only where the group allows it; choosing one
        shows what it risks."""
        offered = self._pins and may_use_pin(self.chosen_role())
        self.form.setRowVisible(self.kind, offered)
        self.form.setRowVisible(self.pin_risk, offered and self.kind.currentIndex() == 1)

    def chosen_role(self) -> UserRole:
        return UserRole(self.role.currentData())

    def values(self) -> SignInChoice:
        username = accounts.check_username(self.username.text())
        pin = self.form.isRowVisible(self.kind) and self.kind.currentIndex() == 1
        return SignInChoice(username, self.chosen_role(), pin)


class FirstSecretDialog(QDialog):
    """The username and first password to hand over, shown once, with a way to copy it."""

    def __init__(
        self,
        given: FirstSecret,
        person: str,
        parent: QWidget | None,
        clear_after_ms: int = CLEAR_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        kind = "PIN" if given.is_pin else "password"
        self.setWindowTitle(f"First {kind} for {person}")
        self._secret, self._clear_after_ms = given.secret, clear_after_ms
        intro = QLabel(
            f"<p>Give {_escape(person)} this username and {kind}, in person or on paper. They "
            f"sign in with it once; peerdesk then asks them to choose their own.</p>"
            f"<p><b>peerdesk will not show this {kind} again.</b> If it is lost, give a new one "
            "from Accounts.</p>",
            wordWrap=True,
        )
        self.username = _shown(given.username, "Username", 1.2)
        self.secret = _shown(given.secret, f"First {kind}", 1.6)
        self.note = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow("Username:", self.username)
        form.addRow(f"First {kind}:", self.secret)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            f"&Copy {kind}", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.done_button = buttons.addButton(
            "I have &handed it over", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.copy_button.clicked.connect(self.copy_secret)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.finished.connect(self._forget)

    def copy_secret(self) -> None:
        copy_confidential(self._secret, self._clear_after_ms)
        seconds = max(self._clear_after_ms // 1000, 1)
        self.note.setText(f"Copied. peerdesk clears it from the clipboard in {seconds} seconds.")

    def _forget(self) -> None:
        self._secret = ""
        self.secret.clear()
        self.deleteLater()


def _shown(text: str, name: str, scale: float) -> QLabel:
    label = QLabel(text)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SignInGiver:
    """Opens the dialogs over `parent` and does the work for the signed-in coordinator."""

    def __init__(self, parent: QWidget, signed: SignedIn, tasks: TaskRunner) -> None:
        self.parent, self.signed, self.tasks = parent, signed, tasks
        self.dialog: QDialog | None = None  # the one open now (tests drive it)
        self.clear_after_ms = CLEAR_AFTER_MS

    def give(
        self, volunteer_id: uuid.UUID, person: str, full_name: str, given: Callable[[str], object]
    ) -> None:
        """Ask, make the account, show its first password; `given(username)` afterwards."""
        store, actor = self.signed.store, self.signed.actor
        suggested = accounts.suggest_username(store, actor, full_name)
        with store.read() as s:
            pins = pins_allowed(s)
        dialog = GiveSignInDialog(person, suggested, pins, self.parent)

        def submitted(choice: SignInChoice) -> None:
            def work(_progress: object) -> FirstSecret:
                return accounts.give_sign_in(
                    store, actor, volunteer_id, choice.username, choice.role, choice.pin
                )

            def done(made: FirstSecret) -> None:
                dialog.finish()
                self.show_first_secret(made, person)
                given(made.username)

            self.tasks.run(work, on_done=done, on_error=lambda e: dialog.show_problem(sentence(e)))

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def show_first_secret(self, made: FirstSecret, person: str) -> None:
        shown = FirstSecretDialog(made, person, self.parent, self.clear_after_ms)
        self.dialog = shown
        shown.open()
