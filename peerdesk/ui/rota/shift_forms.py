"""Coordinators' forms for new shifts: a one-off shift, and a pattern (a shift that repeats
weekly, fortnightly or monthly on the Nth weekday, until a date, a number of times, or on and
on). The repeat is chosen in plain words and turned into an RFC 5545 rule here; the rota
services check it (no dates, too many shifts, ends before it starts) and say what is wrong."""

from datetime import date, timedelta
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from peerdesk import clock, wording
from peerdesk.dates import show_date
from peerdesk.errors import ValidationError
from peerdesk.services import rota
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import PatternInput
from peerdesk.services.rota.repeat_words import (
    FORTNIGHTLY,
    HOW_WORDS,
    MONTHLY,
    ORDINALS,
    WEEKDAYS,
    WEEKLY,
    Repeat,
)
from peerdesk.ui.account_dialogs import FormDialog
from peerdesk.ui.action import Action
from peerdesk.ui.changes import Change
from peerdesk.ui.rota.fields import RotaChoices, ShiftFields, chosen_id
from peerdesk.ui.volunteer_parts import day_field, read_day


class RotaForm(FormDialog):
    """A form whose save is one quick audited session on the GUI thread."""

    saved = Signal(str)  # what was added, in a sentence for the status bar
    places_wanted = Signal()  # no activity to choose: open "Venues and activities…" instead
    in_use_only = True  # a new shift or pattern is offered no retired venue or activity

    def __init__(
        self, signed: SignedIn, title: str, intro: str, action: str, parent: QWidget | None
    ) -> None:
        super().__init__(title, intro, action, parent)
        self.signed = signed
        with signed.store.read() as session:
            self.choices = RotaChoices.read(session, signed.actor, self.in_use_only)
        self.submitted.connect(self._save)
        if not self.choices.activities:
            self._no_activity_yet()

    def _no_activity_yet(self) -> None:
        """Every shift is of some activity, and a new group has none: rather than a form that
        can only fail, say what to do first and offer the way there."""
        # Not show_problem: its adjustSize would fix the size before the form's rows are added.
        self.problem.setText(
            "There is no activity to choose yet: add one (a drop-in, a group, …) under "
            "“Venues and activities…” first, then make the shift."
        )
        self.problem.show()
        self.go.setEnabled(False)
        self.to_places = self.buttons.addButton(
            "&Venues and activities…", self.buttons.ButtonRole.ActionRole
        )
        self.to_places.clicked.connect(self._go_to_places)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if not self.choices.activities:  # showing the problem must not offer a save again
            self.go.setEnabled(False)

    def _go_to_places(self) -> None:
        self.reject()
        self.places_wanted.emit()

    def _save(self, typed: object) -> None:
        action = Action(self.show_problem, parent=self, changes={Change.ROTA})
        message = action.write(self.signed.store, self.signed.actor, lambda s: self.write(s, typed))
        if message is None:
            return
        self.finish()
        self.saved.emit(message)

    def write(self, session: object, typed: object) -> str:
        raise NotImplementedError


class NewShiftDialog(RotaForm):
    def __init__(self, signed: SignedIn, day: date, parent: QWidget | None = None) -> None:
        super().__init__(
            signed,
            "New shift",
            "A shift that happens once, such as an event or an extra session. For a shift "
            "that repeats, make a pattern instead.",
            "Add s&hift",
            parent,
        )
        self.fields = ShiftFields(self.form, self.choices)
        assert self.fields.day is not None
        self.fields.day.setText(show_date(day))
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Notes")
        self.form.addRow("N&otes:", self.notes)

    def values(self) -> rota.ShiftInput:
        return self.fields.shift_input(self.notes.text())

    def write(self, session: object, typed: object) -> str:
        made = rota.create_shift(session, self.signed.actor, typed)  # type: ignore[arg-type]
        return f"{made.title} on {show_date(made.local_start.date())} is on the rota."


def past_start_words(first_on: date, today: date) -> str:
    return (
        f"The first date, {show_date(first_on)}, has passed: peerdesk makes no shifts in the "
        f"past, so this pattern's shifts will start from today, {show_date(today)}."
    )


class NewPatternDialog(RotaForm):
    heading_text = "New pattern"
    intro_text = (
        "A shift that repeats. peerdesk makes its shifts for the months ahead, at the same "
        "local time all year (the clock changes do not move it)."
    )
    action_text = "Add patter&n"
    warns_past_start = True  # a pattern being changed began long ago: no need to say so

    def __init__(self, signed: SignedIn, first_on: date, parent: QWidget | None = None) -> None:
        super().__init__(signed, self.heading_text, self.intro_text, self.action_text, parent)
        self.title = QLineEdit(placeholderText="e.g. Tuesday drop-in")
        self.title.setAccessibleName("Title")
        self.form.addRow("T&itle:", self.title)
        self.fields = ShiftFields(self.form, self.choices, dated=False)
        self.repeat = RepeatFields(self.form, first_on)
        self.setMinimumWidth(640)  # the seven day boxes and the end date, unclipped
        self.today = clock.today()
        # A first date in the past is kept (it is when the pattern really began, and it sets a
        # fortnightly rhythm or a count), but no shift is made before today: say so before
        # saving rather than refuse a true date.
        self.past_start = QLabel(wordWrap=True)
        self.past_start.setAccessibleName("First date has passed")
        row, _role = cast(tuple[int, object], self.form.getWidgetPosition(self.repeat.first_on))
        self.form.insertRow(row + 1, "", self.past_start)  # beneath the date it is about
        self.repeat.first_on.textChanged.connect(self._say_if_past)
        self._say_if_past()

    def _say_if_past(self) -> None:
        try:
            first_on = read_day(self.repeat.first_on, "first date")
        except ValidationError:  # half-typed: the save says what is wrong
            first_on = None
        past = self.warns_past_start and first_on is not None and first_on < self.today
        self.past_start.setVisible(past)
        if past and first_on is not None:
            self.past_start.setText(past_start_words(first_on, self.today))

    def values(self) -> PatternInput:
        if not self.title.text().strip():
            raise ValidationError("Give the pattern a title, for example 'Tuesday drop-in'.")
        start, minutes = self.fields.hours()
        rule, first_on, until_on = self.repeat.rule()
        return PatternInput(
            title=self.title.text(),
            activity_id=self.fields.activity_id(),
            rrule=rule,
            first_on=first_on,
            local_start=start,
            duration_minutes=minutes,
            venue_id=chosen_id(self.fields.venue),
            until_on=until_on,
            min_volunteers=self.fields.least.value(),
            max_volunteers=self.fields.most.value(),
            required_role_ids=self.fields.role_ids(),
            lone_working=self.fields.lone_working.isChecked(),
        )

    def write(self, session: object, typed: object) -> str:
        info, made = rota.create_pattern(session, self.signed.actor, typed, self.today)  # type: ignore[arg-type]
        return f"“{info.title}” is on the rota: {made.added} shifts were added."


class RepeatFields:
    """How a pattern repeats, in words: every week or two on chosen days, or monthly on the
    Nth weekday; from a first date until a date, for a number of times, or with no end."""

    def __init__(self, form: object, first_on: date) -> None:
        self.how = QComboBox()
        self.how.setAccessibleName("Repeats")
        for key in (WEEKLY, FORTNIGHTLY, MONTHLY):
            self.how.addItem(HOW_WORDS[key], key)
        self.days = [QCheckBox(name[:3]) for name in wording.WEEKDAYS]
        for box, name in zip(self.days, wording.WEEKDAYS, strict=True):
            box.setAccessibleName(name)
        self.days[first_on.weekday()].setChecked(True)
        self.ordinal = QComboBox()
        self.ordinal.setAccessibleName("Which week of the month")
        for text, n in ORDINALS:
            self.ordinal.addItem(f"on the {text}", n)
        self.weekday = QComboBox()
        self.weekday.setAccessibleName("Day of the week")
        for name in wording.WEEKDAYS:
            self.weekday.addItem(name)
        self.weekday.setCurrentIndex(first_on.weekday())
        self.ordinal.setCurrentIndex(min((first_on.day - 1) // 7, 3))
        self.first_on = day_field("First date", first_on)
        self.ends = QButtonGroup()
        self.no_end = QRadioButton("No end date")
        self.until = QRadioButton("Until")
        self.count = QRadioButton("For")
        self.until_on = day_field("Last date", first_on + timedelta(days=182))
        self.times = QSpinBox()
        self.times.setRange(1, 500)
        self.times.setValue(10)
        self.times.setAccessibleName("How many times")
        for n, button in enumerate((self.no_end, self.until, self.count)):
            self.ends.addButton(button, n)
        self.no_end.setChecked(True)
        self._add_rows(form)
        self.how.currentIndexChanged.connect(lambda _i: self._show_how())
        self._show_how()

    def _add_rows(self, form: object) -> None:
        repeat = QHBoxLayout()
        repeat.addWidget(self.how)
        self.day_row = QWidget()
        days = QHBoxLayout(self.day_row)
        days.setContentsMargins(0, 0, 0, 0)
        days.addWidget(QLabel("on"))
        for box in self.days:
            days.addWidget(box)
        repeat.addWidget(self.day_row)
        repeat.addWidget(self.ordinal)
        repeat.addWidget(self.weekday)
        repeat.addStretch(1)
        label = QLabel("Re&peats:")
        label.setBuddy(self.how)
        form.addRow(label, repeat)  # type: ignore[attr-defined]
        form.addRow("&First date:", self.first_on)  # type: ignore[attr-defined]
        ends = QHBoxLayout()
        for widget in (
            self.no_end,
            self.until,
            self.until_on,
            self.count,
            self.times,
            QLabel("times"),
        ):
            ends.addWidget(widget)
        ends.addStretch(1)
        form.addRow("Ends:", ends)  # type: ignore[attr-defined]

    def load(self, repeat: Repeat, first_on: date, until_on: date | None) -> None:
        """Show a pattern's repeat as it was chosen (see `repeat_words.read_rule`)."""
        self.how.setCurrentIndex(self.how.findData(repeat.how))
        for n, box in enumerate(self.days):
            box.setChecked(n in repeat.days)
        if repeat.nth is not None and repeat.weekday is not None:
            self.ordinal.setCurrentIndex(self.ordinal.findData(repeat.nth))
            self.weekday.setCurrentIndex(repeat.weekday)
        self.first_on.setText(show_date(first_on))
        if until_on is not None:
            self.until.setChecked(True)
            self.until_on.setText(show_date(until_on))
        elif repeat.count is not None:
            self.count.setChecked(True)
            self.times.setValue(repeat.count)
        else:
            self.no_end.setChecked(True)

    def _show_how(self) -> None:
        monthly = self.how.currentData() == MONTHLY
        self.day_row.setVisible(not monthly)
        self.ordinal.setVisible(monthly)
        self.weekday.setVisible(monthly)

    def rule(self) -> tuple[str, date, date | None]:
        """The RRULE, the first date and the last date (None: no last date)."""
        first_on = read_day(self.first_on, "first date", required=True)
        assert first_on is not None
        how = self.how.currentData()
        if how == MONTHLY:
            day = WEEKDAYS[self.weekday.currentIndex()]
            rule = f"FREQ=MONTHLY;BYDAY={self.ordinal.currentData()}{day}"
        else:
            chosen = [
                code for code, box in zip(WEEKDAYS, self.days, strict=True) if box.isChecked()
            ]
            if not chosen:
                raise ValidationError("Tick at least one day of the week the shift repeats on.")
            every = ";INTERVAL=2" if how == FORTNIGHTLY else ""
            rule = f"FREQ=WEEKLY{every};BYDAY={','.join(chosen)}"
        until_on = None
        if self.until.isChecked():
            until_on = read_day(self.until_on, "last date", required=True)
        elif self.count.isChecked():
            rule += f";COUNT={self.times.value()}"
        return rule, first_on, until_on
