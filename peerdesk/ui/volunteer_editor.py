"""A volunteer's record in its own window: opened from the Volunteers list (double-click or
Enter) or with "Add volunteer…".

Coordinators edit and save (Ctrl+S), change the status, record leaving, DBS checks and
training. Anyone else sees only what the services return for them, read-only, except a
volunteer's own equality answers. Each action is one short session; a refused save shows the
service's sentence in the window and keeps everything typed. Closing the window (or locking the
screen, which closes it) empties every field first, so no one's details stay behind in a widget.
"""

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.models import Role, VolunteerStatus
from peerdesk.services import accounts, dbs, training
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.volunteers import (
    EqualityAnswers,
    VolunteerInput,
    VolunteerRecord,
    allowed_moves,
    change_status,
    create_volunteer,
    leave,
    save_equality_monitoring,
    update_volunteer,
    volunteer_record,
)
from peerdesk.services.volunteers.lookup import short_reference
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.focus import start_on_first_field
from peerdesk.ui.volunteer_parts import (
    CONTACT_FIELDS,
    HIDDEN_CONTACT,
    TEXT_FIELDS,
    DBSDialog,
    EqualityBox,
    LeavingDialog,
    StatusDialog,
    TrainingDialog,
    day_field,
    read_day,
    short_shifts_sentence,
    show_dbs,
    show_history,
    show_training,
    status_words,
    tree,
)


class VolunteerEditor(QDialog):
    saved = Signal()

    def __init__(
        self, store: Store, actor: Actor, volunteer_id: uuid.UUID | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.store, self.actor, self.volunteer_id = store, actor, volunteer_id
        self.record: VolunteerRecord | None = None
        self._after: str | None = None  # what to tell the coordinator once an action is done
        self.edits = can(actor, Permission.EDIT_VOLUNTEERS)
        self.fields: dict[str, QLineEdit] = {}
        self.tabs = QTabWidget()
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        self.note = QLabel()
        self.roles = QListWidget()
        self.roles.setAccessibleName("Roles")
        self.status = QLabel()
        self.started_on = day_field("Start date")
        self.history = tree("Status history", ["Date", "Status", "Note"])
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.dbs = tree("DBS checks", ["Level", "Certificate", "Issued", "Next check"])
        self.training = tree("Training", ["Course", "Status", "Last done", ""])
        self.equality = EqualityBox()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.clicked.connect(self.save)
        self.record_button = self.buttons.addButton(
            "E&xport record (PDF)…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.record_button.clicked.connect(self.export_record)
        self.availability_button = self.buttons.addButton(
            "A&vailability…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.availability_button.clicked.connect(self.edit_availability)
        # Connected by the desk, which knows the background worker the account is made on.
        self.give_sign_in_button = self.buttons.addButton(
            "Give a si&gn-in…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reference = QLabel()
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference.setAccessibleName("Reference")
        self.sign_in_line = QLabel()
        self.sign_in_line.setAccessibleName("Sign-in")
        self.save_action = QAction(
            "Save", self, shortcut=QKeySequence(QKeySequence.StandardKey.Save)
        )
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self._lay_out()
        self.finished.connect(self._forget)
        self.resize(720, 620)
        self.load()

    # Layout ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        start_on_first_field(self)  # not on the row of tabs: the first thing to read or change

    def _lay_out(self) -> None:
        self.tabs.addTab(self._details_tab(), "Deta&ils")
        self.tabs.addTab(self._status_tab(), "Stat&us")
        self.tabs.addTab(self._checks_tab(), "DBS and &training")
        self.tabs.addTab(self.equality, "E&quality monitoring")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()
        body = QVBoxLayout(self)
        body.addWidget(self.tabs)
        body.addWidget(self.problem)
        body.addWidget(self.note)
        body.addWidget(self.buttons)

    def _details_tab(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # rows stay together at the top, however few are shown
        for name, label in {**TEXT_FIELDS, **CONTACT_FIELDS}.items():
            field = QLineEdit()
            field.setAccessibleName(label.replace("&", ""))
            field.setReadOnly(not self.edits)
            field.setFrame(self.edits)  # read-only text looks like text, not an empty box
            form.addRow(f"{label}:", field)
            self.fields[name] = field
        self.started_on.setReadOnly(not self.edits)
        self.started_on.setFrame(self.edits)
        form.addRow("St&arted on:", self.started_on)
        form.addRow("Reference:", self.reference)
        form.addRow("Sign-in:", self.sign_in_line)
        self.contact_hidden = QLabel(HIDDEN_CONTACT, wordWrap=True)
        form.addRow(self.contact_hidden)
        self.roles.setMaximumHeight(self.fontMetrics().height() * 7)
        form.addRow("&Roles:", self.roles)
        self.notes_label = QLabel("N&otes:")
        self.notes_label.setBuddy(self.notes)
        form.addRow(self.notes_label, self.notes)
        self.details_form = form
        return page

    def _status_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("Status:", self.status)
        row = QWidget()
        buttons = QDialogButtonBox(row)
        self.change_button = buttons.addButton(
            "&Change status…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.leave_button = buttons.addButton("&Leaving…", QDialogButtonBox.ButtonRole.ActionRole)
        self.change_button.clicked.connect(self.change_status)
        self.leave_button.clicked.connect(self.record_leaving)
        form.addRow(buttons)
        form.addRow("History:", self.history)
        return page

    def _checks_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>DBS checks</b>"))
        layout.addWidget(self.dbs, 1)
        self.dbs_button = QPushButton("Record &DBS check…")
        self.dbs_button.clicked.connect(self.record_dbs)
        layout.addWidget(self.dbs_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel("<b>Training</b>"))
        layout.addWidget(self.training, 2)
        self.training_button = QPushButton("Record t&raining…")
        self.training_button.clicked.connect(self.record_training)
        layout.addWidget(self.training_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    # Showing the record ------------------------------------------------------------------------
    def load(self) -> None:
        """Read the record afresh and show it (or an empty form for a new volunteer)."""
        with self.store.read() as s:
            role_names = list(s.scalars(select(Role.name).order_by(Role.name)))
            if self.volunteer_id is None:
                record, standing, courses = None, None, []
            else:
                today = clock.today()
                record = volunteer_record(s, self.actor, self.volunteer_id)
                standing = dbs.volunteer_dbs(s, self.actor, self.volunteer_id, today)
                courses = training.volunteer_training(s, self.actor, self.volunteer_id, today)
            manages = can(self.actor, Permission.MANAGE_USERS)
            account = None
            if manages and self.volunteer_id is not None:
                account = accounts.sign_in_of(s, self.actor, self.volunteer_id)
        self.record = record
        self._show_sign_in(record, manages, account)
        self._show_record(record, role_names)
        if standing is not None:
            show_dbs(self.dbs, standing)
        show_training(self.training, courses)
        self._set_permissions(record)

    def _show_record(self, record: VolunteerRecord | None, role_names: list[str]) -> None:
        self.setWindowTitle(record.preferred_name if record else "Add a volunteer")
        for name, field in self.fields.items():
            field.setText((getattr(record, name) or "") if record else "")
        held = set(record.roles) if record else set()
        self.roles.clear()
        # Others see the roles held; a coordinator ticks them from every role there is.
        for name in sorted(set(role_names) | held if self.edits else held):
            item = QListWidgetItem(name)
            checkable = Qt.ItemFlag.ItemIsUserCheckable if self.edits else Qt.ItemFlag.NoItemFlags
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | checkable)
            if self.edits:  # others see a plain list of the roles held, no boxes to tick
                checked = Qt.CheckState.Checked if name in held else Qt.CheckState.Unchecked
                item.setCheckState(checked)
            self.roles.addItem(item)
        self.notes.setPlainText((record.notes or "") if record else "")
        self.started_on.setText(show_date(record.started_on) if record else "")
        self.status.setText(status_words(record))
        show_history(self.history, record.history if record else ())
        if record is not None and record.equality is not None:
            self.equality.show_answers(record.equality)

    def _show_sign_in(
        self, record: VolunteerRecord | None, manages: bool, account: tuple[str, Any] | None
    ) -> None:
        """The short reference (for the command line) and, for coordinators, the sign-in."""
        self.reference.setText(short_reference(record.id) if record else "")
        self.details_form.setRowVisible(self.reference, record is not None)
        self.details_form.setRowVisible(self.sign_in_line, manages and record is not None)
        if account is not None:
            self.sign_in_line.setText(f"signs in as {account[0]} ({account[1].value})")
        else:
            self.sign_in_line.setText("none yet")
        usable = record is not None and not record.anonymised
        self.give_sign_in_button.setVisible(manages and usable and account is None)

    def _set_permissions(self, record: VolunteerRecord | None) -> None:
        contact = record is None or record.contact_shown
        for name in CONTACT_FIELDS:
            self.details_form.setRowVisible(self.fields[name], contact)
        self.contact_hidden.setVisible(not contact)
        self.details_form.setRowVisible(self.notes, self.edits)
        self.notes.setReadOnly(not self.edits)
        own_equality = record is not None and record.equality is not None
        self.tabs.setTabVisible(self.tabs.indexOf(self.equality), self.edits or own_equality)
        self.equality.setEnabled(self.edits or own_equality)
        exists = record is not None and not record.anonymised
        still_here = exists and record is not None and record.status is not VolunteerStatus.LEFT
        self.change_button.setVisible(self.edits and still_here)
        self.leave_button.setVisible(self.edits and still_here)
        self.dbs_button.setVisible(self.edits and exists)
        self.training_button.setVisible(self.edits and exists)
        self.tabs.setTabEnabled(1, record is not None)
        self.tabs.setTabEnabled(2, record is not None)
        self.save_button.setVisible(self.edits or own_equality)
        own = self.volunteer_id is not None and self.actor.volunteer_id == self.volunteer_id
        self.record_button.setVisible(exists and (self.edits or own))
        self.availability_button.setVisible(still_here and (self.edits or own))
        self.save_action.setEnabled(self.edits or own_equality)
        if not self.edits:
            self.save_button.setText("&Save my equality answers")

    def export_record(self) -> None:
        from peerdesk.ui.record_export import export_record

        if self.volunteer_id is not None:
            export_record(self, self.store, self.actor, self.volunteer_id)

    def edit_availability(self) -> None:
        """Usual times and dates away, which the rota's checks and suggestions read."""
        from peerdesk.ui.rota.availability_dialog import AvailabilityDialog

        record = self.record
        if record is None:
            return
        own = self.actor.volunteer_id == record.id
        with Action(self.show_problem) as action:
            dialog = AvailabilityDialog(
                self.store, self.actor, record.id, None if own else record.preferred_name, self
            )
        if action.failed:
            return
        dialog.saved.connect(self.note.setText)
        dialog.saved.connect(lambda _sentence: self.saved.emit())
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.action_dialog: FormDialog = dialog
        dialog.open()

    # Saving ------------------------------------------------------------------------------------
    def typed(self) -> VolunteerInput:
        text = {name: field.text() for name, field in self.fields.items()}
        roles = (self.roles.item(n) for n in range(self.roles.count()))
        left_on = self.record.left_on if self.record else None
        return VolunteerInput(
            **text,
            started_on=read_day(self.started_on, "start date"),
            left_on=left_on,
            notes=self.notes.toPlainText(),
            roles=tuple(i.text() for i in roles if i.checkState() == Qt.CheckState.Checked),
        )

    def save(self) -> None:
        if not self.save_button.isVisible():
            return
        action = Action(self.show_problem, parent=self, changes={Change.PEOPLE})
        action.write(self.store, self.actor, self._write)
        if action.failed:
            return
        self.problem.hide()
        self.load()
        self.note.setText("Saved.")
        self.saved.emit()

    def _write(self, s: Session) -> None:
        answers = self.equality.values()
        data = self.typed() if self.edits else None
        if data is not None and self.record is None:
            self.volunteer_id = create_volunteer(s, self.actor, data).id
        elif data is not None and self.record is not None:
            stamp = self.record.updated_at
            update_volunteer(s, self.actor, self.record.id, data, stamp)
        before = self.record.equality if self.record else EqualityAnswers()
        if self.volunteer_id is not None and answers != before:
            save_equality_monitoring(s, self.actor, self.volunteer_id, answers)

    def show_problem(self, text: str) -> None:
        self.note.clear()
        self.problem.setText(text)
        self.problem.show()

    # Actions -----------------------------------------------------------------------------------
    def change_status(self) -> None:
        record = self.record
        if record is None:
            return
        dialog = StatusDialog(record.preferred_name, sorted(allowed_moves(record.status)), self)
        self._run(
            dialog, lambda s, m: change_status(s, self.actor, record.id, m.status, m.on, m.note)
        )

    def record_leaving(self) -> None:
        record = self.record
        if record is None:
            return
        dialog = LeavingDialog(record.preferred_name, self)

        def work(s: Any, typed: Any) -> None:
            affected = leave(s, self.actor, record.id, typed.on, typed.reason)
            self._after = short_shifts_sentence(affected)

        self._run(dialog, work, confirm=f"Record that {record.preferred_name} has left?")

    def record_dbs(self) -> None:
        record = self.record
        if record is None:
            return
        dialog = DBSDialog(record.preferred_name, self)
        self._run(
            dialog,
            lambda s, c: dbs.record_dbs_check(
                s, self.actor, record.id, c.level, c.certificate_number, c.issued_on,
                clock.today(), c.update_service,
            ),
        )  # fmt: skip

    def record_training(self) -> None:
        record = self.record
        if record is None:
            return
        with self.store.read() as s:
            courses = training.list_courses(s, self.actor, include_inactive=False)
        dialog = TrainingDialog(record.preferred_name, courses, self)
        self._run(
            dialog,
            lambda s, t: training.record_completion(
                s, self.actor, record.id, t.course_id, t.completed_on, clock.today(),
                t.provider, t.notes,
            ),
        )  # fmt: skip

    def _run(
        self, dialog: FormDialog, work: Callable[[Any, Any], object], confirm: str | None = None
    ) -> None:
        """Open a small dialog; what it submits is written in one session, then the record is
        read again. A refusal is shown in the small dialog, with what was typed kept."""
        self._after = None

        def submitted(typed: Any) -> None:
            if confirm and not messages.confirm(self, confirm, "Record leaving"):
                dialog.set_busy(False)
                return
            # A status, a DBS check or a course done: the rota's, supervision's and training's
            # checks all read the volunteer's record.
            action = Action(
                dialog.show_problem, parent=self, changes=(Change.PEOPLE, Change.TRAINING)
            )
            action.write(self.store, self.actor, lambda s: work(s, typed))
            if action.failed:
                return
            dialog.finish()
            self.load()
            self.saved.emit()
            if self._after:
                messages.inform(self, self._after)

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.action_dialog = dialog
        dialog.open()

    # Closing -----------------------------------------------------------------------------------
    def _forget(self) -> None:
        """Empty every widget before the window goes, so nothing personal stays in memory."""
        self.record = None
        for field in (*self.fields.values(), self.started_on):
            field.clear()
        for view in (self.history, self.dbs, self.training):
            view.clear()
        self.roles.clear()
        self.notes.clear()
        self.equality.clear()
        for label in (self.status, self.problem, self.note, self.reference, self.sign_in_line):
            label.clear()
        self.setWindowTitle("")
        self.deleteLater()


class VolunteerDesk(QObject):
    """Opens records from the Volunteers list for whoever is signed in; each change the record
    makes is announced, so the list and every area showing volunteers read again."""

    def __init__(self, page: Any, control: Any) -> None:
        super().__init__(control)
        self.page, self.control = page, control
        self.editor: VolunteerEditor | None = None
        self.add_button = QPushButton("&Add volunteer…")
        self.add_button.clicked.connect(lambda: self.open_record(None))
        self.add_button.hide()
        page.add_tool(self.add_button)
        page.row_opened.connect(lambda row: self.open_record(row.id))

    def signed_in(self, actor: Actor) -> None:
        self.add_button.setVisible(can(actor, Permission.EDIT_VOLUNTEERS))

    def open_record(self, volunteer_id: uuid.UUID | None) -> None:
        signed = self.control.signed_in
        if signed is None or not can(signed.actor, Permission.VIEW_VOLUNTEER_LIST):
            return
        try:
            editor = VolunteerEditor(signed.store, signed.actor, volunteer_id, self.control.window)
        except PeerdeskError as err:
            messages.show_error(self.control.window, err)
            return
        editor.give_sign_in_button.clicked.connect(lambda: self.give_sign_in(editor))
        self.editor = editor
        editor.open()

    def give_sign_in(self, editor: VolunteerEditor) -> None:
        from peerdesk.ui.sign_in_giving import SignInGiver

        signed, record = self.control.signed_in, editor.record
        if signed is None or record is None:
            return
        self.giver = SignInGiver(editor, signed, self.control.tasks)
        try:
            full = " ".join(n for n in (record.preferred_name, record.last_name) if n)
            self.giver.give(record.id, record.preferred_name, full, lambda _n: editor.load())
        except PeerdeskError as err:
            editor.show_problem(str(err))
