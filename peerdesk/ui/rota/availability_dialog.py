"""One volunteer's availability: the times they are usually free each week and the dates they
are away, which the rota's eligibility checks and "Suggest volunteers" read.

Opened by the volunteer from "My shifts" or by a coordinator from the volunteer's record. Rows
are added and removed freely; Save writes everything in one audited session through
`peerdesk.services.rota`, so a refusal (an end before its start, time away that overlaps or is
all in the past) changes nothing and shows the service's sentence with every row kept as typed.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk import clock
from peerdesk.db.store import Store
from peerdesk.services.organisation import group_zone
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import (
    AbsenceInfo,
    Availability,
    UsualSlot,
    add_absence,
    availability,
    remove_absence,
    set_usual_availability,
)
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.rota.fields import read_time, time_field
from peerdesk.ui.volunteer_parts import day_field, read_day
from peerdesk.wording import WEEKDAYS

DAY_WIDTH, TIME_WIDTH, DATE_WIDTH = 130, 90, 130


@dataclass(frozen=True)
class TypedAway:
    """One row of dates away as typed; `recorded` is the time away it showed when opened."""

    recorded: AbsenceInfo | None
    starts_on: date
    ends_on: date
    reason: str | None

    @property
    def unchanged(self) -> bool:
        was = self.recorded
        return was is not None and (was.starts_on, was.ends_on, was.reason) == (
            self.starts_on,
            self.ends_on,
            self.reason,
        )


@dataclass(frozen=True)
class TypedAvailability:
    usual: tuple[UsualSlot, ...]
    away: tuple[TypedAway, ...]


class UsualRow(QWidget):
    """A day of the week, from and to."""

    remove_requested = Signal(object)  # this row

    def __init__(self, slot: UsualSlot | None = None) -> None:
        super().__init__()
        self.day = QComboBox()
        self.day.setAccessibleName("Day")
        self.day.addItems(WEEKDAYS)
        self.day.setFixedWidth(DAY_WIDTH)
        self.starts = time_field("Free from", slot.starts if slot else None)
        self.ends = time_field("Free until", slot.ends if slot else None)
        for field in (self.starts, self.ends):
            field.setFixedWidth(TIME_WIDTH)
        if slot is not None:
            self.day.setCurrentIndex(slot.weekday)
        self.remove = _remove_button("Remove this usual time")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        _row(self, *self.focus_order())

    def focus_order(self) -> tuple[QWidget, ...]:
        return (self.day, self.starts, self.ends, self.remove)

    def slot(self) -> UsualSlot:
        name = WEEKDAYS[self.day.currentIndex()]
        return UsualSlot(
            self.day.currentIndex(),
            read_time(self.starts, f"start of {name}'s usual time"),
            read_time(self.ends, f"end of {name}'s usual time"),
        )


class AwayRow(QWidget):
    """First and last day away, and why (optional)."""

    remove_requested = Signal(object)  # this row

    def __init__(self, recorded: AbsenceInfo | None = None) -> None:
        super().__init__()
        self.recorded = recorded
        self.starts_on = day_field("First day away", recorded.starts_on if recorded else None)
        self.ends_on = day_field("Last day away", recorded.ends_on if recorded else None)
        self.ends_on.setPlaceholderText("same day")
        for field in (self.starts_on, self.ends_on):
            field.setFixedWidth(DATE_WIDTH)
        self.reason = QLineEdit((recorded.reason or "") if recorded else "")
        self.reason.setAccessibleName("Reason for being away")
        self.reason.setPlaceholderText("optional, e.g. holiday")
        self.reason.setMaxLength(200)
        self.remove = _remove_button("Remove this time away")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        _row(self, *self.focus_order(), stretch=False)

    def focus_order(self) -> tuple[QWidget, ...]:
        return (self.starts_on, self.ends_on, self.reason, self.remove)

    def typed(self) -> TypedAway:
        first = read_day(self.starts_on, "first day away", required=True)
        assert first is not None  # required: read_day says what to type otherwise
        # An empty "to" is a single day away, the commonest case.
        last = read_day(self.ends_on, "last day away") or first
        return TypedAway(self.recorded, first, last, self.reason.text().strip() or None)


class AvailabilityDialog(FormDialog):
    saved = Signal(str)  # a sentence for the status bar

    def __init__(
        self,
        store: Store,
        actor: Actor,
        volunteer_id: uuid.UUID,
        name: str | None,
        parent: QWidget | None,
    ) -> None:
        """`name` is the volunteer's when a coordinator opens someone's; None for one's own."""
        yours = name is None
        super().__init__(
            "Your availability" if yours else f"Availability: {name}",
            (
                "When you are usually free each week, and the dates you are away. Coordinators "
                "see these when they build the rota."
                if yours
                else f"When {name} is usually free each week, and the dates they are away. The "
                "rota's checks and \u201cSuggest volunteers\u201d go by these."
            ),
            "&Save",
            parent,
        )
        self.store, self.actor, self.volunteer_id = store, actor, volunteer_id
        with store.read() as session:
            self.today = clock.today(group_zone(session))
            now = availability(session, actor, volunteer_id)
        self.opened_usual = now.usual  # so Save never overwrites a change made meanwhile
        self.usual_rows: list[UsualRow] = []
        self.away_rows: list[AwayRow] = []
        self.usual_box = QVBoxLayout()
        self.away_box = QVBoxLayout()
        self.no_usual = QLabel(
            "No usual times yet: add the days you can usually help." if yours else "None yet."
        )
        self.no_away = QLabel("No dates away coming up.")
        self.earlier = QLabel()
        self.shown: set[uuid.UUID] = set()
        self._lay_out()
        self._show(now)
        self.submitted.connect(self._save)
        self.setMinimumWidth(620)

    # Layout ------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        self.add_usual = add_usual = QPushButton("Add a &usual time")
        add_usual.clicked.connect(lambda: self._add_usual(None, focus=True))
        self.add_away = add_away = QPushButton("Add &time away")
        add_away.clicked.connect(lambda: self._add_away(None, focus=True))
        for button in (add_usual, add_away):
            button.setAutoDefault(False)  # Enter in a field saves, never adds a row
        self.form.addRow(QLabel("<b>Usual times each week</b>"))
        self.usual_heads = _headings(
            ("Day", DAY_WIDTH), ("From", TIME_WIDTH), ("Until", TIME_WIDTH)
        )
        self.form.addRow(self.usual_heads)
        self.form.addRow(self.no_usual)
        self.form.addRow(self.usual_box)
        self.form.addRow(_left(add_usual))
        self.form.addRow(QLabel("<b>Dates away</b>"))
        self.away_heads = _headings(
            ("From", DATE_WIDTH), ("To", DATE_WIDTH), ("Reason (optional)", 0)
        )
        self.form.addRow(self.away_heads)
        self.form.addRow(self.no_away)
        self.form.addRow(self.away_box)
        self.form.addRow(self.earlier)
        self.form.addRow(_left(add_away))

    def _show(self, now: Availability) -> None:
        for slot in now.usual:
            self._add_usual(slot)
        # Time away that is over changes no rota: it stays on record but out of the way.
        coming = [a for a in now.absences if a.ends_on >= self.today]
        self.shown = {a.id for a in coming}  # Save removes only what the rows showed
        for absence in coming:
            self._add_away(absence)
        over = len(now.absences) - len(coming)
        self.earlier.setText(
            f"{over} earlier time{'s' if over != 1 else ''} away "
            f"{'are' if over != 1 else 'is'} kept on record."
        )
        self.earlier.setVisible(over > 0)
        self._rows_changed()

    def _add_usual(self, slot: UsualSlot | None, focus: bool = False) -> None:
        row = UsualRow(slot)
        row.remove_requested.connect(self._remove_usual)
        self.usual_rows.append(row)
        self.usual_box.addWidget(row)
        row.show()  # now, not when the layout next runs: so it can take the focus
        self._rows_changed()
        if focus:
            row.day.setFocus()

    def _add_away(self, recorded: AbsenceInfo | None, focus: bool = False) -> None:
        row = AwayRow(recorded)
        row.remove_requested.connect(self._remove_away)
        self.away_rows.append(row)
        self.away_box.addWidget(row)
        row.show()  # now, not when the layout next runs: so it can take the focus
        self._rows_changed()
        if focus:
            row.starts_on.setFocus()

    def _remove_usual(self, row: UsualRow) -> None:
        self.usual_rows.remove(row)
        row.deleteLater()
        self._rows_changed()
        self.add_usual.setFocus()  # not lost with the button that was pressed

    def _remove_away(self, row: AwayRow) -> None:
        self.away_rows.remove(row)
        row.deleteLater()
        self._rows_changed()
        self.add_away.setFocus()

    def _rows_changed(self) -> None:
        """A sentence where there are no rows, column names only over rows, and Tab going
        down the rows as they are on screen (a row added later would otherwise come last)."""
        self.no_usual.setVisible(not self.usual_rows)
        self.usual_heads.setVisible(bool(self.usual_rows))
        self.no_away.setVisible(not self.away_rows)
        self.away_heads.setVisible(bool(self.away_rows))
        chain: list[QWidget] = [w for row in self.usual_rows for w in row.focus_order()]
        chain.append(self.add_usual)
        chain += [w for row in self.away_rows for w in row.focus_order()]
        chain += [self.add_away, self.go]
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            chain.append(cancel)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    # Saving ------------------------------------------------------------------------------------
    def values(self) -> TypedAvailability:
        return TypedAvailability(
            tuple(row.slot() for row in self.usual_rows),
            tuple(row.typed() for row in self.away_rows),
        )

    def _save(self, typed: TypedAvailability) -> None:
        # Eligibility for shifts reads availability: the rota's checks change with it.
        action = Action(self.show_problem, parent=self, changes={Change.ROTA})
        action.write(self.store, self.actor, lambda session: self._write(session, typed))
        if action.failed:  # nothing was written: the session rolled back
            return
        self.finish()
        self.saved.emit("Availability saved.")

    def _write(self, session: Session, typed: TypedAvailability) -> None:
        kept = {a.recorded.id for a in typed.away if a.unchanged and a.recorded is not None}
        now = availability(session, self.actor, self.volunteer_id)
        # Removed and changed rows go first, so a changed row never overlaps its old self.
        for absence in now.absences:
            if absence.id in self.shown and absence.id not in kept:
                remove_absence(session, self.actor, absence.id)
        if set(typed.usual) != set(self.opened_usual):  # only when changed here
            set_usual_availability(
                session, self.actor, self.volunteer_id, typed.usual, self.opened_usual
            )
        for away in typed.away:
            if not away.unchanged:
                add_absence(
                    session, self.actor, self.volunteer_id, away.starts_on, away.ends_on,
                    away.reason, today=self.today,
                )  # fmt: skip


def _remove_button(name: str) -> QPushButton:
    button = QPushButton("Remove")
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    return button


def _row(owner: QWidget, *widgets: QWidget, stretch: bool = True) -> None:
    layout = QHBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)


def _headings(*columns: tuple[str, int]) -> QWidget:
    """Column names over the rows; a width of 0 takes what is left."""
    heads = QWidget()
    layout = QHBoxLayout(heads)
    layout.setContentsMargins(0, 0, 0, 0)
    for text, width in columns:
        label = QLabel(text)
        if width:
            label.setFixedWidth(width)
        layout.addWidget(label)
    if all(width for _text, width in columns):
        layout.addStretch(1)
    return heads


def _left(button: QPushButton) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button)
    layout.addStretch(1)
    return holder
