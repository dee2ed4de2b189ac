"""The Accounts dialog's forms about people: a sign-in for someone who is not a volunteer (a
trustee, a supervisor from the host charity), and linking an account to a volunteer record.

Only the roles that make sense without a record are offered for a new account; the service
refuses the others anyway (a volunteer's sign-in is given from their record)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from peerdesk.errors import ValidationError
from peerdesk.models import UserRole
from peerdesk.services import accounts
from peerdesk.services.accounts import UserRow
from peerdesk.services.permissions import Permission, role_can
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.sign_in_giving import ROLE_WORDS


@dataclass(frozen=True)
class NewAccount:
    display_name: str
    username: str
    role: UserRole


class NewAccountDialog(FormDialog):
    """Name, username (suggested from the name until the coordinator types one) and role."""

    def __init__(self, suggest: Callable[[str], str], parent: QWidget | None) -> None:
        super().__init__(
            "Give a sign-in to someone who is not a volunteer",
            "For a trustee, or a supervisor or coordinator who has no volunteer record. peerdesk "
            "makes a first password for you to give them; they choose their own the first time "
            "they sign in. A volunteer's sign-in is given from their record in Volunteers.",
            "&Give sign-in",
            parent,
        )
        self._suggest = suggest
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for role, words in ROLE_WORDS.items():
            if role_can(role, Permission.WORK_WITHOUT_RECORD):
                self.role.addItem(words, role)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Username:", self.username)
        self.form.addRow("&Role:", self.role)
        self._typed_username = False
        self.name.textEdited.connect(self._suggest_username)
        self.username.textEdited.connect(lambda _t: setattr(self, "_typed_username", True))

    def _suggest_username(self, name: str) -> None:
        if not self._typed_username:
            self.username.setText(self._suggest(name) if name.strip() else "")

    def values(self) -> NewAccount:
        name = " ".join(self.name.text().split())
        if not name:
            raise ValidationError("Type the person's name, as the group knows them.")
        username = accounts.check_username(self.username.text())
        return NewAccount(name, username, UserRole(self.role.currentData()))


class LinkDialog(FormDialog):
    """Which volunteer record an account belongs to, chosen by name and short reference."""

    def __init__(
        self, row: UserRow, people: list[tuple[uuid.UUID, str]], parent: QWidget | None
    ) -> None:
        super().__init__(
            f"Link {row.username} to a volunteer record",
            f"{row.display_name} will see their own shifts, sessions, training and supervision "
            "from that record. Only records without a sign-in are listed.",
            "&Link",
            parent,
        )
        self.person = QComboBox()
        self.person.setAccessibleName("Volunteer record")
        for volunteer_id, words in people:
            self.person.addItem(words, volunteer_id)
        self.form.addRow("&Volunteer record:", self.person)

    def values(self) -> uuid.UUID:
        chosen = self.person.currentData()
        if chosen is None:
            raise ValidationError(
                "Every volunteer record already has a sign-in: add the person in Volunteers first."
            )
        return chosen  # type: ignore[no-any-return]
