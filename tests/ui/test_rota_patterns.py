"""Shift patterns, driven through the real window and checked in the database: the list says
each pattern in words; "Change…" fills the pattern form and its untouched shifts to come
follow the change; "End…" removes the later shifts nobody is on and keeps a staffed one; bad
input is one sentence and the form keeps what was typed; only coordinators are offered it."""

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import Shift, ShiftPattern
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import PatternInput, assign, create_pattern
from peerdesk.ui.rota.patterns_dialog import (
    ChangePatternDialog,
    EndPatternDialog,
    PatternsDialog,
)
from peerdesk.ui.rota.rota_page import RotaPage
from peerdesk.ui.store_control import StoreControl
from tests.rota_world import make_world, weekly
from tests.ui.conftest import OpenWindow, sign_in

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Patterns:
    folder: DataFolder
    drop_in: uuid.UUID  # every Tuesday 10:00–13:00, from today's Tuesday
    staffed: date  # a Tuesday of the drop-in that Amara is on
    first_tuesday: date


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def patterns(coordinator: SignedIn) -> Patterns:
    """Patterns like the demo's: weekly, fortnightly, monthly on the second Tuesday (written
    as the demo writes it, "+2TU"), and one that ended last year."""
    store = coordinator.store
    world = make_world(store)
    actor = coordinator.actor
    today = clock.today()
    tuesday = next_weekday(today, 1)
    with store.session(actor) as s:
        info, _made = create_pattern(s, actor, weekly(world, first_on=tuesday), today)
        create_pattern(
            s,
            actor,
            weekly(
                world,
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
                title="Walk and talk",
                first_on=today,
                local_start=time(22),
                duration_minutes=240,
                venue_id=None,
            ),
            today,
        )
        create_pattern(
            s,
            actor,
            weekly(
                world,
                "FREQ=MONTHLY;BYDAY=+2TU",
                title="Carers' group",
                activity_id=world.group_activity,
                first_on=today,
                local_start=time(18),
                duration_minutes=120,
            ),
            today,
        )
        create_pattern(
            s,
            actor,
            weekly(
                world,
                "FREQ=WEEKLY;BYDAY=FR;COUNT=5",
                title="Art group",
                first_on=date(today.year - 1, 1, 1),
                until_on=date(today.year - 1, 6, 30),
            ),
            today,
        )
        staffed = tuesday + timedelta(days=28)
        shift_id = s.scalar(
            select(Shift.id).where(Shift.pattern_id == info.id, Shift.occurrence_on == staffed)
        )
        assert shift_id is not None
        assign(s, actor, shift_id, world.amara)
    store.close(backup=False)
    return Patterns(store.folder, info.id, staffed, tuesday)


def open_patterns(
    qtbot: QtBot, open_window: OpenWindow, folder: DataFolder
) -> tuple[StoreControl, RotaPage, PatternsDialog]:
    window, control = open_window(folder)
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    window.show_area("rota")
    page = window.rota_page
    assert page is not None
    click(qtbot, page.patterns)
    dialog = control.rota_desk.dialog
    assert isinstance(dialog, PatternsDialog) and dialog.isVisible()
    return control, page, dialog


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()} is not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rows(dialog: PatternsDialog) -> list[list[str]]:
    found = []
    for n in range(dialog.view.topLevelItemCount()):
        item = dialog.view.topLevelItem(n)
        assert item is not None
        found.append([item.text(c) for c in range(item.columnCount())])
    return found


def choose_row(dialog: PatternsDialog, title: str) -> None:
    for n in range(dialog.view.topLevelItemCount()):
        item = dialog.view.topLevelItem(n)
        if item is not None and item.text(0) == title:
            dialog.view.setCurrentItem(item)
            return
    raise AssertionError(f"{title} is not in the list")


def drop_in_shifts(control: StoreControl, pattern_id: uuid.UUID) -> dict[date, time]:
    """The pattern's shifts from today: each date and its local start time."""
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        found = s.execute(
            select(Shift.occurrence_on, Shift.starts_at).where(
                Shift.pattern_id == pattern_id, Shift.occurrence_on >= clock.today()
            )
        )
        return {row.occurrence_on: row.starts_at.astimezone(LONDON).time() for row in found}


def test_the_list_says_each_pattern_in_words(
    qtbot: QtBot, open_window: OpenWindow, patterns: Patterns
) -> None:
    _control, _page, dialog = open_patterns(qtbot, open_window, patterns.folder)
    today = clock.today()
    assert rows(dialog) == [
        [
            "Carers' group",
            "Wellbeing group",
            "Riverside Community Centre",
            "Every month on the second Tuesday, 18:00–20:00",
            show(today),
            "No end date",
            "Active",
        ],
        [
            "Tuesday drop-in",
            "1:1 drop-in",
            "Riverside Community Centre",
            "Every week on Tuesday, 10:00–13:00",
            show(patterns.first_tuesday),
            "No end date",
            "Active",
        ],
        [
            "Walk and talk",
            "1:1 drop-in",
            "No venue",
            "Every two weeks on Mon, Thu, 22:00–02:00 the next day",
            show(today),
            "No end date",
            "Active",
        ],
        [
            "Art group",
            "1:1 drop-in",
            "Riverside Community Centre",
            "Every week on Friday, 5 times, 10:00–13:00",
            f"1 Jan {today.year - 1}",
            f"30 Jun {today.year - 1}",
            "Ended",
        ],
    ]
    # Nothing chosen, nothing to change or end yet.
    assert not dialog.change.isEnabled() and not dialog.end.isEnabled()
    choose_row(dialog, "Tuesday drop-in")
    assert dialog.change.isEnabled() and dialog.end.isEnabled()
    # One that has ended runs again through its last date, not by "ending" it later.
    choose_row(dialog, "Art group")
    assert dialog.change.isEnabled() and not dialog.end.isEnabled()


def show(day: date) -> str:
    from peerdesk.dates import show_date

    return show_date(day)


def test_changing_a_pattern_moves_its_untouched_shifts_to_come(
    qtbot: QtBot, open_window: OpenWindow, patterns: Patterns
) -> None:
    control, page, dialog = open_patterns(qtbot, open_window, patterns.folder)
    before = drop_in_shifts(control, patterns.drop_in)
    assert set(before.values()) == {time(10)}
    choose_row(dialog, "Tuesday drop-in")
    click(qtbot, dialog.change)
    form = dialog.form
    assert isinstance(form, ChangePatternDialog) and form.isVisible()
    # The form that made it, filled with it.
    assert form.title.text() == "Tuesday drop-in"
    assert form.fields.activity.currentText() == "1:1 drop-in"
    assert form.fields.venue.currentText() == "Riverside Community Centre"
    assert (form.fields.start.text(), form.fields.end.text()) == ("10:00", "13:00")
    assert form.repeat.how.currentData() == "weekly"
    assert [box.isChecked() for box in form.repeat.days] == [n == 1 for n in range(7)]
    assert form.repeat.no_end.isChecked()
    # A bad time: one sentence, and everything typed is still there.
    form.title.setText("Tuesday drop-in (late)")
    form.fields.start.setText("11")
    form.fields.end.setText("25:00")
    click(qtbot, form.go)
    assert form.isVisible()
    assert form.problem.text() == (
        "The end time '25:00' is not a time peerdesk can read; write it like 10:00 or 18:30."
    )
    assert form.title.text() == "Tuesday drop-in (late)" and form.fields.start.text() == "11"
    form.fields.end.setText("14:00")
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()

    after = drop_in_shifts(control, patterns.drop_in)
    assert set(after) == set(before)
    assert after.pop(patterns.staffed) == time(10)  # Amara is on it: kept as it was
    assert set(after.values()) == {time(11)}
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        pattern = s.get_one(ShiftPattern, patterns.drop_in)
        assert (pattern.title, pattern.local_start, pattern.duration_minutes) == (
            "Tuesday drop-in (late)",
            time(11),
            180,
        )
        assert pattern.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert dialog.outcome.text().startswith("“Tuesday drop-in (late)” is saved")
    assert "1 shift someone is on" in dialog.outcome.text()
    assert rows(dialog)[1][3] == "Every week on Tuesday, 11:00–14:00"
    # The rota page behind was read again: the week shows the new time.
    page.show_week_of(patterns.first_tuesday)
    # (On the second Tuesday of a month the carers' group is on that day too.)
    shown = page.week.week.shifts_on(patterns.first_tuesday)
    (drop_in,) = [s for s in shown if s.title == "Tuesday drop-in (late)"]
    assert drop_in.starts.time() == time(11)


def test_a_monthly_pattern_written_by_the_demo_is_shown_and_kept(
    qtbot: QtBot, open_window: OpenWindow, patterns: Patterns
) -> None:
    control, _page, dialog = open_patterns(qtbot, open_window, patterns.folder)
    choose_row(dialog, "Carers' group")
    click(qtbot, dialog.change)
    form = dialog.form
    assert isinstance(form, ChangePatternDialog)
    assert form.repeat.how.currentData() == "monthly"
    assert form.repeat.ordinal.currentText() == "on the second"
    assert form.repeat.weekday.currentText() == "Tuesday"
    form.fields.most.setValue(4)
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        pattern = s.scalars(select(ShiftPattern).where(ShiftPattern.title == "Carers' group"))
        (carers,) = pattern.all()
        assert carers.max_volunteers == 4 and carers.rrule == "FREQ=MONTHLY;BYDAY=2TU"


def test_ending_a_pattern_removes_its_later_empty_shifts_and_keeps_a_staffed_one(
    qtbot: QtBot, open_window: OpenWindow, patterns: Patterns
) -> None:
    control, _page, dialog = open_patterns(qtbot, open_window, patterns.folder)
    before = drop_in_shifts(control, patterns.drop_in)
    choose_row(dialog, "Tuesday drop-in")
    click(qtbot, dialog.end)
    form = dialog.form
    assert isinstance(form, EndPatternDialog) and form.isVisible()
    assert "later shifts that nobody is on are removed" in form.intro.text()
    # Today unless changed (or the first date, for a pattern yet to start).
    assert form.last_on.text() == show(max(clock.today(), patterns.first_tuesday))
    # Bad input: a date that does not exist, then one before the pattern starts.
    form.last_on.setText("31/02/2030")
    click(qtbot, form.go)
    assert form.problem.text().startswith("The last date '31/02/2030' is not a date")
    assert form.last_on.text() == "31/02/2030"
    form.last_on.setText(show(patterns.first_tuesday - timedelta(days=1)))
    click(qtbot, form.go)
    assert form.problem.text() == "The last date is before the pattern's first date."
    assert drop_in_shifts(control, patterns.drop_in) == before  # nothing written

    last_on = patterns.first_tuesday + timedelta(days=7)
    form.last_on.setText(show(last_on))
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    after = drop_in_shifts(control, patterns.drop_in)
    assert set(after) == {patterns.first_tuesday, last_on, patterns.staffed}
    removed = len(before) - len(after)
    assert removed > 40  # a year of Tuesdays, less the three kept
    assert dialog.outcome.text() == (
        f"“Tuesday drop-in” ends on {show(last_on)}: {removed} shifts after it that nobody "
        f"was on were removed. 1 shift after it is kept, as someone is on it or it was changed "
        f"by hand: {show(patterns.staffed)}. Open it on the rota to tell them or to cancel it."
    )
    assert rows(dialog)[1][5] == show(last_on)
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.get_one(ShiftPattern, patterns.drop_in).until_on == last_on


@pytest.mark.parametrize("username", ["sam", "vic", "tess"])
def test_only_coordinators_are_offered_patterns(
    qtbot: QtBot, open_window: OpenWindow, org_folder: DataFolder, username: str
) -> None:
    window, _control = open_window(org_folder)
    sign_in(qtbot, window, username)
    window.show_area("rota")
    page = window.rota_page
    assert page is not None
    assert page.patterns.isHidden()


def test_a_coordinator_with_no_patterns_is_told_how_to_make_one(
    qtbot: QtBot, open_window: OpenWindow, org_folder: DataFolder
) -> None:
    _control, _page, dialog = open_patterns(qtbot, open_window, org_folder)
    assert rows(dialog) == []
    assert dialog.empty.isVisible() and "New pattern…" in dialog.empty.text()


def test_a_rule_the_form_cannot_show_is_kept_when_other_things_change(
    qtbot: QtBot, open_window: OpenWindow, patterns: Patterns
) -> None:
    control, _page, dialog = open_patterns(qtbot, open_window, patterns.folder)
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        drop_in = s.get_one(ShiftPattern, patterns.drop_in)
        activity = drop_in.activity_id
    with signed.store.session(signed.actor) as s:
        info, _made = create_pattern(
            s,
            signed.actor,
            PatternInput(
                "Mid-month check-in",
                activity,
                "FREQ=MONTHLY;BYMONTHDAY=15",
                clock.today(),
                time(9),
                60,
            ),
            clock.today(),
        )
    dialog.reload()
    choose_row(dialog, "Mid-month check-in")
    assert dialog.view.currentItem().text(3) == (  # type: ignore[union-attr]
        "By the rule FREQ=MONTHLY;BYMONTHDAY=15, 09:00–10:00"
    )
    click(qtbot, dialog.change)
    form = dialog.form
    assert isinstance(form, ChangePatternDialog)
    assert form.note is not None and "FREQ=MONTHLY;BYMONTHDAY=15" in form.note.text()
    form.fields.start.setText("09:30")
    form.fields.end.setText("10:30")
    click(qtbot, form.go)
    assert not form.isVisible(), form.problem.text()
    with signed.store.read() as s:
        pattern = s.get_one(ShiftPattern, info.id)
        assert (pattern.rrule, pattern.local_start) == ("FREQ=MONTHLY;BYMONTHDAY=15", time(9, 30))
    days = drop_in_shifts(control, info.id)
    assert days and all(d.day == 15 for d in days) and set(days.values()) == {time(9, 30)}
