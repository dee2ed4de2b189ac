"""Typing in a paper feedback form: the same questions as the feedback screen, for a session
from the Sessions list, quickly enough to get through a pile of forms.

Each measure's answers go in one box as the numbers on the paper, in order ("7 8 6 3", a dash
for one left blank), and the words under the box say back which answer went to which
question, so a slip is seen before it is saved. Enter saves and clears the form for the next
one; Close ends. The saving is done by the `OutcomesDesk` (through `submitted`).
"""

import re
import uuid
from collections.abc import Sequence
from itertools import groupby

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from peerdesk.errors import ValidationError
from peerdesk.services.outcomes.analysis import MEASURE_WORDS
from peerdesk.services.outcomes.questions import WHAT_HELPED, Question
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.feedback_screen import CODE_NOTE, IDENTITY, Answers

BLANK = "-"
INTRO = (
    "Type the answers as they are on the paper: for each measure, the numbers in order with "
    "spaces between (a dash for one left blank). Press Enter to save and start the next form."
)


class MeasureBox:
    """One measure's answers typed as a row of numbers, said back question by question."""

    def __init__(self, section: str, questions: Sequence[Question]) -> None:
        self.section, self.questions = section, list(questions)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(section)
        low, high = self._range()
        example = " ".join(str(min(high, low + n + 3)) for n in range(len(self.questions)))
        self.edit.setPlaceholderText(f"{len(self.questions)} numbers, {low} to {high}: {example}")
        self.said = QLabel(wordWrap=True)
        self.said.setAccessibleName(f"{section}, as read")
        self.edit.textChanged.connect(self._say_back)

    def _range(self) -> tuple[int, int]:
        values = [v for q in self.questions for v, _words in q.choices]
        return min(values), max(values)

    def _say_back(self) -> None:
        try:
            scores = self.scores()
        except ValidationError as err:
            self.said.setText(str(err))
            return
        words = [f"{_short(q)}: {scores.get(q.item_key, BLANK)}" for q in self.questions]
        self.said.setText(" · ".join(words) if scores else "")

    def scores(self) -> dict[str, int]:
        """The answers typed, by question; raises ValidationError saying what to fix."""
        parts = [p for p in re.split(r"[\s,;/]+", self.edit.text().strip()) if p]
        low, high = self._range()
        wrong = ValidationError(
            f"Type up to {len(self.questions)} numbers from {low} to {high} for "
            f"{self.section}, with spaces between (a dash for one left blank)."
        )
        if len(parts) > len(self.questions):
            raise wrong
        found: dict[str, int] = {}
        for question, part in zip(self.questions, parts, strict=False):
            if part in (BLANK, "–"):
                continue
            if not part.isdigit() or int(part) not in dict(question.choices):
                raise wrong
            found[question.item_key] = int(part)
        return found

    def clear(self) -> None:
        self.edit.clear()


class PaperFormDialog(FormDialog):
    """`submitted` carries the `Answers`; the desk answers with `saved()` or `show_problem`."""

    def __init__(self, session_words: str, questions: Sequence[Question],
                 communities: Sequence[tuple[uuid.UUID, str]],
                 parent: QWidget | None) -> None:  # fmt: skip
        super().__init__("A paper feedback form", INTRO, "&Save this form", parent)
        self.form.addRow("Session:", QLabel(session_words, wordWrap=True))
        scored = [q for q in questions if q.item_key != WHAT_HELPED]
        by_measure = groupby(scored, key=lambda q: q.measure_name)
        self.boxes = [MeasureBox(section, list(asked)) for section, asked in by_measure]
        for box in self.boxes:
            self.form.addRow(f"{box.section}:", box.edit)
            self.form.addRow("", box.said)
        self.helped = QLineEdit()
        self.helped.setAccessibleName("What helped")
        self.code = QLineEdit()
        self.code.setAccessibleName("Their own code")
        self.code.setToolTip(CODE_NOTE)
        self.form.addRow("What &helped:", self.helped)
        self.form.addRow("Their own &code:", self.code)
        self.consent = QCheckBox("They a&greed to the group keeping these about them")
        self.form.addRow("", self.consent)
        self.identity: dict[str, QLineEdit] = {}
        self.communities: dict[uuid.UUID, QCheckBox] = {}
        for key, words in IDENTITY:
            edit = QLineEdit()
            edit.setAccessibleName(words)
            self.identity[key] = edit
            self.form.addRow(f"{words}:", edit)
        for community_id, name in communities:
            tick = QCheckBox(name.replace("&", "&&"))
            self.communities[community_id] = tick
            self.form.addRow("", tick)
        for widget in (*self.identity.values(), *self.communities.values()):
            widget.setEnabled(False)  # kept only with their consent
            self.consent.toggled.connect(widget.setEnabled)
        self.helped.setVisible(any(q.item_key == WHAT_HELPED for q in questions))
        self.note = QLabel(wordWrap=True)
        self.note.setAccessibleName("Saved")
        self.body.insertWidget(self.body.count() - 1, self.note)
        close = self.buttons.button(self.buttons.StandardButton.Cancel)
        if close is not None:
            close.setText("Close")

    def values(self) -> Answers:
        scores: dict[str, int] = {}
        for box in self.boxes:
            scores |= box.scores()
        consent = self.consent.isChecked()
        identity = {k: e.text().strip() for k, e in self.identity.items() if e.text().strip()}
        chosen = tuple(k for k, box in self.communities.items() if box.isChecked())
        if not consent:
            identity, chosen = {}, ()
        answers = Answers(scores, self.helped.text().strip(), self.code.text().strip(),
                          consent, identity, chosen)  # fmt: skip
        if not (scores or answers.helped):
            raise ValidationError("Type at least one answer from the form before saving it.")
        return answers

    def saved(self) -> None:
        """Saved: an empty form for the next paper one, the cursor back at the top."""
        self.set_busy(False)
        self.problem.hide()
        for box in self.boxes:
            box.clear()
        for edit in (self.helped, self.code, *self.identity.values()):
            edit.clear()
        for tick in (self.consent, *self.communities.values()):
            tick.setChecked(False)
        self.note.setText("Saved. Ready for the next form.")
        first = self.boxes[0].edit if self.boxes else self.helped
        first.setFocus()


def _short(question: Question) -> str:
    """A few words for a question, to say back which answer went where ("Happy yesterday")."""
    if question.item_key in MEASURE_WORDS:
        return MEASURE_WORDS[question.item_key]
    text = question.text
    return text if len(text) <= 24 else text[:22].rstrip() + "…"
