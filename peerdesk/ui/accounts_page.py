"""Accounts (File ▸ Accounts…, coordinators): who can sign in, and the coordinator's tools for
them: a new first password, unlocking after too many wrong tries, another role, closing.

The window only asks: every action is a service call that checks the coordinator's permission
and the rules (never the last coordinator, never your own account) and audits the change; a
refusal is shown here in the service's own sentence. Making a keyslot is slow (Argon2), so a new
password is made in the background; the rest are quick.
"""

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.dates import show_datetime
from peerdesk.models import UserRole
from peerdesk.services import account_people, accounts
from peerdesk.services.accounts import FirstSecret, UserRow
from peerdesk.services.auth import SignedIn
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.account_people import LinkDialog, NewAccount, NewAccountDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.messages import sentence
from peerdesk.ui.sign_in_giving import ROLE_WORDS, FirstSecretDialog, role_box
from peerdesk.ui.tasks import TaskRunner

COLUMNS = ["Username", "Name", "Role", "Person (reference)", "State", "Last sign-in"]


def state_words(row: UserRow) -> str:
    if not row.active:
        return "closed"
    if row.locked_out:
        return "locked out"
    if row.must_change_secret:
        return "first password not changed yet"
    return "open"


ACCOUNTS = {Change.ACCOUNTS}  # what every act here changes (and the audit trail shows)


class RoleDialog(FormDialog):
    def __init__(self, row: UserRow, parent: QWidget | None) -> None:
        super().__init__(
            f"Change {row.username}'s role",
            "The role decides what they see and do. Their password stays the same, unless "
            "they use a PIN and will no longer be a volunteer: then they get a first password.",
            "&Change role",
            parent,
        )
        self.role = role_box(row.role)
        self.form.addRow("&Role:", self.role)

    def values(self) -> UserRole:
        return UserRole(self.role.currentData())


class AccountsDialog(QDialog):
    def __init__(self, signed: SignedIn, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.signed, self.tasks = signed, tasks
        self.setWindowTitle("Accounts")
        self.rows: list[UserRow] = []
        self.table = QTreeWidget()
        self.table.setAccessibleName("Accounts")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(COLUMNS)
        self.table.currentItemChanged.connect(lambda *_: self._enable())
        self.note = QLabel(wordWrap=True)
        self.note.setAccessibleName("Done")
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        self.reset_button = QPushButton("&New first password…")
        self.unlock_button = QPushButton("&Unlock")
        self.role_button = QPushButton("Change &role…")
        self.close_button = QPushButton("Close &account…")
        self.give_button = QPushButton("&Give a sign-in…")
        self.link_button = QPushButton("&Link to a volunteer…")
        self.give_button.clicked.connect(self.give)
        self.link_button.clicked.connect(self.link)
        self.reset_button.clicked.connect(self.reset)
        self.unlock_button.clicked.connect(self.unlock)
        self.role_button.clicked.connect(self.change_role)
        self.close_button.clicked.connect(self.close_account)
        self.dialog: QDialog | None = None  # a role or first-password dialog open over this
        self._lay_out()
        self.load()

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (
            self.give_button,
            self.reset_button,
            self.unlock_button,
            self.role_button,
            self.link_button,
            self.close_button,
        ):
            button.setAutoDefault(False)  # Enter in the list never starts an action by itself
            actions.addWidget(button)
        actions.addStretch(1)
        done = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        done.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Everyone who can sign in on this laptop. To give a volunteer a sign-in, open "
                "their record in Volunteers and choose 'Give a sign-in…'; for a trustee or "
                "anyone else without a volunteer record, choose 'Give a sign-in…' here.",
                wordWrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.problem)
        layout.addWidget(self.note)
        layout.addWidget(done)
        self.resize(860, 440)

    # Showing ---------------------------------------------------------------------------------
    def load(self, keep: str | None = None) -> None:
        """Read the accounts again; `keep` stays the selected username."""
        self.rows = accounts.list_users(self.signed.store, self.signed.actor)
        self.table.clear()
        for row in self.rows:
            person = f"{row.volunteer_name} ({row.volunteer_reference})" if row.volunteer_id else ""
            last = show_datetime(row.last_sign_in_at) if row.last_sign_in_at else "never"
            cells = [row.username, row.display_name, ROLE_WORDS[row.role].split(" (")[0]]
            item = QTreeWidgetItem([*cells, person, state_words(row), last])
            if not row.active:  # closed accounts stay listed, greyed: the trail names them
                for n in range(len(COLUMNS)):
                    item.setForeground(n, self.palette().placeholderText())
            self.table.addTopLevelItem(item)
        for n in range(len(COLUMNS)):
            self.table.resizeColumnToContents(n)
        chosen = next((n for n, r in enumerate(self.rows) if r.username == keep), 0)
        first = self.table.topLevelItem(chosen)
        if first is not None:
            self.table.setCurrentItem(first)
        self._enable()

    def selected(self) -> UserRow | None:
        item = self.table.currentItem()
        return self.rows[self.table.indexOfTopLevelItem(item)] if item is not None else None

    def _enable(self) -> None:
        row = self.selected()
        is_open = row is not None and row.active
        for button in (self.reset_button, self.role_button, self.close_button):
            button.setEnabled(is_open)
        self.unlock_button.setEnabled(is_open and row is not None and row.locked_out)
        self.link_button.setEnabled(is_open and row is not None and row.volunteer_id is None)

    def _done(self, text: str, username: str) -> None:
        self.problem.hide()
        self.note.setText(text)
        self.load(keep=username)

    def _refused(self, err: BaseException) -> None:
        self._say(sentence(err))

    def _say(self, text: str) -> None:
        self.note.clear()
        self.problem.setText(text)
        self.problem.show()

    def _quick(self, work: Callable[[], object], done: str, username: str) -> None:
        with Action(self._say, parent=self, changes=ACCOUNTS) as action:
            work()
        if not action.failed:
            self._done(done, username)

    # Actions ---------------------------------------------------------------------------------
    def unlock(self) -> None:
        row = self.selected()
        if row is not None:
            store, actor = self.signed.store, self.signed.actor
            self._quick(
                lambda: accounts.unlock(store, actor, row.username),
                f"{row.username} can sign in again.",
                row.username,
            )

    def close_account(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = (
            f"Close {row.username}'s account? {row.display_name} will no longer be able to sign "
            "in. Their records and the audit trail stay."
        )
        if not messages.confirm(self, question, "Close account"):
            return
        store, actor = self.signed.store, self.signed.actor
        self._quick(
            lambda: accounts.remove(store, actor, row.username),
            f"{row.username}'s account is closed.",
            row.username,
        )

    def reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = (
            f"Give {row.username} a new first password? The one they use now stops working, "
            "and they choose their own again when they next sign in."
        )
        if not messages.confirm(self, question, "New first password"):
            return
        store, actor = self.signed.store, self.signed.actor
        self._in_background(lambda: accounts.reset_to_first_secret(store, actor, row.username), row)

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = RoleDialog(row, self)
        store, actor = self.signed.store, self.signed.actor

        def submitted(role: UserRole) -> None:
            with Action(dialog.show_problem, parent=self, changes=ACCOUNTS) as action:
                # Quick unless a PIN has to become a password (then Argon2, a moment).
                made = accounts.change_role(store, actor, row.username, role)
            if action.failed:
                return
            dialog.finish()
            self._done(f"{row.username} is now a {role.value}.", row.username)
            if made is not None:
                self._show_first_secret(made, row)

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def give(self) -> None:
        """A sign-in for someone with no volunteer record; its first password shown once."""
        store, actor = self.signed.store, self.signed.actor
        dialog = NewAccountDialog(lambda name: accounts.suggest_username(store, actor, name), self)

        def submitted(chosen: NewAccount) -> None:
            def done(made: FirstSecret) -> None:
                dialog.finish()
                self._done(f"{made.username} can sign in as a {chosen.role.value}.", made.username)
                self.dialog = FirstSecretDialog(made, chosen.display_name, self)
                self.dialog.open()

            Action(dialog.show_problem, parent=self, changes=ACCOUNTS).run(
                self.tasks,  # the keyslot is slow to make (Argon2)
                lambda _p: account_people.give_account(
                    store, actor, chosen.display_name, chosen.username, chosen.role
                ),
                on_done=done,
            )

        self._open(dialog, submitted)

    def link(self) -> None:
        row = self.selected()
        if row is None:
            return
        store, actor = self.signed.store, self.signed.actor
        with Action(self._say) as action:
            people = account_people.volunteers_without_sign_in(store, actor)
        if action.failed:
            return
        dialog = LinkDialog(row, people, self)

        def submitted(volunteer_id: uuid.UUID) -> None:
            with Action(dialog.show_problem, parent=self, changes=ACCOUNTS) as action:
                person = account_people.link_to_volunteer(store, actor, row.username, volunteer_id)
            if not action.failed:
                dialog.finish()
                self._done(f"{row.username} is {person}'s sign-in now.", row.username)

        self._open(dialog, submitted)

    def _open(self, dialog: FormDialog, submitted: Callable[[Any], None]) -> None:
        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def _in_background(self, work: Callable[[], FirstSecret], row: UserRow) -> None:
        self.reset_button.setEnabled(False)

        def done(made: FirstSecret) -> None:
            self._done(f"{row.username} has a new first password.", row.username)
            self._show_first_secret(made, row)

        def failed(err: BaseException) -> None:
            self._enable()
            self._refused(err)

        self.tasks.run(lambda _p: work(), on_done=done, on_error=failed)

    def _show_first_secret(self, made: FirstSecret, row: UserRow) -> None:
        shown = FirstSecretDialog(made, row.display_name, self)
        self.dialog = shown
        shown.open()


class AccountsDesk(QObject):
    """Opens the Accounts dialog for the signed-in coordinator."""

    def __init__(self, control: Any) -> None:
        super().__init__(control)
        self.control = control
        self.dialog: AccountsDialog | None = None

    def open(self) -> None:
        signed = self.control.signed_in
        if signed is None:
            return
        with Action(parent=self.control.window) as action:
            dialog = AccountsDialog(signed, self.control.tasks, self.control.window)
        if action.failed:
            return
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
