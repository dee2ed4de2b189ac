"""What the Supervision area does: record a session, open one to read, close a follow-up with a
note, mark an action done. Each change is one short audited session (an `Action`), announced as a
supervision change: the area, Today and the audit trail read it again."""

import uuid
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.errors import PeerdeskError, ValidationError
from peerdesk.models import ActionStatus
from peerdesk.services.permissions import Permission, can
from peerdesk.ui import messages
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.supervision_form import SessionForm
from peerdesk.ui.supervision_page import SupervisionPage
from peerdesk.wording import count, word

if TYPE_CHECKING:
    from peerdesk.services.permissions import Actor
    from peerdesk.services.supervision.amending import SessionChanges
    from peerdesk.services.supervision.follow_ups import FollowUpRow
    from peerdesk.services.supervision.reading import ActionView, SessionView
    from peerdesk.services.supervision.recording import SessionInput

SUPERVISED = {Change.SUPERVISION}


class ClosingNoteDialog(FormDialog):
    def __init__(self, follow_up: "FollowUpRow", parent: QWidget | None) -> None:
        super().__init__(
            "Close a follow-up",
            f"{follow_up.volunteer}: {follow_up.about}. Say briefly how it was followed up; "
            "only coordinators can read the note.",
            "&Close follow-up",
            parent,
        )
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("How it was followed up")
        self.note.setTabChangesFocus(True)
        self.form.addRow("&Note:", self.note)

    def values(self) -> str:
        if not self.note.toPlainText().strip():
            raise ValidationError("Write a short note saying how it was followed up.")
        return self.note.toPlainText()


class SessionDialog(QDialog):
    """One session, read-only, showing only what the reader may see; "Change…" for whoever
    led it and coordinators."""

    def __init__(self, view: "SessionView", parent: QWidget | None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(f"Supervision on {show_date(view.held_on)}")
        self.text = QTextBrowser()
        self.text.setAccessibleName("Supervision session")
        self.text.setHtml(session_html(view))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.change = buttons.addButton("C&hange…", QDialogButtonBox.ButtonRole.ActionRole)
        self.change.setVisible(view.amendable)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(620, 520)


def session_html(view: "SessionView") -> str:
    """The session as simple HTML; every typed text is escaped (never read as markup)."""
    parts = [
        f"<h2>{escape(word(view.kind))} supervision, {show_date(view.held_on)}</h2>",
        f"<p>Led by {escape(view.supervisor)}, {count(view.duration_minutes, 'minute')}.</p>",
        "<h3>Supervisees</h3><ul>",
    ]
    for a in view.attendees:
        came = "" if a.attended else " (did not come)"
        parts.append(f"<li>{escape(a.name)}{came}")
        if a.wellbeing_check:
            parts.append(f"<br><i>Wellbeing, in their words:</i> {_para(a.wellbeing_check)}")
        parts.append("</li>")
    if view.others:
        parts.append(f"<li>and {view.others} other{'s' if view.others > 1 else ''}</li>")
    parts.append("</ul><h3>Shared summary</h3>")
    parts.append(f"<p>{_para(view.shared_summary)}</p>" if view.shared_summary else "<p>None.</p>")
    if view.actions:
        parts.append("<h3>Agreed actions</h3><ul>")
        for action in view.actions:
            due = f", due by {show_date(action.due_on)}" if action.due_on else ""
            owner = f" ({escape(action.owner)})" if action.owner else ""
            parts.append(
                f"<li>{escape(action.volunteer)}: {escape(action.description)}{owner}{due}"
                f" – {escape(word(action.status).lower())}</li>"
            )
        parts.append("</ul>")
    for note in view.notes:
        parts.append(
            f"<h3>Confidential note by {escape(note.author)}</h3><p>{_para(note.body)}</p>"
        )
    return "".join(parts)


def _para(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class SupervisionDesk(QObject):
    def __init__(self, page: SupervisionPage, control: Any) -> None:
        super().__init__(control)
        self.page, self.control = page, control
        self.form: SessionForm | None = None
        self.closing: ClosingNoteDialog | None = None
        self.viewer: SessionDialog | None = None
        self.amending: QDialog | None = None
        page.record_requested.connect(self.open_form)
        page.close_requested.connect(self.close_follow_up)
        page.action_done_requested.connect(self.mark_done)
        page.sessions.row_opened.connect(lambda row: self.open_session(row.id))

    def signed_in(self, actor: "Actor") -> None:
        leads = can(actor, Permission.LEAD_SUPERVISION)
        self.page.record_button.setVisible(leads)
        self.page.close_button.setVisible(leads)

    def _signed(self) -> Any:
        return self.control.signed_in

    def open_form(self, volunteer_id: uuid.UUID | None = None) -> None:
        from peerdesk.services.supervision.access import may_record_for, supervisors

        signed = self._signed()
        if signed is None or not can(signed.actor, Permission.LEAD_SUPERVISION):
            return
        actor, store = signed.actor, signed.store
        with store.read() as s:
            people, leaders = may_record_for(s, actor), supervisors(s, actor)
        if not people:
            messages.inform(
                self.control.window, "There is nobody for you to record supervision with yet."
            )
            return
        form = SessionForm(people, leaders, self._open_items, clock.today(), self.control.window)
        form.add_supervisee(volunteer_id)
        form.submitted.connect(lambda typed: self._save(form, typed))
        form.finished.connect(lambda _r: form.deleteLater())
        self.form = form
        form.open()

    def _open_items(self, ids: set[uuid.UUID]) -> tuple[list["ActionView"], list["FollowUpRow"]]:
        from peerdesk.services.supervision.follow_ups import open_follow_ups_for
        from peerdesk.services.supervision.reading import actions_to_carry

        signed = self._signed()
        if signed is None or not ids:
            return [], []
        with signed.store.read() as s:
            return actions_to_carry(s, signed.actor, ids), open_follow_ups_for(s, signed.actor, ids)

    def _save(self, form: SessionForm, typed: "SessionInput") -> None:
        from peerdesk.services.supervision.recording import record_session

        signed = self._signed()
        if signed is None:
            return
        action = Action(form.show_problem, parent=self.control.window, changes=SUPERVISED)
        action.write(signed.store, signed.actor, lambda s: record_session(s, signed.actor, typed))
        if action.failed:
            return
        form.finish()

    def open_session(self, session_id: uuid.UUID) -> None:
        from peerdesk.services.supervision.reading import session_detail

        signed = self._signed()
        if signed is None:
            return
        try:
            with signed.store.read() as s:
                view = session_detail(s, signed.actor, session_id)
        except PeerdeskError as err:
            messages.show_error(self.control.window, err)
            return
        viewer = SessionDialog(view, self.control.window)
        viewer.finished.connect(lambda _r: viewer.deleteLater())
        viewer.change.clicked.connect(lambda: self.amend(viewer))
        self.viewer = viewer
        viewer.open()

    def amend(self, viewer: SessionDialog) -> None:
        from peerdesk.services.supervision.amending import amend_session
        from peerdesk.ui.supervision_amend import AmendDialog

        signed = self._signed()
        if signed is None:
            return
        dialog = AmendDialog(viewer.view, clock.today(), self.control.window)

        def submitted(changes: "SessionChanges") -> None:
            action = Action(dialog.show_problem, parent=self.control.window, changes=SUPERVISED)
            action.write(
                signed.store,
                signed.actor,
                lambda s: amend_session(s, signed.actor, viewer.view.id, changes),
            )
            if action.failed:
                return
            dialog.finish()
            viewer.accept()

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.amending = dialog
        dialog.open()

    def close_follow_up(self, row: "FollowUpRow") -> None:
        from peerdesk.services.supervision.follow_ups import close_follow_up

        signed = self._signed()
        if signed is None:
            return
        dialog = ClosingNoteDialog(row, self.control.window)

        def submitted(note: str) -> None:
            action = Action(dialog.show_problem, parent=self.control.window, changes=SUPERVISED)
            action.write(
                signed.store, signed.actor, lambda s: close_follow_up(s, signed.actor, row.id, note)
            )
            if action.failed:
                return
            dialog.finish()

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.closing = dialog
        dialog.open()

    def mark_done(self, action: "ActionView") -> None:
        from peerdesk.services.supervision.reading import set_action_status

        signed = self._signed()
        if signed is None or action.status is ActionStatus.DONE:
            return
        Action(parent=self.control.window, changes=SUPERVISED).write(
            signed.store,
            signed.actor,
            lambda s: set_action_status(
                s, signed.actor, action.id, ActionStatus.DONE, clock.today()
            ),
        )
