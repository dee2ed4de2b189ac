""" "Log a session": where a volunteer lands after signing in.

Their recent shifts not yet logged come first, the newest already picked, with the cursor in
"How many people came": for the session just run, typing the number and pressing Enter saves it.
Another shift is one click; "Something else" logs an ad-hoc session. Asking for a check-in puts
a follow-up in the supervisor's queue; "I have a safeguarding concern" opens the concern form
once the log is saved. A failed save says why and keeps everything typed.
"""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.dates import DEFAULT_ZONE, show_date
from peerdesk.db.store import Store
from peerdesk.errors import PeerdeskError
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor
from peerdesk.services.sessions import (
    LogChoices,
    SessionInput,
    UnloggedShift,
    log_choices,
    log_session,
    unlogged_shifts,
)
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.lone_working_box import LoneWorkingBox
from peerdesk.ui.session_fields import SessionFields
from peerdesk.wording import WEEKDAYS

SHIFT = Qt.ItemDataRole.UserRole
AD_HOC = "ad hoc"
INTRO = (
    "Thank you for running this session. Logging it takes a minute: pick the shift, say how "
    "many people came, and save. Numbers only, never names."
)
# Not strftime's %A: that follows the system locale, and peerdesk speaks British English.
NOTHING_TO_LOG = "You have logged all your recent shifts. Thank you."


def shift_words(shift: UnloggedShift, here: ZoneInfo, today: date) -> str:
    start, end = shift.starts_at.astimezone(here), shift.ends_at.astimezone(here)
    day = start.date()
    when = {today: "Today", today - timedelta(days=1): "Yesterday"}.get(day)
    when = when or f"{WEEKDAYS[day.weekday()]} {show_date(day)}"
    where = f" · {shift.venue}" if shift.venue else ""
    return f"{when}, {start:%H:%M}–{end:%H:%M} · {shift.activity}{where}"


class LogSessionPage(QWidget):
    # Picking a shift takes the cursor to the head count: the volunteer's list is short and the
    # newest is usually the one.
    FOLLOW_PICK = True
    offers_feedback = False  # set by whoever can hand over for feedback (OutcomesDesk)
    saved = Signal()  # a log was saved: figures elsewhere changed
    concern_wanted = Signal(object, object)  # (session log id, when the session ended)
    feedback_wanted = Signal(object)  # the session log id: hand the laptop over for feedback

    def __init__(self) -> None:
        super().__init__()
        self.store: Store | None = None
        self.actor: Actor | None = None
        self.zone = ZoneInfo(DEFAULT_ZONE)  # until the group's own is known
        self.unlogged: dict[uuid.UUID, UnloggedShift] = {}
        self.shifts = QListWidget()
        self.shifts.setAccessibleName("Shifts not logged yet")
        # The form is filled in once a session is picked; until then it waits, greyed out.
        self.details = QWidget()
        self.form = QFormLayout()
        self.fields = SessionFields(self.form, self.details)
        self.debrief = QCheckBox("I'd like a &check-in with someone about this session")
        self.concern = QCheckBox(
            "I have a safe&guarding concern (a short form opens once the log is saved)"
        )
        self.intro = QLabel(INTRO, wordWrap=True)
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.done = QLabel(wordWrap=True)
        self.done.setAccessibleName("Saved")
        self.save_button = QPushButton("&Save the log")
        # Once a log is saved: the people who came may answer a few questions on the laptop.
        self.feedback = QPushButton("Ask for &feedback on this laptop…")
        self.feedback.setToolTip("Hand the laptop to someone who came; it locks when they finish")
        self.feedback.hide()
        self.feedback.clicked.connect(lambda: self.feedback_wanted.emit(self._last_log))
        self._last_log: uuid.UUID | None = None
        self.save_button.setDefault(True)
        self.lone_working = LoneWorkingBox()
        save = QAction("Save the log", self, shortcut=QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        self._lay_out()
        self.shifts.currentItemChanged.connect(self._picked)
        self.save_button.clicked.connect(self.save)
        for count in (self.fields.attendees, self.fields.new_attendees):
            count.returnPressed.connect(self.save)

    def _lay_out(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel("<h2>Log a session</h2>"))
        layout.addWidget(self.intro)
        layout.addWidget(self.lone_working)
        picked = QLabel("Which sess&ion?")
        picked.setBuddy(self.shifts)
        layout.addWidget(picked)
        layout.addWidget(self.shifts)
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addLayout(self.form)
        details.addWidget(self.debrief)
        details.addWidget(self.concern)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        row.addWidget(self.done, 1)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.feedback, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        body.setMaximumWidth(760)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # Signed in and out -------------------------------------------------------------------------
    def attach(self, store: Store, actor: Actor) -> None:
        self.store, self.actor = store, actor
        self.load(pick_newest=True)

    def detach(self) -> None:
        """Nobody is signed in: nothing of theirs stays in a field."""
        self.store, self.actor = None, None
        self.unlogged = {}
        self.shifts.blockSignals(True)
        self.shifts.clear()
        self.shifts.blockSignals(False)
        self.fields.forget()
        self.lone_working.detach()
        for box in (self.debrief, self.concern):
            box.setChecked(False)
        self.problem.hide()
        self.done.clear()
        self._last_log = None
        self.feedback.hide()

    def load(self, pick_newest: bool = False) -> None:
        """Read the choices and the shifts not yet logged; the newest is picked if asked."""
        if self.store is None or self.actor is None:
            return
        now = clock.now()
        try:
            with self.store.read() as s:
                self.zone = group_zone(s)
                choices = log_choices(s, self.actor)
                shifts = self.read_shifts(s, now)
        except PeerdeskError as err:
            self.show_problem(str(err))
            return
        self.offer(choices)
        self.unlogged = {u.shift_id: u for u in shifts}
        self.shifts.blockSignals(True)
        self.shifts.clear()
        today = now.astimezone(self.zone).date()
        for shift in shifts:
            item = QListWidgetItem(self.words(shift, today), self.shifts)
            item.setData(SHIFT, shift.shift_id)
        other = QListWidgetItem("Something else: a session that was not on the rota", self.shifts)
        other.setData(SHIFT, AD_HOC)
        self.shifts.blockSignals(False)
        rows = min(self.shifts.count(), 6)  # as tall as the list, up to six shifts
        self.shifts.setFixedHeight(rows * self.shifts.sizeHintForRow(0) + 6)
        self.details.setEnabled(False)
        if pick_newest and shifts:
            self.shifts.setCurrentRow(0)
        elif not shifts:
            self.done.setText(self.done.text() or NOTHING_TO_LOG)

    def read_shifts(self, s: Session, now: datetime) -> list[UnloggedShift]:
        return unlogged_shifts(s, self.actor, now)  # type: ignore[arg-type]

    def offer(self, choices: LogChoices) -> None:
        assert self.store is not None and self.actor is not None
        self.fields.offer(choices, self.zone)
        self.lone_working.attach(self.store, self.actor, self.zone)
        self.lone_working.load()

    def words(self, shift: UnloggedShift, today: date) -> str:
        return shift_words(shift, self.zone, today)

    def volunteer_id(self) -> uuid.UUID | None:
        """Who ran the session: None for the person signed in."""
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Straight to the number: typing it and pressing Enter is all the common case needs.
        if self.shifts.currentItem() is not None:
            QTimer.singleShot(0, self._focus_count)

    def _focus_count(self) -> None:
        self.fields.attendees.setFocus(Qt.FocusReason.OtherFocusReason)

    # Picking and saving ------------------------------------------------------------------------
    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.problem.hide()
        self.details.setEnabled(True)
        key = item.data(SHIFT)
        if key == AD_HOC:
            now = clock.now()
            self.fields.set_times(now - timedelta(hours=1), now)
            self.fields.fill_people(())
            if self.FOLLOW_PICK:
                self.fields.activity.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        shift = self.unlogged.get(key)
        if shift is None:  # the list is being emptied
            return
        self.fill(shift)
        if self.FOLLOW_PICK:
            self._focus_count()

    def fill(self, shift: UnloggedShift) -> None:
        self.fields.fill(shift.activity_id, shift.venue_id, shift.mode,
                         (shift.starts_at, shift.ends_at), shift.co_volunteer_ids)  # fmt: skip

    def picked_shift(self) -> uuid.UUID | None:
        item = self.shifts.currentItem()
        key = item.data(SHIFT) if item is not None else None
        return key if isinstance(key, uuid.UUID) else None

    def save(self) -> None:
        if self.store is None or self.actor is None:
            return
        if self.shifts.currentItem() is None:
            self.show_problem("Pick the session you are logging from the list first.")
            return
        with Action(self.show_problem) as reading:  # said plainly; nothing typed is lost
            typed = self.fields.read()
            data = SessionInput(
                activity_id=typed.activity_id, mode=typed.mode, started_at=typed.started_at,
                ended_at=typed.ended_at, attendees=typed.attendees,
                new_attendees=typed.new_attendees, shift_id=self.picked_shift(),
                venue_id=typed.venue_id, co_volunteer_ids=typed.co_volunteer_ids,
                notes=typed.notes, debrief_requested=self.debrief.isChecked(),
                volunteer_id=self.volunteer_id(),
            )  # fmt: skip
        if reading.failed:
            return
        actor = self.actor
        action = Action(self.show_problem, parent=self, changes={Change.SESSIONS})
        log_id = action.write(self.store, actor, lambda s: log_session(s, actor, data, clock.now()))
        if log_id is not None:
            self._saved(log_id, data)

    def thanks(self, data: SessionInput) -> str:
        thanks = "Saved. Thank you for logging it."
        if data.debrief_requested:
            thanks += " Your supervisor will be in touch for a check-in."
        return thanks

    def _saved(self, log_id: uuid.UUID, data: SessionInput) -> None:
        thanks = self.thanks(data)
        wants_concern = self.concern.isChecked()
        self.problem.hide()
        self.fields.clear()
        for box in (self.debrief, self.concern):
            box.setChecked(False)
        self.done.setText(thanks)
        self._last_log = log_id
        self.feedback.setVisible(self.offers_feedback)
        self.load()
        self.shifts.setFocus(Qt.FocusReason.OtherFocusReason)
        self.saved.emit()
        if wants_concern:
            self.concern_wanted.emit(log_id, data.ended_at)

    def show_problem(self, text: str) -> None:
        self.done.clear()
        self.problem.setText(text)
        self.problem.show()
