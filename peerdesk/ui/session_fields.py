"""The fields of a session log, shared by "Log a session" and a coordinator's correction:
activity and mode, date and times, venue, head counts, co-volunteers and notes.

`read()` turns what is typed into values (one plain sentence when something cannot be read);
the services then check the rules. Nothing typed is cleared by a failed save.
"""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTimeEdit,
    QWidget,
)

from peerdesk.dates import DEFAULT_ZONE, show_date
from peerdesk.errors import ValidationError
from peerdesk.models import SessionMode
from peerdesk.services.sessions import LogChoices, SessionCorrection, default_mode, parse_count
from peerdesk.ui.volunteer_parts import day_field, read_day
from peerdesk.wording import word

ID = Qt.ItemDataRole.UserRole
NOTES_HINT = (
    "A few words on how it went, if you like. Please refer to people by their role, not their "
    "name: \u201cone participant\u201d, \u201ca new member\u201d, \u201cthe venue host\u201d."
)
MODES = (SessionMode.IN_PERSON, SessionMode.PHONE, SessionMode.ONLINE, SessionMode.WALK_AND_TALK)


def time_field(name: str) -> QTimeEdit:
    field = QTimeEdit()
    field.setDisplayFormat("HH:mm")
    field.setAccessibleName(name)
    return field


class SessionFields:
    def __init__(self, form: QFormLayout, parent: QWidget) -> None:
        self.zone = ZoneInfo(DEFAULT_ZONE)  # until the group's own is known
        self.kinds: dict[uuid.UUID, object] = {}
        self.activity = QComboBox(parent)
        self.activity.setAccessibleName("Activity")
        self.mode = QComboBox(parent)
        self.mode.setAccessibleName("Mode")
        self.day = day_field("Date")
        self.starts = time_field("Started at")
        self.ends = time_field("Ended at")
        self.venue = QComboBox()
        self.venue.setAccessibleName("Venue")
        self.attendees = QLineEdit(placeholderText="e.g. 6")
        self.attendees.setAccessibleName("How many people came")
        self.new_attendees = QLineEdit("0")
        self.new_attendees.setAccessibleName("Of them, how many were new")
        # Made as children in the order they are on screen, so Tab goes down the form.
        for field in (
            self.day,
            self.starts,
            self.ends,
            self.venue,
            self.attendees,
            self.new_attendees,
        ):
            field.setParent(parent)
        for count in (self.attendees, self.new_attendees):
            count.setMaximumWidth(90)
        self.co_volunteers = QListWidget(parent)
        self.co_volunteers.setAccessibleName("Who ran it with you")
        self.co_volunteers.setMaximumHeight(90)
        self.notes = QPlainTextEdit(parent)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText(NOTES_HINT)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(110)
        self.activity.currentIndexChanged.connect(self._activity_chosen)
        self._lay_out(form)

    def _lay_out(self, form: QFormLayout) -> None:
        what = QHBoxLayout()
        what.addWidget(self.activity, 2)
        what.addWidget(self.mode, 1)
        when = QHBoxLayout()
        when.addWidget(self.day, 2)
        when.addWidget(QLabel("from"))
        when.addWidget(self.starts, 1)
        when.addWidget(QLabel("to"))
        when.addWidget(self.ends, 1)
        counts = QHBoxLayout()
        counts.addWidget(self.attendees)
        counts.addSpacing(16)
        new_label = QLabel("of them &new to the group:")
        new_label.setBuddy(self.new_attendees)
        counts.addWidget(new_label)
        counts.addWidget(self.new_attendees)
        counts.addStretch(1)
        # A row of several fields needs its label's buddy named, or the "&" shows as typed.
        form.addRow(_label("&What:", self.activity), what)
        form.addRow(_label("W&hen:", self.day), when)
        form.addRow("Wher&e:", self.venue)
        form.addRow(_label("How many &people came:", self.attendees), counts)
        form.addRow("Who ran it with &you:", self.co_volunteers)
        form.addRow("N&otes:", self.notes)

    def offer(self, choices: LogChoices, zone: ZoneInfo) -> None:
        """Fill the lists; keeps nothing typed (call before a new log or when opening one)."""
        self.zone = zone
        self.kinds = dict(choices.activity_kinds)
        self.activity.blockSignals(True)
        self.activity.clear()
        # Ids are kept as text: Qt compares stored Python objects by identity, not by value.
        for c in choices.activities:
            self.activity.addItem(c.name, str(c.id))
        self.activity.blockSignals(False)
        self.mode.clear()
        for mode in MODES:
            self.mode.addItem(word(mode), mode.value)
        self.venue.clear()
        self.venue.addItem("No venue (phone, online or out and about)", "")
        for c in choices.venues:
            self.venue.addItem(c.name, str(c.id))
        self.co_volunteers.clear()
        for c in choices.volunteers:
            item = QListWidgetItem(c.name, self.co_volunteers)
            item.setData(ID, str(c.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

    def _activity_chosen(self) -> None:
        chosen = _id(self.activity.currentData())
        kind = self.kinds.get(chosen) if chosen else None
        if kind is not None:
            _choose(self.mode, default_mode(kind))  # type: ignore[arg-type]

    def fill(
        self,
        activity_id: uuid.UUID,
        venue_id: uuid.UUID | None,
        mode: SessionMode,
        times: tuple[datetime, datetime],
        co_volunteer_ids: tuple[uuid.UUID, ...] = (),
    ) -> None:
        """Put in what a shift (or a saved log) says; counts and notes are left as they are."""
        if self.activity.findData(str(activity_id)) < 0:  # an activity no longer offered
            self.activity.addItem("(an activity no longer in use)", str(activity_id))
        _choose(self.activity, str(activity_id))
        _choose(self.mode, SessionMode(mode).value)
        _choose(self.venue, str(venue_id) if venue_id else "")
        self.set_times(*times)
        self.fill_people(co_volunteer_ids)

    def set_times(self, started_at: datetime, ended_at: datetime) -> None:
        start, end = (t.astimezone(self.zone) for t in (started_at, ended_at))
        self.day.setText(show_date(start.date()))
        self.starts.setTime(QTime(start.hour, start.minute))
        self.ends.setTime(QTime(end.hour, end.minute))

    def fill_people(self, co_volunteer_ids: tuple[uuid.UUID, ...]) -> None:
        wanted = {str(v) for v in co_volunteer_ids}
        for n in range(self.co_volunteers.count()):
            item = self.co_volunteers.item(n)
            on = item.data(ID) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def read(self) -> SessionCorrection:
        """What was typed, as the shape a correction takes (a new log is made from it too)."""
        activity_id = _id(self.activity.currentData())
        if activity_id is None:
            raise ValidationError("Choose what kind of session it was.")
        day = read_day(self.day, "date of the session", required=True)
        assert day is not None
        started_at = self._at(day, self.starts.time())
        ended_at = self._at(day, self.ends.time())
        if ended_at <= started_at:  # past midnight (the rules refuse more than 12 hours)
            ended_at = self._at(day + timedelta(days=1), self.ends.time())
        return SessionCorrection(
            activity_id=activity_id,
            venue_id=_id(self.venue.currentData()),
            mode=SessionMode(self.mode.currentData()),
            started_at=started_at,
            ended_at=ended_at,
            attendees=parse_count(self.attendees.text(), "people came", required=True),
            new_attendees=parse_count(self.new_attendees.text(), "new people"),
            co_volunteer_ids=tuple(
                uuid.UUID(self.co_volunteers.item(n).data(ID))
                for n in range(self.co_volunteers.count())
                if self.co_volunteers.item(n).checkState() == Qt.CheckState.Checked
            ),
            notes=self.notes.toPlainText(),
        )

    def _at(self, day: date, at: QTime) -> datetime:
        return datetime.combine(day, time(at.hour(), at.minute()), self.zone)

    def clear(self) -> None:
        """Empty every field: after a save, and before someone else signs in."""
        self.day.clear()
        self.attendees.clear()
        self.new_attendees.setText("0")
        self.notes.clear()
        for n in range(self.co_volunteers.count()):
            self.co_volunteers.item(n).setCheckState(Qt.CheckState.Unchecked)

    def forget(self) -> None:
        self.clear()
        for combo in (self.activity, self.mode, self.venue):
            combo.clear()
        self.co_volunteers.clear()


def _choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _id(data: object) -> uuid.UUID | None:
    return uuid.UUID(data) if isinstance(data, str) and data else None
