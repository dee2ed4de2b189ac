"""The feedback screen: a participant answers a few questions about the session on the
laptop the volunteer hands them, then hands it back locked.

Large text and plain English; every question may be skipped. The wellbeing questions and the
group's own questions are rows of big buttons answered by number keys or arrows (see
`ScoreRow`), Tab or Enter goes on, and "Done" (or "Skip") ends it. The screen is shown by
`HandOver`, which keeps everything else of the volunteer's out of reach; what it shows and
saves is decided by the `FeedbackDesk`.
"""

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peerdesk.models import AnswerKind
from peerdesk.services.outcomes.questions import WHAT_HELPED, Question
from peerdesk.ui.score_row import ScoreRow

LARGER = 1.5  # times the usual text size: read at arm's length, perhaps without glasses
INTRO = (
    "Thank you for coming. These questions help the group know what works. Answer as many as "
    "you like, or none: nothing here asks your name."
)
KEYS = "Type a number or use the arrow keys, then press Enter for the next question."
CODE_NOTE = "Never your name: make up a word you will remember, so next time's answers link up."
CONSENT = "I agree to the group keeping these answers about me, without my name"
THANKS = "Thank you. Please hand the laptop back."


# The self-described identity questions, in the words of the volunteers' equality form.
IDENTITY = (
    ("age_band", "Age"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnicity"),
    ("disability", "Disability"),
    ("sexual_orientation", "Sexual orientation"),
    ("religion", "Religion or belief"),
    ("lived_experience", "Lived experience"),
)


@dataclass
class Answers:
    """What was answered; identity and communities only with consent."""

    scores: dict[str, int] = field(default_factory=dict)
    helped: str = ""
    code: str = ""
    consent: bool = False
    identity: dict[str, str] = field(default_factory=dict)
    communities: tuple[uuid.UUID, ...] = ()


def score_row(question: Question) -> ScoreRow:
    """The row of buttons for a question: 0–10 numbered with its ends in words, or the
    measure's own answers."""
    if question.answer_kind is AnswerKind.SCORE_0_10:
        labels = dict(question.choices)
        numbers = [(value, str(value)) for value, _label in question.choices]
        ends = (labels.get(0, ""), labels.get(10, ""))
        return ScoreRow(question.text, numbers, ends)
    return ScoreRow(question.text, question.choices)


class FeedbackScreen(QWidget):
    done = Signal()
    skipped = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Feedback")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * LARGER)
        self.setFont(font)
        self.rows: list[ScoreRow] = []
        self.identity: dict[str, QLineEdit] = {}
        self.communities: dict[uuid.UUID, QCheckBox] = {}
        self.questions = QVBoxLayout()
        self.helped = QLineEdit()
        self.helped_label = QLabel("What &helped?")
        self.helped.setAccessibleName("What helped?")
        self.helped.setPlaceholderText("A few words, if you like")
        self.code = QLineEdit()
        self.code.setAccessibleName("Your own code")
        self.code.setMaxLength(40)
        self.consent = QCheckBox(CONSENT)
        self.identity_form = QFormLayout()
        self.identity_box = QWidget()
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        self.finish = QPushButton("&Done")
        self.skip = QPushButton("S&kip: hand back without answering")
        self.finish.clicked.connect(self.done)
        self.skip.clicked.connect(self.skipped)
        self.consent.toggled.connect(self.identity_box.setEnabled)
        self.helped.returnPressed.connect(self.focusNextChild)
        self.code.returnPressed.connect(self.focusNextChild)
        self._lay_out()

    def _lay_out(self) -> None:
        body = QWidget()
        body.setMaximumWidth(980)
        layout = QVBoxLayout(body)
        heading = QLabel("How was today?")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        heading.setFont(big)
        layout.addWidget(heading)
        for words in (INTRO, KEYS):
            layout.addWidget(QLabel(words, wordWrap=True))
        layout.addLayout(self.questions)
        self.helped_label.setBuddy(self.helped)
        layout.addWidget(self.helped_label)
        layout.addWidget(self.helped)
        code = QLabel("Your own &code (optional)")
        code.setBuddy(self.code)
        layout.addWidget(code)
        layout.addWidget(QLabel(CODE_NOTE, wordWrap=True))
        layout.addWidget(self.code)
        layout.addWidget(self.consent)
        self.identity_box.setLayout(self.identity_form)
        self.identity_box.setEnabled(False)
        layout.addWidget(self.identity_box)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.finish)
        buttons.addWidget(self.skip)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(body, 20)
        centred.addStretch(1)
        holder = QWidget()
        holder.setLayout(centred)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # What is asked --------------------------------------------------------------------------
    def ask(self, questions: Sequence[Question], communities: Sequence[tuple[uuid.UUID, str]]
            ) -> None:  # fmt: skip
        """A fresh screen with these questions: nothing of the last participant's stays."""
        self._forget()
        measure = None
        for question in questions:
            if question.item_key == WHAT_HELPED:
                self.helped_label.setText(question.text.replace("&", "&&"))
                self.helped.setVisible(True)
                self.helped_label.setVisible(True)
                continue
            if question.measure_name != measure:
                measure = question.measure_name
                self._heading(measure, question.notice)
            label = QLabel(question.text, wordWrap=True)
            row = score_row(question)
            row.setObjectName(question.item_key)
            self.questions.addWidget(label)
            self.questions.addWidget(row)
            self.rows.append(row)
        for key, words in IDENTITY:
            edit = QLineEdit()
            edit.setAccessibleName(words)
            edit.setPlaceholderText("In your own words, if you like")
            self.identity[key] = edit
            self.identity_form.addRow(words, edit)
        for community_id, name in communities:
            box = QCheckBox(name.replace("&", "&&"))
            self.communities[community_id] = box
            self.identity_form.addRow("", box)
        self._set_tab_order()

    def _heading(self, measure: str, notice: str | None) -> None:
        heading = QLabel(f"<b>{_escaped(measure)}</b>", textFormat=Qt.TextFormat.RichText)
        self.questions.addWidget(heading)
        if notice:  # what the measure's licence says must be shown with it
            note = QLabel(notice, wordWrap=True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            self.questions.addWidget(note)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [*self.rows, self.helped, self.code, self.consent]
        chain += [*self.identity.values(), *self.communities.values(), self.finish, self.skip]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _forget(self) -> None:
        while self.questions.count():
            item = self.questions.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        while self.identity_form.rowCount():
            row = self.identity_form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()  # not at once: it may hold the focus
        self.rows, self.identity, self.communities = [], {}, {}
        for widget in (self.helped, self.helped_label):
            widget.setVisible(False)  # unless the group asks it
        for edit in (self.helped, self.code):
            edit.clear()
        self.consent.setChecked(False)
        self.problem.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        start: QWidget = self.rows[0] if self.rows else self.helped
        start.setFocus(Qt.FocusReason.OtherFocusReason)

    # What was answered ----------------------------------------------------------------------
    def answers(self) -> Answers:
        scores = {r.objectName(): v for r in self.rows if (v := r.value()) is not None}
        consent = self.consent.isChecked()
        identity = {k: e.text().strip() for k, e in self.identity.items() if e.text().strip()}
        chosen = tuple(k for k, box in self.communities.items() if box.isChecked())
        if not consent:
            identity, chosen = {}, ()
        return Answers(scores, self.helped.text().strip(), self.code.text().strip(),
                       consent, identity, chosen)  # fmt: skip

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def clear(self) -> None:
        self._forget()


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
