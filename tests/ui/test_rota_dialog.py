"""The shift dialog and the pattern form, driven through the real window and checked in the
database: assigning (blocked, warned and overridden), suggestions, signing up, cover from
"I can't make it" to the coordinator's confirmation, attendance, a stale edit, a pattern."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk import clock
from peerdesk.models import Activity, AssignmentStatus, ExceptionKind, PatternException, Shift
from peerdesk.services.rota import (
    PatternInput,
    Reason,
    create_pattern,
    edit_shift,
    set_rota_policy,
    shift_detail,
)
from peerdesk.services.rota.shapes import ShiftInput
from peerdesk.ui.rota.shift_dialog import ShiftDialog
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import Answers, OpenWindow
from tests.ui.test_rota_views import (
    Rota,
    choose_view,
    open_in_week,
    open_rota,
    places,
    rota,
    week_of,
)

__all__ = ["rota"]  # the fixture, shared with the views' tests

S = AssignmentStatus


def dialog_of(control: StoreControl) -> ShiftDialog:
    dialog = control.rota_desk.dialog
    assert isinstance(dialog, ShiftDialog) and dialog.isVisible()
    return dialog


def click(qtbot: QtBot, dialog: ShiftDialog, key: str) -> None:
    button = dialog.buttons[key]
    assert button.isVisible(), f"{key} is not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_person(dialog: ShiftDialog, name: str) -> None:
    for n in range(dialog.people.topLevelItemCount()):
        item = dialog.people.topLevelItem(n)
        if item is not None and item.text(0) == name:
            dialog.people.setCurrentItem(item)
            return
    raise AssertionError(f"{name} is not on the shift")


def choose_volunteer(dialog: ShiftDialog, name: str) -> None:
    tabs = dialog.coordinator
    tabs.volunteer.setCurrentIndex(tabs.volunteer.findText(name))


def test_a_coordinator_puts_someone_on_a_shift(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    dialog.tabs.setCurrentIndex(1)
    choose_volunteer(dialog, "Bea E.")
    assert "Nothing stands in the way of Bea" in dialog.coordinator.concerns.text()
    qtbot.mouseClick(dialog.coordinator.put_on, Qt.MouseButton.LeftButton)
    assert places(control, rota.open_shift) == {rota.bea: S.CONFIRMED}
    assert "Filled" in dialog.summary.text()
    assert dialog.outcome.text() == "Bea E. is on the shift."
    # The week behind the dialog was read again.
    friday = rota.monday + timedelta(days=4)
    (shown,) = [s for s in page.week.week.shifts_on(friday) if s.id == rota.open_shift]
    assert shown.staffing == "filled"


def test_a_blocking_reason_is_named_and_nothing_is_saved(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota, answers: Answers
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.group, rota.monday + timedelta(days=2))
    dialog = dialog_of(control)
    choose_volunteer(dialog, "Amara E.")
    assert "your group's policy does not allow this" in dialog.coordinator.concerns.text()
    assert "Group facilitator" in dialog.coordinator.concerns.text()
    qtbot.mouseClick(dialog.coordinator.put_on, Qt.MouseButton.LeftButton)
    assert "Amara cannot go on this shift" in dialog.problem.text()
    assert answers.shown == []  # no override offered for a blocking reason
    assert places(control, rota.group) == {}


def test_a_warning_is_overridden_knowingly(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota, answers: Answers
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    assert control.signed_in is not None
    with control.signed_in.store.session(control.signed_in.actor) as s:
        set_rota_policy(s, control.signed_in.actor, {Reason.DOUBLE_BOOKED})
    open_in_week(qtbot, page, rota.group, rota.monday + timedelta(days=2))
    dialog = dialog_of(control)
    choose_volunteer(dialog, "Amara E.")
    assert "a warning: you can put them on anyway" in dialog.coordinator.concerns.text()
    answers.confirm = False
    qtbot.mouseClick(dialog.coordinator.put_on, Qt.MouseButton.LeftButton)
    assert places(control, rota.group) == {}
    assert "Check before putting Amara on this shift" in answers.shown[-1]
    answers.confirm = True
    qtbot.mouseClick(dialog.coordinator.put_on, Qt.MouseButton.LeftButton)
    assert places(control, rota.group) == {rota.amara: S.CONFIRMED}


def test_suggestions_fill_the_volunteer_box(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    tabs = dialog_of(control).coordinator
    qtbot.mouseClick(tabs.suggest, Qt.MouseButton.LeftButton)
    names = [tabs.suggestions.item(n).text() for n in range(tabs.suggestions.count())]
    assert names and all("recent shift" in n for n in names)
    # Amara is busy on Tuesday, not Friday: everyone is clear; Bea has one recent shift.
    assert any(n.startswith("Bea (Peer supporter) – 1 recent shift") for n in names)
    first = tabs.suggestions.item(0)
    tabs.suggestions.itemActivated.emit(first)
    assert tabs.volunteer.currentText().split()[0] == first.text().split()[0]


def test_a_volunteer_signs_up(qtbot: QtBot, open_window: OpenWindow, rota: Rota) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "bea")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    assert dialog.tabs.tabBar().isHidden()  # no coordinator tabs
    assert dialog.buttons["cant_make_it"].isHidden()
    click(qtbot, dialog, "sign_up")
    assert places(control, rota.open_shift) == {rota.bea: S.CONFIRMED}
    assert dialog.buttons["sign_up"].isHidden()
    assert dialog.buttons["cant_make_it"].isVisible()


def test_cover_end_to_end_through_the_window(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    tuesday = rota.monday + timedelta(days=1)
    # Amara can't make it.
    window, control, page = open_rota(qtbot, open_window, rota, "amara")
    open_in_week(qtbot, page, rota.amaras, tuesday)
    dialog = dialog_of(control)
    qtbot.keyClicks(dialog.note, "Hospital appointment")
    click(qtbot, dialog, "cant_make_it")
    assert places(control, rota.amaras) == {rota.amara: S.COVER_REQUESTED}
    assert "Unfilled" in dialog.summary.text()
    window.close()
    # Bea offers to cover.
    window, control, page = open_rota(qtbot, open_window, rota, "bea")
    open_in_week(qtbot, page, rota.amaras, tuesday)
    dialog = dialog_of(control)
    click(qtbot, dialog, "offer_cover")
    assert places(control, rota.amaras) == {rota.amara: S.COVER_REQUESTED, rota.bea: S.OFFERED}
    assert dialog.buttons["take_back"].isVisible()
    window.close()
    # The coordinator confirms it.
    window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.amaras, tuesday)
    dialog = dialog_of(control)
    select_person(dialog, "Amara")
    assert dialog.people.currentItem().text(2) == "Cover requested – “Hospital appointment”"  # type: ignore[union-attr]
    select_person(dialog, "Bea")
    assert dialog.people.currentItem().text(2) == "Offered to cover Amara"  # type: ignore[union-attr]
    click(qtbot, dialog, "confirm_cover")
    assert places(control, rota.amaras)[rota.bea] is S.CONFIRMED
    assert "Filled" in dialog.summary.text()


def test_attendance_after_the_shift(qtbot: QtBot, open_window: OpenWindow, rota: Rota) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    yesterday = clock.today() - timedelta(days=1)
    open_in_week(qtbot, page, rota.past, yesterday)
    dialog = dialog_of(control)
    select_person(dialog, "Bea")
    click(qtbot, dialog, "no_show")
    assert places(control, rota.past) == {rota.bea: S.NO_SHOW}
    click(qtbot, dialog, "attended")
    assert places(control, rota.past) == {rota.bea: S.ATTENDED}
    assert dialog.buttons["unassign"].isHidden()  # attendance recorded: not undone here


def test_a_stale_edit_says_so_and_keeps_what_was_typed(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    fields = dialog.coordinator.fields
    dialog.tabs.setCurrentIndex(2)
    fields.end.setText("12:45")
    fields.most.setValue(4)
    # Another coordinator saves a change to the same shift meanwhile.
    signed = control.signed_in
    assert signed is not None
    with signed.store.session(signed.actor) as s:
        now = shift_detail(s, signed.actor, rota.open_shift)
        edit_shift(
            s,
            signed.actor,
            now.id,
            now.version,
            ShiftInput(now.activity_id, now.local_start.date(), time(9), 60, now.venue_id),
        )
    qtbot.mouseClick(dialog.coordinator.save, Qt.MouseButton.LeftButton)
    assert "Someone else changed this shift" in dialog.problem.text()
    assert (fields.end.text(), fields.most.value()) == ("12:45", 4)
    # Opened again, the edit goes through.
    dialog.reject()
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    fields = dialog.coordinator.fields
    assert fields.start.text() == "09:00"
    fields.end.setText("12:45")
    qtbot.mouseClick(dialog.coordinator.save, Qt.MouseButton.LeftButton)
    assert dialog.problem.isHidden()
    with signed.store.read() as s:
        saved = shift_detail(s, signed.actor, rota.open_shift)
    assert (saved.local_start.time(), saved.local_end.time()) == (time(9), time(12, 45))


def test_cancelling_a_shift(qtbot: QtBot, open_window: OpenWindow, rota: Rota) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, rota.monday + timedelta(days=4))
    dialog = dialog_of(control)
    dialog.coordinator.reason.setText("Venue closed")
    qtbot.mouseClick(dialog.coordinator.cancel, Qt.MouseButton.LeftButton)
    assert "This shift is cancelled" in dialog.summary.text()
    friday = page.week.week.shifts_on(rota.monday + timedelta(days=4))
    (shown,) = [s for s in friday if s.id == rota.open_shift]
    assert shown.cancelled and shown.staffing == "cancelled"


def test_a_pattern_in_plain_words(qtbot: QtBot, open_window: OpenWindow, rota: Rota) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    qtbot.mouseClick(page.new_pattern, Qt.MouseButton.LeftButton)
    form = control.rota_desk.dialog
    form.title.setText("Second Tuesday carers' group")
    form.fields.activity.setCurrentIndex(form.fields.activity.findText("Wellbeing group"))
    form.fields.start.setText("18:00")
    form.fields.end.setText("20:00")
    repeat = form.repeat
    for box in repeat.days:
        box.setChecked(False)
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert form.problem.text() == "Tick at least one day of the week the shift repeats on."
    assert form.title.text() == "Second Tuesday carers' group"
    repeat.how.setCurrentIndex(repeat.how.findData("monthly"))
    repeat.ordinal.setCurrentIndex(1)  # the second
    repeat.weekday.setCurrentIndex(1)  # Tuesday
    first = clock.today().replace(day=1) + timedelta(days=40)
    repeat.first_on.setText(f"{first:%d/%m/%Y}")
    repeat.until.setChecked(True)
    repeat.until_on.setText(f"{first - timedelta(days=7):%d/%m/%Y}")
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert form.problem.text() == (
        "The pattern ends before it starts: check its first and last dates."
    )
    repeat.count.setChecked(True)
    repeat.times.setValue(3)
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert not form.isVisible(), form.problem.text()
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        starts = s.scalars(
            select(Shift.starts_at).where(Shift.pattern_id.is_not(None)).order_by(Shift.starts_at)
        ).all()
        assert s.scalar(select(func.count()).select_from(Shift)) == 5 + 3
    assert len(starts) == 3
    for start in starts:
        day = start.astimezone(ZoneInfo("Europe/London")).date()
        assert day.weekday() == 1 and 8 <= day.day <= 14
    assert all(start > clock.now() for start in starts)


def test_moving_and_cancelling_one_date_of_a_pattern(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    """Changing the time of a pattern's shift moves that date on the pattern too (so making
    the shifts again keeps it); cancelling cancels only that date."""
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    signed = control.signed_in
    assert signed is not None
    with signed.store.read() as s:
        activity = s.scalar(select(Activity.id).where(Activity.name == "1:1 drop-in"))
    saturday, sunday = rota.monday + timedelta(days=5), rota.monday + timedelta(days=6)
    with signed.store.session(signed.actor) as s:
        create_pattern(
            s,
            signed.actor,
            PatternInput(
                "Weekend drop-in",
                activity,
                "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=2",
                saturday,
                time(10),
                120,
            ),
            clock.today(),
        )
    week_of(qtbot, page, saturday)
    (first,) = page.week.week.shifts_on(saturday)
    open_in_week(qtbot, page, first.id, saturday)
    dialog = dialog_of(control)
    assert "one date of the pattern" in dialog.coordinator.pattern_note.text()
    dialog.coordinator.fields.start.setText("11:00")
    dialog.coordinator.fields.end.setText("13:00")
    qtbot.mouseClick(dialog.coordinator.save, Qt.MouseButton.LeftButton)
    assert dialog.problem.isHidden(), dialog.problem.text()
    dialog.reject()
    (second,) = page.week.week.shifts_on(sunday)
    open_in_week(qtbot, page, second.id, sunday)
    dialog = dialog_of(control)
    qtbot.mouseClick(dialog.coordinator.cancel, Qt.MouseButton.LeftButton)
    with signed.store.read() as s:
        kept = {
            e.occurrence_on: (e.kind, e.moved_starts_at)
            for e in s.scalars(select(PatternException))
        }
    assert kept[saturday][0] is ExceptionKind.MOVED
    assert kept[saturday][1].astimezone(ZoneInfo("Europe/London")).time() == time(11)
    assert kept[sunday] == (ExceptionKind.CANCELLED, None)
    (moved,) = page.week.week.shifts_on(saturday)
    assert (moved.starts.time(), moved.ends.time()) == (time(11), time(13))


def test_an_offer_is_accepted_by_the_volunteer(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    friday = rota.monday + timedelta(days=4)
    window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.open_shift, friday)
    dialog = dialog_of(control)
    choose_volunteer(dialog, "Bea E.")
    qtbot.mouseClick(dialog.coordinator.offer, Qt.MouseButton.LeftButton)
    assert places(control, rota.open_shift) == {rota.bea: S.OFFERED}
    window.close()
    window, control, page = open_rota(qtbot, open_window, rota, "bea")
    open_in_week(qtbot, page, rota.open_shift, friday)
    dialog = dialog_of(control)
    assert dialog.buttons["decline"].isVisible() and dialog.note.isVisible()
    click(qtbot, dialog, "accept")
    assert places(control, rota.open_shift) == {rota.bea: S.CONFIRMED}
    assert dialog.outcome.text() == "You are on this shift."


# A popup menu on the headless test platform: it cannot raise windows or grab the keyboard.
@pytest.mark.qt_log_ignore(
    r"This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_enter_on_a_day_of_the_month_opens_its_shift(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    choose_view(qtbot, page, "Month")
    wednesday = rota.monday + timedelta(days=2)
    page.month.select_day(wednesday)
    qtbot.keyClick(page.month, Qt.Key.Key_Return)
    assert dialog_of(control).detail.id == rota.group  # type: ignore[union-attr]
    dialog_of(control).reject()
    # A day with two shifts offers them in a menu.
    friday = rota.monday + timedelta(days=4)
    page.month.select_day(friday)
    qtbot.keyClick(page.month, Qt.Key.Key_Return)
    menu = page.month.open_menu
    assert [a.text().split(" – ")[0] for a in menu.actions()] == [
        "Thu 22:00 1:1 drop-in",  # from the night before
        "10:00 1:1 drop-in",
    ]
    menu.actions()[1].trigger()
    assert dialog_of(control).detail.id == rota.open_shift  # type: ignore[union-attr]
    menu.close()
