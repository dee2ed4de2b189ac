"""One session log, opened from the Sessions list: coordinators correct it (audited; a copy
someone else changed meanwhile is refused), everyone else reads it."""

import uuid

from PySide6.QtWidgets import QLabel, QWidget

from peerdesk import clock
from peerdesk.db.store import Store
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.services.sessions import (
    Choice,
    LogChoices,
    SessionCorrection,
    SessionLogDetail,
    correct_session_log,
    log_choices,
    session_log_detail,
)
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.messages import sentence
from peerdesk.ui.session_fields import SessionFields


class SessionLogDialog(FormDialog):
    def __init__(self, store: Store, actor: Actor, log_id: uuid.UUID, parent: QWidget) -> None:
        edits = can(actor, Permission.CORRECT_SESSION_LOGS)
        super().__init__(
            "Session log",
            "Correct what was logged. Every change is kept in the audit trail."
            if edits
            else "What was logged. A coordinator can correct it if something is wrong.",
            "&Save changes",
            parent,
        )
        self.store, self.actor, self.log_id = store, actor, log_id
        self.detail: SessionLogDetail | None = None
        self.logged_by = QLabel()
        self.form.addRow("Logged by:", self.logged_by)
        self.fields = SessionFields(self.form, self)
        self.go.setVisible(edits)
        self.submitted.connect(self._save)
        self.finished.connect(lambda _r: self.fields.forget())
        self.setMinimumWidth(620)
        self.load()

    def load(self) -> None:
        try:
            with self.store.read() as s:
                here = group_zone(s)
                choices = (
                    log_choices(s, self.actor)
                    if can(self.actor, Permission.CORRECT_SESSION_LOGS)
                    else None
                )
                self.detail = d = session_log_detail(s, self.actor, self.log_id)
        except Exception as err:  # said in the dialog
            self.show_problem(sentence(err))
            return
        self.fields.offer(choices or _only_this(d), here)
        self.fields.fill(
            d.activity_id, d.venue_id, d.mode, (d.started_at, d.ended_at), d.co_volunteer_ids
        )
        self.fields.attendees.setText(str(d.attendees))
        self.fields.new_attendees.setText(str(d.new_attendees))
        self.fields.notes.setPlainText(d.notes or "")
        self.fields.notes.setVisible(d.notes_shown)
        flags = [
            w
            for w, on in (
                ("asked for a debrief", d.debrief_requested),
                ("raised a safeguarding concern", d.safeguarding_flag),
            )
            if on
        ]
        self.logged_by.setText(d.volunteer + (f" ({' and '.join(flags)})" if flags else ""))
        if not can(self.actor, Permission.CORRECT_SESSION_LOGS):
            for widget in (
                self.fields.activity,
                self.fields.mode,
                self.fields.venue,
                self.fields.day,
                self.fields.starts,
                self.fields.ends,
                self.fields.attendees,
                self.fields.new_attendees,
                self.fields.co_volunteers,
                self.fields.notes,
            ):
                widget.setEnabled(False)

    def values(self) -> SessionCorrection:
        return self.fields.read()

    def _save(self, data: SessionCorrection) -> None:
        if self.detail is None:
            return
        seen = self.detail.updated_at
        action = Action(self.show_problem, parent=self, changes={Change.SESSIONS})
        action.write(
            self.store,
            self.actor,
            lambda s: correct_session_log(s, self.actor, self.log_id, data, seen, clock.now()),
        )
        if action.failed:  # said in the dialog; nothing typed is lost
            return
        self.finish()


def _only_this(d: SessionLogDetail) -> LogChoices:
    """What a reader who may not correct the log is shown: just its own activity and venue."""
    venues = (Choice(d.venue_id, d.venue),) if d.venue_id and d.venue else ()
    return LogChoices((Choice(d.activity_id, d.activity),), {}, venues, ())
