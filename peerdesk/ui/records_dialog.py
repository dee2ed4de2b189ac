"""What the dialogs that keep a short list of records (roles; venues and activities) share:
a line saying what was done, a line saying what was refused, a Close button, and one audited
write at a time through the signed-in person's store."""

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from peerdesk.services.auth import SignedIn
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change

Write = Callable[[Session], Any]


class RecordsDialog(QDialog):
    changed = Signal()  # something was saved: whoever shows these records reads them again
    changes: frozenset[Change] = frozenset()  # what a save here changes, announced to the window

    def __init__(self, signed: SignedIn, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.signed = signed
        self.setWindowTitle(title)
        self.form: QDialog | None = None  # the Add or Change form open now (tests reach it)
        self.outcome = QLabel(wordWrap=True)
        self.outcome.setAccessibleName("Done")
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Problem")
        bold = self.problem.font()
        bold.setBold(True)
        self.problem.setFont(bold)
        self.problem.hide()

    def lay_out(self, body: list[Any]) -> None:
        """The body's widgets and layouts (the first layout or list stretches), then what was
        done or refused, then Close."""
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for n, part in enumerate(body):
            stretch = 1 if n == 1 else 0
            if isinstance(part, QWidget):
                layout.addWidget(part, stretch)
            else:
                layout.addLayout(part, stretch)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problem)
        layout.addWidget(close)

    def reload(self, chosen: uuid.UUID | None = None) -> None:
        """Read the records again, keeping `chosen` (or the current row) selected."""
        raise NotImplementedError

    def open_form(self, form: QDialog) -> None:
        self.form = form
        form.finished.connect(lambda _result: form.deleteLater())
        form.open()

    def save(self, write: Write, said: str) -> str | None:
        """Run one audited write; the sentence said if it failed (nothing written): the
        service's refusal, or the plain one for a bug (logged)."""
        action = Action(self.refused, parent=self, changes=self.changes)
        saved = action.write(self.signed.store, self.signed.actor, write)
        if action.failed:
            return action.sentence
        self.problem.hide()
        self.outcome.setText(said)
        self.reload(getattr(saved, "id", None))
        self.changed.emit()
        return None

    def refused(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
        self.outcome.clear()
        self.reload()  # someone else may have changed it: show how it stands
