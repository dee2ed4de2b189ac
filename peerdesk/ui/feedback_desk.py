"""Feedback from the people the group supports, wired to the services: the locked feedback
screen handed over after a session (from "Log a session" once saved, or from the Sessions
list), and paper forms typed in from the Sessions list.

`FeedbackDesk` is made by the sign-in controller and told who signs in; every read and write
is a short session for that person. The screen acts for the volunteer who handed the laptop
over, and whatever ends it (Done, Skip, the idle lock) locks the window.
"""

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy import select

from peerdesk.dates import show_datetime
from peerdesk.models import Activity, Community, EnteredFrom, SessionLog
from peerdesk.services.auth import SignedIn
from peerdesk.services.outcomes.feedback import (
    FeedbackForm,
    IdentityForm,
    Question,
    feedback_questions,
    record_feedback,
)
from peerdesk.services.permissions import Permission, can
from peerdesk.services.volunteers.equality import EqualityAnswers
from peerdesk.ui import messages
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.feedback_paper import PaperFormDialog
from peerdesk.ui.feedback_screen import Answers, FeedbackScreen
from peerdesk.ui.handover import HandOver

if TYPE_CHECKING:
    from peerdesk.ui.store_control import StoreControl

Offered = tuple[list[Question], list[tuple[uuid.UUID, str]]]  # questions, communities


class FeedbackTools(QWidget):
    """Under the Sessions list's filters: feedback for the session chosen in the list."""

    def __init__(self) -> None:
        super().__init__()
        self.on_screen = QPushButton("Hand over for feedbac&k…")
        self.on_screen.setToolTip(
            "Someone who came answers a few questions on this laptop; it locks when they finish"
        )
        self.paper = QPushButton("Type in a pape&r form…")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Feedback on the chosen session:"))
        row.addWidget(self.on_screen)
        row.addWidget(self.paper)
        row.addStretch(1)


class FeedbackDesk(QObject):
    def __init__(self, control: "StoreControl") -> None:
        super().__init__(control)
        self.control = control
        self.window = control.window
        self.screen = FeedbackScreen()
        self.hand_over = HandOver(self.window, self.window.screens, self.screen)
        self.screen.done.connect(self._screen_done)
        self.screen.skipped.connect(self._hand_back)
        self._log_for_screen: uuid.UUID | None = None
        self.session_desk = self.window.session_desk
        self.session_desk.log_page.feedback_wanted.connect(self.open_screen)
        self.tools = FeedbackTools()
        self.tools.on_screen.clicked.connect(lambda: self.open_screen(self._chosen_log()))
        self.tools.paper.clicked.connect(self.open_paper_form)
        self.session_desk.bar.add_row(self.tools)
        self.paper: PaperFormDialog | None = None

    def signed_in(self, signed: SignedIn) -> None:
        records = can(signed.actor, Permission.RECORD_FEEDBACK)
        self.tools.setVisible(records)
        self.session_desk.log_page.offers_feedback = records

    # Feedback --------------------------------------------------------------------------------
    def _chosen_log(self) -> uuid.UUID | None:
        page = self.session_desk.list_page
        index = page.table.currentIndex()
        if page.model is None or not index.isValid():
            messages.inform(self.window, "Choose the session in the list first.")
            return None
        return page.model.row(index.row()).id  # type: ignore[no-any-return]

    def _questions(self, signed: SignedIn) -> Offered:
        with signed.store.read() as s:
            asked = feedback_questions(s)
            active = select(Community.id, Community.name).where(Community.active.is_(True))
            rows = s.execute(active.order_by(Community.name))
            return asked, [(k, n) for k, n in rows]

    def open_screen(self, log_id: uuid.UUID | None) -> None:
        """Hand the laptop over: the screen alone, locked, for the session just logged."""
        signed = self.control.signed_in
        if signed is None or log_id is None:
            return
        with Action(parent=self.window) as action:
            questions, communities = self._questions(signed)
        if action.failed:
            return
        self._log_for_screen = log_id
        self.screen.ask(questions, communities)
        self.hand_over.begin()

    def _screen_done(self) -> None:
        signed = self.control.signed_in
        answers = self.screen.answers()
        if signed is None:
            return
        if not (answers.scores or answers.helped):
            self._hand_back()  # nothing answered: the same as Skip
            return
        form = feedback_form(answers, self._log_for_screen, EnteredFrom.SCREEN)
        action = Action(self.screen.show_problem, parent=self.window, changes={Change.FEEDBACK})
        action.write(signed.store, signed.actor, lambda s: record_feedback(s, signed.actor, form))
        if not action.failed:
            self._hand_back()

    def _hand_back(self) -> None:
        """Back to the sign-in screen: the volunteer signs in again; the participant never
        lands in their account."""
        self._log_for_screen = None
        self.screen.clear()
        self.control.lock_screen()

    def open_paper_form(self) -> None:
        signed = self.control.signed_in
        log_id = self._chosen_log()
        if signed is None or log_id is None:
            return
        with Action(parent=self.window) as action:
            questions, communities = self._questions(signed)
            words = self._session_words(signed, log_id)
        if action.failed:
            return
        dialog = PaperFormDialog(words, questions, communities, self.window)

        def submitted(answers: Answers) -> None:
            form = feedback_form(answers, log_id, EnteredFrom.PAPER)
            action = Action(dialog.show_problem, parent=self.window, changes={Change.FEEDBACK})
            action.write(
                signed.store, signed.actor, lambda s: record_feedback(s, signed.actor, form)
            )
            if not action.failed:
                dialog.saved()

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.paper = dialog
        dialog.open()

    @staticmethod
    def _session_words(signed: SignedIn, log_id: uuid.UUID) -> str:
        with signed.store.read() as s:
            found = s.execute(select(SessionLog.started_at, Activity.name)
                              .join(Activity, Activity.id == SessionLog.activity_id)
                              .where(SessionLog.id == log_id)).first()  # fmt: skip
        if found is None:
            return "That session log no longer exists."
        return f"{show_datetime(found[0])} · {found[1]}"


def feedback_form(
    answers: Answers, log_id: uuid.UUID | None, source: "EnteredFrom"
) -> FeedbackForm:
    """What was answered, as the service records it; identity only with consent."""
    identity = None
    if answers.consent and (answers.identity or answers.communities):
        identity = IdentityForm(EqualityAnswers(**answers.identity), answers.communities, True)
    return FeedbackForm(entered_from=source, session_log_id=log_id,
                        participant_code=answers.code or None, answers=answers.scores,
                        what_helped=answers.helped or None, identity=identity)  # fmt: skip
