"""The Settings page's box for the outcome measures, the window's face of `peerdesk measure`:
import a licensed measure from the group's own file, switch a measure off or on (ticked: asked
on the feedback screen), and reword the group's own questions. Shown to those who may change
the measures (coordinators); every change goes through the measures service, which checks it
again."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.db.store import Store
from peerdesk.services.outcomes import measures
from peerdesk.services.permissions import Actor, Permission, can
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change

# What the feedback screen asks and what the outcome figures show follow the measures.
MEASURES_CHANGED = {Change.SETTINGS, Change.FEEDBACK}

MEASURE_FILES = "Measure files (*.json);;All files (*)"
NOTE = (
    "Ticked measures are asked on the feedback screen; a measure switched off keeps its answers "
    "and figures. A licensed measure (such as SWEMWBS) is imported from your own licensed copy, "
    "written as a small file (see the measures guide); peerdesk ships none."
)


def ask_measure_file(parent: QWidget) -> str:
    """Tests replace this to choose a file without a dialog."""
    title = "Import a measure"
    return QFileDialog.getOpenFileName(parent, title, str(Path.home()), MEASURE_FILES)[0]


class MeasuresBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Outcome measures")
        self.measures = QListWidget()
        self.measures.setAccessibleName("Measures asked on the feedback screen")
        self.measures.setTabKeyNavigation(False)  # Tab leaves the list; Space ticks
        self.measures.itemChanged.connect(self._switch)
        # A group has a few measures: room for six lines keeps the rest of Settings in view.
        self.measures.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.import_file = QPushButton("&Import a measure…")
        self.import_file.clicked.connect(self._import)
        self.question = QComboBox()
        self.question.setAccessibleName("The group's own question")
        self.question.currentIndexChanged.connect(self._show_wording)
        self.wording = QLineEdit()
        self.wording.setAccessibleName("Its wording")
        self.wording.setMaxLength(measures.TEXT_LIMIT + 100)  # the service names a long one
        self.save_wording = QPushButton("Save &wording")
        self.save_wording.clicked.connect(self._reword)
        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("What happened to the measures")
        self.problem.hide()
        self._lay_out()
        self._store: Store | None = None
        self._actor: Actor | None = None
        self.hide()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_file)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Group's &question:", self.question)
        form.addRow("Wor&ding:", self.wording)
        save = QHBoxLayout()
        save.addWidget(self.save_wording)
        save.addStretch(1)
        inner = QVBoxLayout(self)
        inner.addWidget(QLabel(NOTE, wordWrap=True))
        inner.addWidget(self.measures)
        inner.addLayout(buttons)
        inner.addLayout(form)
        inner.addLayout(save)
        inner.addWidget(self.problem)

    def attach(self, store: Store, actor: Actor) -> None:
        """Shown only to those who may change the measures."""
        self._store, self._actor = store, actor
        self.problem.hide()
        allowed = can(actor, Permission.MANAGE_MEASURES)
        self.setVisible(allowed)
        if allowed:
            self._fill()

    def reload(self) -> None:
        """Read again after a change (here or elsewhere), keeping what was said and chosen."""
        self._fill(self.question.currentData())

    def clear(self) -> None:
        """Signed out or locked: nothing of the library stays behind."""
        self._store = self._actor = None
        self.measures.blockSignals(True)
        self.measures.clear()
        self.measures.blockSignals(False)
        self.question.clear()
        self.wording.clear()
        self.problem.clear()
        self.hide()

    def _fill(self, chosen_question: str | None = None) -> None:
        store, actor = self._store, self._actor
        if store is None or actor is None:
            return
        with store.read() as s:
            listed = measures.list_measures(s, actor)
            questions = measures.group_questions(s, actor)
        row = self.measures.currentRow()  # read again after a change: the keyboard stays put
        self.measures.blockSignals(True)  # ticking them here switches nothing
        self.measures.clear()
        for m in listed:
            forms = "1 form" if m.responses == 1 else f"{m.responses:,} forms"
            item = QListWidgetItem(f"{m.name} — {m.items} questions, {forms} answered")
            item.setData(Qt.ItemDataRole.UserRole, m.key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
            item.setCheckState(Qt.CheckState.Checked if m.active else Qt.CheckState.Unchecked)
            self.measures.addItem(item)
        if 0 <= row < self.measures.count():
            self.measures.setCurrentRow(row)
        self.measures.blockSignals(False)
        self.question.blockSignals(True)
        self.question.clear()
        for q in questions:
            self.question.addItem(q.text, q.key)
        self.question.blockSignals(False)
        at = self.question.findData(chosen_question) if chosen_question else 0
        self.question.setCurrentIndex(max(at, 0))
        self._show_wording()

    def _show_wording(self) -> None:
        self.wording.setText(self.question.currentText())

    def _say(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()

    def _switch(self, item: QListWidgetItem) -> None:
        store, actor = self._store, self._actor
        if store is None or actor is None:
            return
        on = item.checkState() == Qt.CheckState.Checked
        key = str(item.data(Qt.ItemDataRole.UserRole))
        action = Action(self._say, parent=self, changes=MEASURES_CHANGED)
        changed = action.write(store, actor, lambda s: measures.switch_measure(s, actor, key, on))
        if changed is None:  # the tick goes back to what is stored
            self._fill(self.question.currentData())
            return
        state = "asked again" if changed.active else "no longer asked; its figures stay"
        self._say(f"{changed.name} is {state}.")

    def _import(self) -> None:
        store, actor = self._store, self._actor
        if store is None or actor is None:
            return
        chosen = ask_measure_file(self)
        if not chosen:
            return
        with Action(self._say, parent=self, changes=MEASURES_CHANGED) as action:
            definition = measures.read_measure_file(Path(chosen))
            with store.session(actor) as s:
                measures.import_measure(s, actor, definition)
        if action.failed:
            return
        self._fill(self.question.currentData())
        self._say(
            f"Imported {definition.name}: {len(definition.items)} questions, asked on the "
            "feedback screen from now on. Its licence asks for this notice, printed with its "
            f"figures: {definition.notice}"
        )

    def _reword(self) -> None:
        store, actor = self._store, self._actor
        key = self.question.currentData()
        if store is None or actor is None or key is None:
            return
        action = Action(self._say, parent=self, changes=MEASURES_CHANGED)
        typed = self.wording.text()
        action.write(store, actor, lambda s: measures.reword_question(s, actor, str(key), typed))
        if action.failed:
            return  # what was typed stays, beside the sentence saying what is wrong
        self._fill(str(key))
        self._say(f"Saved: the question now reads “{self.question.currentText()}”.")
