"""The dialog that puts right a recorded session: date, length, shared summary, the leader's
confidential note and each supervisee's wellbeing words (chosen one person at a time)."""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from peerdesk.dates import show_date
from peerdesk.services.supervision.amending import SessionChanges
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.supervision_actions import date_edit, pydate, qdate
from peerdesk.ui.supervision_form import text_box

if TYPE_CHECKING:
    from peerdesk.services.supervision.reading import SessionView


class AmendDialog(FormDialog):
    def __init__(self, view: "SessionView", today: date, parent: QWidget | None) -> None:
        super().__init__(
            f"Change the session of {show_date(view.held_on)}",
            "Put right what was recorded. Who came and the actions agreed stay as they are.",
            "&Save changes",
            parent,
        )
        self.held_on = date_edit("Date of the session", view.held_on)
        self.held_on.setMaximumDate(qdate(today))
        self.minutes = QSpinBox(minimum=1, maximum=480, value=view.duration_minutes)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Length of the session")
        self.summary = text_box("Shared summary", "What the supervisees will see", 5)
        self.summary.setPlainText(view.shared_summary or "")
        self.note = text_box("Confidential note", "Only the leader and coordinators see this", 4)
        leader_note = next((n.body for n in view.notes if n.by_leader), "")
        self.note.setPlainText(leader_note)
        came = [a for a in view.attendees if a.attended]
        self.wellbeing = {a.volunteer_id: a.wellbeing_check or "" for a in came}
        self.whose = QComboBox()
        self.whose.setAccessibleName("Whose wellbeing words")
        for a in came:
            self.whose.addItem(a.name, a.volunteer_id)
        self.words = text_box("Wellbeing check", "How they say they are doing, in their words", 3)
        self._showing: uuid.UUID | None = None
        self.whose.currentIndexChanged.connect(lambda _n: self._show_words())
        self._show_words()
        self.form.addRow("&Date:", self.held_on)
        self.form.addRow("&Length:", self.minutes)
        self.form.addRow("S&hared summary:", self.summary)
        leader = view.supervisor.replace("&", "&&")  # a name is never a shortcut key
        note_label = QLabel(f"Confide&ntial note by {leader} (only they and coordinators see it):")
        note_label.setBuddy(self.note)
        self.form.addRow(note_label)
        self.form.addRow(self.note)
        self.form.addRow("&Wellbeing of:", self.whose)
        self.form.addRow(self.words)
        self.setMinimumWidth(560)

    def _show_words(self) -> None:
        if self._showing is not None:
            self.wellbeing[self._showing] = self.words.toPlainText()
        vid = self.whose.currentData()
        self._showing = vid
        self.words.setEnabled(vid is not None)
        self.words.setPlainText(self.wellbeing.get(vid, "") if vid is not None else "")

    def values(self) -> SessionChanges:
        self._show_words()  # keep what is in the box
        return SessionChanges(
            held_on=pydate(self.held_on.date()),
            duration_minutes=self.minutes.value(),
            shared_summary=self.summary.toPlainText(),
            confidential_note=self.note.toPlainText(),
            wellbeing={vid: words or None for vid, words in self.wellbeing.items()},
        )
