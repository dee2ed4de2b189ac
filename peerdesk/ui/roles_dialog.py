"""Volunteer roles, for coordinators: the list (each role's supervision cadence and DBS need in
words), and Add, Change and Delete.

Each change is one audited session through `peerdesk.services.roles`; a refused save keeps what
was typed and shows the service's sentence. A role still in use is not deleted: the service says
what still uses it. `changed` tells the window to read what shows roles again (the course list,
the compliance matrix, the volunteer editor's choices)."""

import uuid
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidgetItem,
    QWidget,
)

from peerdesk.services import roles
from peerdesk.services.auth import SignedIn
from peerdesk.services.roles import MAX_WEEKS, RoleInfo, RoleInput
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.changes import Change
from peerdesk.ui.records_dialog import RecordsDialog, Write
from peerdesk.ui.volunteer_parts import tree

ID_ROLE = Qt.ItemDataRole.UserRole

# Services that write; each runs in its own audited session.


def supervision_words(role: RoleInfo) -> str:
    weeks = role.supervision_every_weeks
    if weeks is None:
        return "Not required"
    every = "Every week" if weeks == 1 else f"Every {weeks} weeks"
    return every if role.group_supervision_counts else f"{every}, one-to-one only"


def dbs_words(role: RoleInfo) -> str:
    return "Needs a DBS check" if role.needs_dbs else "No DBS check"


class RolesDialog(RecordsDialog):
    # What a role needs (courses, supervision, DBS) and who holds it: read by every check.
    changes = frozenset({Change.PEOPLE, Change.TRAINING, Change.SUPERVISION, Change.ROTA})

    def __init__(self, signed: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(signed, "Volunteer roles", parent)
        intro = QLabel(
            "What volunteers do here, such as peer supporter or group facilitator. A role "
            "says how often its volunteers need supervision and whether it needs a DBS check; "
            "courses and shifts can then ask for it.",
            wordWrap=True,
        )
        self.view = tree("Roles", ["Role", "Supervision", "DBS"])
        self.add = QPushButton("&Add role…")
        self.change = QPushButton("&Change…")
        self.delete = QPushButton("&Delete")
        for button, name in (
            (self.add, "Add role"),
            (self.change, "Change role"),
            (self.delete, "Delete role"),
        ):
            button.setAccessibleName(name)
        buttons = QHBoxLayout()
        for button in (self.add, self.change, self.delete):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.lay_out([intro, self.view, buttons])
        self.add.clicked.connect(lambda: self.open_form(RoleForm(self, None)))
        self.change.clicked.connect(self._change)
        self.delete.clicked.connect(self._delete)
        self.view.itemActivated.connect(lambda _item, _col: self.change.click())
        self.view.currentItemChanged.connect(lambda *_: self._show_buttons())
        self.resize(640, 400)
        self.reload()

    # Reading -----------------------------------------------------------------------------------
    def reload(self, chosen: uuid.UUID | None = None) -> None:
        with self.signed.store.read() as session:
            listed = roles.list_roles(session, self.signed.actor)
        keep = chosen or self.chosen()
        self._rows = {r.id: r for r in listed}
        self.view.clear()
        for role in listed:
            item = QTreeWidgetItem([role.name, supervision_words(role), dbs_words(role)])
            item.setData(0, ID_ROLE, str(role.id))
            item.setToolTip(0, role.description or role.name)
            self.view.addTopLevelItem(item)
            if keep == role.id:
                self.view.setCurrentItem(item)
        self._fit_columns()
        if not listed and not self.outcome.text():
            self.outcome.setText(
                "There are no roles yet. Add the roles your volunteers hold, then choose them "
                "in each volunteer's record."
            )
        self._show_buttons()

    def _fit_columns(self) -> None:
        """The name takes the room left; the words for supervision and DBS are always whole,
        with a gap so columns never run into each other (the list holds a handful of rows,
        so measuring is cheap)."""
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.resizeColumnToContents(column)
            self.view.setColumnWidth(column, self.view.columnWidth(column) + 16)

    def chosen(self) -> uuid.UUID | None:
        item = self.view.currentItem()
        return uuid.UUID(item.data(0, ID_ROLE)) if item is not None else None

    def _show_buttons(self) -> None:
        chosen = self.view.currentItem() is not None
        self.change.setEnabled(chosen)
        self.delete.setEnabled(chosen)

    # Changing ----------------------------------------------------------------------------------
    def _change(self) -> None:
        chosen = self.chosen()
        if chosen is not None and chosen in self._rows:
            self.open_form(RoleForm(self, self._rows[chosen]))

    def _delete(self) -> None:
        chosen = self.chosen()
        if chosen is None or chosen not in self._rows:
            return
        name = self._rows[chosen].name
        if not messages.confirm(self, f"Delete the role “{name}”?", "Delete"):
            return
        actor = self.signed.actor
        self.save(
            lambda s: roles.delete_role(s, actor, chosen),
            f"“{name}” is deleted.",
        )


class RoleForm(FormDialog):
    """Add or change one role; its save runs in the roles dialog, and a refusal is shown here
    with everything typed kept."""

    def __init__(self, owner: RolesDialog, role: RoleInfo | None) -> None:
        adding = role is None
        super().__init__(
            "New role" if adding else "Change role",
            "Supervision and the DBS check apply to every volunteer who holds this role.",
            "Add &role" if adding else "&Save",
            owner,
        )
        self.owner, self.role = owner, role
        self.name = QLineEdit(placeholderText="e.g. Peer supporter")
        self.name.setAccessibleName("Name")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("What people in this role do (optional)")
        self.description.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 3 + 12)
        self.supervised = QCheckBox("Needs &supervision")
        self.weeks = QSpinBox(minimum=1, maximum=MAX_WEEKS, value=6)
        self.weeks.setAccessibleName("Supervision every how many weeks")
        self.weeks.setPrefix("every ")
        self.weeks.setSuffix(" weeks")
        self.group_counts = QCheckBox("&Group supervision counts")
        self.group_counts.setToolTip("Untick if only one-to-one supervision meets the cadence")
        self.needs_dbs = QCheckBox("Needs a &DBS check")
        cadence = QHBoxLayout()
        cadence.addWidget(self.supervised)
        cadence.addWidget(self.weeks)
        cadence.addStretch(1)
        self.form.addRow("&Name:", self.name)
        description_label = QLabel("Descri&ption:")
        description_label.setBuddy(self.description)
        self.form.addRow(description_label, self.description)
        self.form.addRow("Supervision:", cadence)
        self.form.addRow("", self.group_counts)
        self.form.addRow("DBS:", self.needs_dbs)
        self.supervised.toggled.connect(self._show_cadence)
        if role is None:
            self.supervised.setChecked(True)
            self.group_counts.setChecked(True)
            self.needs_dbs.setChecked(True)
        else:
            self.name.setText(role.name)
            self.description.setPlainText(role.description or "")
            self.supervised.setChecked(role.supervision_every_weeks is not None)
            if role.supervision_every_weeks is not None:
                self.weeks.setValue(role.supervision_every_weeks)
            self.group_counts.setChecked(role.group_supervision_counts)
            self.needs_dbs.setChecked(role.needs_dbs)
        self._show_cadence(self.supervised.isChecked())
        self.submitted.connect(self._save)

    def _show_cadence(self, supervised: bool) -> None:
        self.weeks.setEnabled(supervised)
        self.group_counts.setEnabled(supervised)

    def typed(self) -> RoleInput:
        return RoleInput(
            name=self.name.text(),
            description=self.description.toPlainText(),
            supervision_every_weeks=self.weeks.value() if self.supervised.isChecked() else None,
            group_supervision_counts=self.group_counts.isChecked(),
            needs_dbs=self.needs_dbs.isChecked(),
        )

    def values(self) -> tuple[Write, str]:
        actor, typed, existing = self.owner.signed.actor, self.typed(), self.role
        shown = " ".join(typed.name.split())
        if existing is None:
            return (
                lambda s: roles.create_role(s, actor, typed),
                f"“{shown}” is added: choose it in volunteers' records, courses and shifts.",
            )
        return (
            lambda s: roles.change_role(s, actor, existing.id, typed, was=existing),
            f"“{shown}” is saved.",
        )

    def _save(self, typed: object) -> None:
        write, said = cast(tuple[Write, str], typed)
        refused = self.owner.save(write, said)
        if refused is not None:
            self.owner.problem.hide()  # said here, beside what was typed
            self.show_problem(refused)
            return
        self.finish()
