"""The fields of a shift as a coordinator types it (what, where, when, how many, which roles,
lone working), shared by the one-off shift form, the pattern form and the shift dialog's
"Change" tab. Each reader turns what was typed into a value or raises a `ValidationError` with
one sentence saying what to fix; nothing typed is ever cleared."""

import re
import uuid
from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.services.browse import calendar_choices
from peerdesk.services.browse.calendar_choices import Choice
from peerdesk.services.permissions import Actor
from peerdesk.services.rota import ShiftInput
from peerdesk.ui.volunteer_parts import day_field, read_day

_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?$")
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class RotaChoices:
    """What the boxes offer, read once when a form opens. `in_use_only`: no retired venues or
    activities (a new shift or pattern); a shift being changed may keep a retired one."""

    activities: list[Choice]
    venues: list[Choice]
    roles: list[Choice]

    @classmethod
    def read(cls, session: Session, actor: Actor, in_use_only: bool = False) -> "RotaChoices":
        return cls(
            calendar_choices.activity_choices(session, actor, in_use_only),
            calendar_choices.venue_choices(session, actor, in_use_only),
            calendar_choices.role_choices(session, actor),
        )


def read_time(field: QLineEdit, what: str) -> time:
    """ "10:00", "9.30", "0930" or "18": a 24-hour time, or a sentence saying how to write it."""
    typed = field.text().strip()
    found = _TIME.match(typed)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    if not typed:
        raise ValidationError(f"Type the {what}, for example 10:00.")
    raise ValidationError(
        f"The {what} '{typed}' is not a time peerdesk can read; write it like 10:00 or 18:30."
    )


def length_minutes(start: time, end: time) -> int:
    """Minutes from start to end; an end at or before the start is on the next day."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes == 0:
        raise ValidationError("The shift ends when it starts: give it an end time, e.g. 12:30.")
    return minutes % DAY_MINUTES


def time_field(name: str, value: time | None = None) -> QLineEdit:
    field = QLineEdit(f"{value:%H:%M}" if value else "", placeholderText="e.g. 10:00")
    field.setAccessibleName(name)
    field.setMaximumWidth(90)
    return field


def choice_box(name: str, choices: list[Choice], none: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    if none is not None:
        box.addItem(none, None)
    add_choices(box, choices)
    return box


# A box keeps each choice's id as text: Qt compares Python objects it holds by identity, so
# `findData` would never find a UUID read again in another session.
def add_choices(box: QComboBox, choices: list[Choice]) -> None:
    for choice in choices:
        box.addItem(choice.name, str(choice.id))


def chosen_id(box: QComboBox) -> uuid.UUID | None:
    data = box.currentData()
    return uuid.UUID(data) if data else None


def choose(box: QComboBox, value: uuid.UUID | None) -> bool:
    """Select the choice with this id; False when it is not in the box."""
    index = box.findData(str(value)) if value is not None else 0
    if index >= 0:
        box.setCurrentIndex(index)
    return index >= 0


class ShiftFields:
    """What, where, when and who a shift needs, as rows of a form. `dated`: with the shift's
    day (one-off shifts and edits; a pattern has its own dates)."""

    def __init__(self, form: QFormLayout, choices: RotaChoices, dated: bool = True) -> None:
        self.activity = choice_box("Activity", choices.activities, "Choose…")
        self.venue = choice_box("Venue", choices.venues, "No venue (phone or online)")
        self.day = day_field("Date") if dated else None
        self.start = time_field("Start time")
        self.end = time_field("End time")
        self.next_day = QLabel()
        self.least = _count_box("Fewest volunteers", 1)
        self.most = _count_box("Most volunteers", 2)
        self.roles = QListWidget()
        self.roles.setAccessibleName("Roles needed")
        self.roles.setMaximumHeight(90)
        for role in choices.roles:
            item = QListWidgetItem(role.name, self.roles)
            item.setData(Qt.ItemDataRole.UserRole, role.id)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.lone_working = QCheckBox("&Lone working (one volunteer on their own)")
        self._add_rows(form)
        for field in (self.start, self.end):
            field.textChanged.connect(self._show_next_day)

    def _add_rows(self, form: QFormLayout) -> None:
        form.addRow("&Activity:", self.activity)
        form.addRow("&Venue:", self.venue)
        if self.day is not None:
            form.addRow("&Date:", self.day)
        hours = QHBoxLayout()
        hours.addWidget(self.start)
        hours.addWidget(QLabel("to"))
        hours.addWidget(self.end)
        hours.addWidget(self.next_day, 1)
        form.addRow(_buddy("&Time:", self.start), hours)
        staffing = QHBoxLayout()
        staffing.addWidget(self.least)
        staffing.addWidget(QLabel("to"))
        staffing.addWidget(self.most)
        staffing.addWidget(QLabel("volunteers"), 1)
        form.addRow(_buddy("How &many:", self.least), staffing)
        form.addRow("&Roles needed:", self.roles)
        form.addRow("", self.lone_working)

    def _show_next_day(self) -> None:
        """Past midnight is allowed: say so plainly rather than leave it to be guessed."""
        try:
            start, end = read_time(self.start, "start"), read_time(self.end, "end")
        except ValidationError:
            self.next_day.clear()
            return
        self.next_day.setText("(ends the next day)" if end < start else "")

    def load(
        self,
        activity_id: uuid.UUID,
        venue_id: uuid.UUID | None,
        day: date,
        start: time,
        end: time,
        least: int,
        most: int,
        role_ids: frozenset[uuid.UUID],
        lone_working: bool,
    ) -> None:
        choose(self.activity, activity_id)
        choose(self.venue, venue_id)
        if self.day is not None:
            self.day.setText(show_date(day))
        self.start.setText(f"{start:%H:%M}")
        self.end.setText(f"{end:%H:%M}")
        self.least.setValue(least)
        self.most.setValue(most)
        for n in range(self.roles.count()):
            item = self.roles.item(n)
            wanted = item.data(Qt.ItemDataRole.UserRole) in role_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.lone_working.setChecked(lone_working)

    def activity_id(self) -> uuid.UUID:
        chosen = chosen_id(self.activity)
        if chosen is None:
            raise ValidationError("Choose what the shift is (the activity).")
        return chosen

    def role_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(
            self.roles.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.roles.count())
            if self.roles.item(n).checkState() == Qt.CheckState.Checked
        )

    def hours(self) -> tuple[time, int]:
        start = read_time(self.start, "start time")
        return start, length_minutes(start, read_time(self.end, "end time"))

    def shift_input(self, notes: str | None = None) -> ShiftInput:
        assert self.day is not None
        day = read_day(self.day, "date", required=True)
        assert day is not None
        start, minutes = self.hours()
        return ShiftInput(
            activity_id=self.activity_id(),
            day=day,
            local_start=start,
            duration_minutes=minutes,
            venue_id=chosen_id(self.venue),
            min_volunteers=self.least.value(),
            max_volunteers=self.most.value(),
            required_role_ids=self.role_ids(),
            lone_working=self.lone_working.isChecked(),
            notes=(notes or "").strip() or None,
        )


def _count_box(name: str, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 50)
    box.setValue(value)
    box.setAccessibleName(name)
    return box


def row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return layout


def _buddy(text: str, field: QWidget) -> QLabel:
    """A form label whose mnemonic goes to the first field of a row of several."""
    label = QLabel(text)
    label.setBuddy(field)
    return label
