"""The feedback screen: a participant answers a few questions about the session on the
laptop the volunteer hands them, then hands it back locked.

Large text and plain English; every question may be skipped. The wellbeing questions and the
group's own questions are rows of big buttons answered by number keys or arrows (see
`ScoreRow`), Tab or Enter goes on, and "Done" (or "Skip") ends it. The screen is shown by
`HandOver`, which keeps everything else of the volunteer's out of reach; what it shows and
saves is decided by the `FeedbackDesk`.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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


@dataclass(frozen=True)
class Question:
    """A question answered by choosing one of `choices` (value, words)."""

    key: str
    text: str
    choices: tuple[tuple[int, str], ...]
    ends: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class Choice:
    """An identity question answered from a list (the first choice means no answer)."""

    key: str
    text: str
    options: tuple[str, ...]


@dataclass
class Answers:
    scores: dict[str, int] = field(default_factory=dict)
    helped: str = ""
    code: str = ""
    consent: bool = False
    identity: dict[str, str] = field(default_factory=dict)


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
        self.identity: dict[str, QComboBox] = {}
        self.questions = QVBoxLayout()
        self.helped = QLineEdit()
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
        helped = QLabel("What &helped today?")
        helped.setBuddy(self.helped)
        layout.addWidget(helped)
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
    def ask(self, questions: Sequence[Question], identity: Sequence[Choice]) -> None:
        """A fresh screen with these questions: nothing of the last participant's stays."""
        self._forget()
        for question in questions:
            label = QLabel(question.text, wordWrap=True)
            row = ScoreRow(question.text, question.choices, question.ends)
            row.setObjectName(question.key)
            self.questions.addWidget(label)
            self.questions.addWidget(row)
            self.rows.append(row)
        for choice in identity:
            combo = QComboBox()
            combo.addItems(list(choice.options))
            combo.setAccessibleName(choice.text)
            self.identity[choice.key] = combo
            self.identity_form.addRow(choice.text, combo)
        self.consent.setVisible(bool(identity))
        self.identity_box.setVisible(bool(identity))
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [*self.rows, self.helped, self.code, self.consent]
        chain += [*self.identity.values(), self.finish, self.skip]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _forget(self) -> None:
        while self.questions.count():
            item = self.questions.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        while self.identity_form.rowCount():
            self.identity_form.removeRow(0)
        self.rows, self.identity = [], {}
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
        identity = {
            key: combo.currentText()
            for key, combo in self.identity.items()
            if consent and combo.currentIndex() > 0
        }
        return Answers(scores, self.helped.text().strip(), self.code.text().strip(),
                       consent, identity)  # fmt: skip

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def clear(self) -> None:
        self._forget()
