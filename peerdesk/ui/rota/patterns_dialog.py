"""Shift patterns, for coordinators: every pattern with what it is, where, how it repeats in
words, its first and last date and whether it still runs; "Change…" opens the pattern form
(the one "New pattern…" uses) filled with the pattern, "End…" stops it after a last date.

Each change is one audited session through `peerdesk.services.rota`. A change or an end brings
the pattern's shifts to come in line with it; shifts someone is on (or a coordinator changed by
hand) are kept as they are, and the sentence after saving says how many, so nobody's plans move
under them unnoticed. A refused save keeps what was typed and shows the service's sentence.
`changed` tells the rota page to read its shifts again."""

import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.dates import show_date
from peerdesk.services import rota
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import Generated, PatternInfo, PatternInput
from peerdesk.services.rota.repeat_words import (
    ACTIVE,
    ENDED,
    dates_words,
    hours_words,
    read_rule,
    rule_words,
    status,
    until_words,
)
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.rota.fields import choose
from peerdesk.ui.rota.shift_forms import NewPatternDialog
from peerdesk.ui.volunteer_parts import day_field, read_day, tree

ID_ROLE = Qt.ItemDataRole.UserRole
HEADERS = ["Pattern", "Activity", "Venue", "Repeats", "From", "Until", "Status"]


def row_texts(info: PatternInfo, today: date) -> list[str]:
    repeats = f"{rule_words(info.rrule)}, {hours_words(info.local_start, info.duration_minutes)}"
    return [
        info.title,
        info.activity,
        info.venue or "No venue",
        repeats,
        show_date(info.first_on),
        until_words(info),
        status(info, today),
    ]


def _shifts(n: int) -> str:
    return f"{n} shift{'s' if n != 1 else ''}"


def kept_words(made: Generated) -> str:
    """The shifts left as they were, said so the coordinator knows to look at them."""
    if made.kept == 1:
        return (
            " 1 shift someone is on, or that was changed by hand, is kept as it was: open it "
            "on the rota to tell them or to cancel it."
        )
    if made.kept:
        return (
            f" {made.kept} shifts someone is on, or that were changed by hand, are kept as "
            "they were: open them on the rota to tell those people or to cancel them."
        )
    return ""


def changed_words(title: str, made: Generated) -> str:
    follow = made.added + made.updated + made.removed
    if follow:
        done = [
            f"{made.updated} changed" if made.updated else "",
            f"{made.added} added" if made.added else "",
            f"{made.removed} removed" if made.removed else "",
        ]
        said = f"“{title}” is saved: shifts to come follow it ({', '.join(d for d in done if d)})."
    else:
        said = f"“{title}” is saved."
    return said + kept_words(made)


def ended_words(title: str, last_on: date, made: Generated, kept: list[date]) -> str:
    said = f"“{title}” ends on {show_date(last_on)}"
    if made.removed:
        were = "were" if made.removed != 1 else "was"
        said += f": {_shifts(made.removed)} after it that nobody was on {were} removed."
    else:
        said += "."
    if len(kept) == 1:
        return (
            f"{said} 1 shift after it is kept, as someone is on it or it was changed by hand: "
            f"{dates_words(kept)}. Open it on the rota to tell them or to cancel it."
        )
    if kept:
        return (
            f"{said} {len(kept)} shifts after it are kept, as someone is on them or they were "
            f"changed by hand: {dates_words(kept)}. Open them on the rota to tell those people "
            "or to cancel them."
        )
    return said


class PatternsDialog(QDialog):
    changed = Signal(str)  # a pattern was changed or ended: what happened, in a sentence

    def __init__(self, signed: SignedIn, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.signed = signed
        self.today = today
        self.setWindowTitle("Shift patterns")
        self.form: QDialog | None = None  # the Change or End form open now (tests reach it)
        self._rows: dict[uuid.UUID, PatternInfo] = {}
        intro = QLabel(
            "The shifts that repeat. Change one and its shifts to come follow it; end one "
            "and its shifts after the last date are removed. Shifts someone is on are always "
            "kept as they are.",
            wordWrap=True,
        )
        self.view = tree("Shift patterns", HEADERS)
        self.change = QPushButton("&Change…")
        self.end = QPushButton("&End…")
        self.change.setAccessibleName("Change pattern")
        self.end.setAccessibleName("End pattern")
        self.outcome = QLabel(wordWrap=True)
        self.outcome.setAccessibleName("Done")
        self.empty = QLabel(
            "There are no patterns yet: make one with “New pattern…” on the Rota page.",
            wordWrap=True,
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.change)
        buttons.addWidget(self.end)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        layout.addWidget(close)
        self.change.clicked.connect(self._change)
        self.end.clicked.connect(self._end)
        self.view.itemActivated.connect(lambda _item, _column: self.change.click())
        self.view.currentItemChanged.connect(lambda *_: self._show_buttons())
        self.resize(1180, 460)
        self.reload()

    def reload(self, chosen: uuid.UUID | None = None) -> None:
        with self.signed.store.read() as session:
            listed = rota.list_patterns(session, self.signed.actor, include_ended=True)
        # Those still running first (what a coordinator comes to change), each part by title.
        patterns = sorted(listed, key=lambda p: status(p, self.today) == ENDED)
        keep = chosen or self.chosen()
        self.view.clear()
        grey = self.palette().color(self.palette().ColorRole.PlaceholderText)
        for info in patterns:
            texts = row_texts(info, self.today)
            item = QTreeWidgetItem(texts)
            item.setData(0, ID_ROLE, str(info.id))
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
                if texts[-1] == ENDED:  # greyed as well as saying "Ended"
                    item.setForeground(column, grey)
            self.view.addTopLevelItem(item)
            if keep is not None and keep == info.id:
                self.view.setCurrentItem(item)
        self._rows = {info.id: info for info in patterns}
        self.empty.setVisible(not patterns)
        self._fit_columns()
        self._show_buttons()

    def _fit_columns(self) -> None:
        """How it repeats, the dates and the status whole; the title and activity up to a
        limit, and the venue the rest (cut short in the list, whole in their tooltips)."""
        header = self.view.header()
        header.setStretchLastSection(False)
        for column in range(len(HEADERS)):
            self.view.resizeColumnToContents(column)
            width = self.view.columnWidth(column) + 12
            self.view.setColumnWidth(column, min(width, 220) if column < 2 else width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def chosen(self) -> uuid.UUID | None:
        item = self.view.currentItem()
        return uuid.UUID(item.data(0, ID_ROLE)) if item is not None else None

    def _show_buttons(self) -> None:
        chosen = self.chosen()
        info = self._rows.get(chosen) if chosen is not None else None
        self.change.setEnabled(info is not None)
        # An ended pattern is run again through "Change…" (its last date), never by ending it.
        self.end.setEnabled(info is not None and status(info, self.today) == ACTIVE)

    def _change(self) -> None:
        chosen = self.chosen()
        if chosen is None or chosen not in self._rows:
            return
        form = ChangePatternDialog(self.signed, self._rows[chosen], self.today, self)
        form.saved.connect(lambda said: self._done(chosen, said))
        self._open(form)

    def _end(self) -> None:
        chosen = self.chosen()
        if chosen is None or chosen not in self._rows:
            return
        form = EndPatternDialog(self.signed, self._rows[chosen], self.today, self)
        form.ended.connect(lambda said: self._done(chosen, said))
        self._open(form)

    def _open(self, form: QDialog) -> None:
        self.form = form
        form.finished.connect(lambda _result: form.deleteLater())
        form.open()

    def _done(self, chosen: uuid.UUID, said: str) -> None:
        self.outcome.setText(said)
        self.reload(chosen)
        self.changed.emit(said)


class ChangePatternDialog(NewPatternDialog):
    """The pattern form, filled with a pattern and saving through `edit_pattern`."""

    heading_text = "Change pattern"
    intro_text = (
        "Its shifts to come that nobody is on follow the change; shifts someone is on, or "
        "that were changed by hand, are kept as they are."
    )
    action_text = "Save &changes"
    warns_past_start = False
    in_use_only = False  # a pattern may keep a venue or activity retired since

    def __init__(
        self, signed: SignedIn, info: PatternInfo, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(signed, info.first_on, parent)
        self.info = info
        self.today = today
        self.title.setText(info.title)
        self.fields.load(
            info.activity_id,
            info.venue_id,
            info.first_on,
            info.local_start,
            _end_time(info),
            info.min_volunteers,
            info.max_volunteers,
            info.required_role_ids,
            info.lone_working,
        )
        choose(self.fields.venue, info.venue_id)
        self.note: QLabel | None = None  # says a rule the form cannot show is kept
        # Should "Until" be ticked, it starts from today rather than from long ago.
        self.repeat.until_on.setText(show_date(max(today, info.first_on)))
        repeat = read_rule(info.rrule)
        if repeat is not None:
            self.repeat.load(repeat, info.first_on, info.until_on)
            self._untouched_rule: str | None = None
        else:
            # A rule the form cannot make: kept as it is unless another repeat is chosen here.
            self.repeat.first_on.setText(show_date(info.first_on))
            if info.until_on is not None:
                self.repeat.until.setChecked(True)
                self.repeat.until_on.setText(show_date(info.until_on))
            self._untouched_rule = self.repeat.rule()[0]
            self.note = QLabel(
                f"This pattern repeats by a rule this form cannot show ({info.rrule}); it "
                "stays as it is unless you choose how it repeats here.",
                wordWrap=True,
            )
            self.form.addRow("", self.note)

    def values(self) -> PatternInput:
        typed = super().values()
        if self._untouched_rule is not None and typed.rrule == self._untouched_rule:
            return replace(typed, rrule=self.info.rrule)
        return typed

    def write(self, session: object, typed: object) -> str:
        info, made = rota.edit_pattern(session, self.signed.actor, self.info.id, typed, self.today)  # type: ignore[arg-type]
        return changed_words(info.title, made)


def _end_time(info: PatternInfo) -> time:
    start = datetime.combine(date(2000, 1, 1), info.local_start)
    return (start + timedelta(minutes=info.duration_minutes)).time()


class EndPatternDialog(FormDialog):
    """Asks for the pattern's last date (today unless changed) and ends it there."""

    ended = Signal(str)

    def __init__(
        self, signed: SignedIn, info: PatternInfo, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            f"End “{info.title}”",
            f"“{info.title}” stops after its last date. Its later shifts that nobody is on "
            "are removed; shifts someone is on are kept, so you can tell them or cancel those "
            "shifts yourself. Shifts up to the last date stay on the rota.",
            "&End pattern",
            parent,
        )
        self.signed, self.info, self.today = signed, info, today
        # Today, or for a pattern yet to start its first date (the earliest it can end on).
        self.last_on = day_field("Last date", max(today, info.first_on))
        self.form.addRow("&Last date:", self.last_on)
        self.submitted.connect(self._save)

    def values(self) -> date:
        last_on = read_day(self.last_on, "last date", required=True)
        assert last_on is not None
        return last_on

    def _save(self, last_on: date) -> None:
        actor = self.signed.actor
        action = Action(self.show_problem, parent=self, changes={Change.ROTA})
        made = action.write(
            self.signed.store,
            actor,
            lambda s: rota.end_pattern(s, actor, self.info.id, last_on, self.today),
        )
        if made is None:
            return
        with self.signed.store.read() as session:
            kept = rota.kept_after(session, actor, self.info.id, last_on)
        self.finish()
        self.ended.emit(ended_words(self.info.title, last_on, made, kept))
