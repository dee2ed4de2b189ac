"""The Rota area's Week, Month and List views and "My shifts", driven through the real window:
navigation, filters, a shift across midnight, and what each role sees."""

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import Assignment, AssignmentStatus, UserRole
from peerdesk.services.auth import SignedIn
from peerdesk.services.browse.calendar import CalendarShift
from peerdesk.services.rota import assign, create_shift
from peerdesk.services.setup import ensure_account
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.rota.month_view import MonthView
from peerdesk.ui.rota.rota_page import RotaPage
from peerdesk.ui.rota.week_view import monday_of
from peerdesk.ui.rota.wording import month_title, week_title
from peerdesk.ui.store_control import StoreControl
from tests.conftest import TEST_SECRET
from tests.rota_world import make_world, one_off
from tests.ui.conftest import OpenWindow, sign_in

PHONE = "07700 900123"  # every volunteer's number in the rota world


@dataclass(frozen=True)
class Rota:
    """The data folder and what is in it: next week's shifts (Monday to Sunday)."""

    folder: DataFolder
    monday: date
    amaras: uuid.UUID  # Tue 10:00, Amara confirmed
    group: uuid.UUID  # Wed 18:00 group, one place, needs a facilitator, nobody on it
    late: uuid.UUID  # Thu 22:00 to Fri 02:00, at no venue
    open_shift: uuid.UUID  # Fri 10:00, nobody on it
    past: uuid.UUID  # yesterday, Bea confirmed
    amara: uuid.UUID
    bea: uuid.UUID


@pytest.fixture
def rota(coordinator: SignedIn) -> Rota:
    """The rota world's group, with accounts for the coordinator, Amara, Bea and a trustee."""
    store = coordinator.store
    world = make_world(store)
    for username, role in (("amara", UserRole.VOLUNTEER), ("bea", UserRole.VOLUNTEER)):
        ensure_account(store, username, username.title(), role, TEST_SECRET)
    ensure_account(store, "trust", "Trust", UserRole.TRUSTEE, TEST_SECRET)
    monday = monday_of(clock.today()) + timedelta(days=7)
    actor = coordinator.actor

    def add(day: date, start: time, **extra: object) -> uuid.UUID:
        with store.session(actor) as s:
            return create_shift(s, actor, one_off(world, day, start, **extra)).id

    amaras = add(monday + timedelta(days=1), time(10))
    group = add(
        monday + timedelta(days=2),
        time(18),
        activity_id=world.group_activity,
        min_volunteers=1,
        max_volunteers=1,  # so the one place must go to someone with the role
        required_role_ids=frozenset({world.facilitator}),
    )
    late = add(monday + timedelta(days=3), time(22), duration_minutes=240, venue_id=None)
    open_shift = add(monday + timedelta(days=4), time(10))
    past = add(clock.today() - timedelta(days=1), time(9))
    with store.session(actor) as s:
        assign(s, actor, amaras, world.amara)
        assign(s, actor, past, world.bea)
    store.close(backup=False)
    return Rota(store.folder, monday, amaras, group, late, open_shift, past, world.amara, world.bea)


def open_rota(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota, username: str
) -> tuple[MainWindow, StoreControl, RotaPage]:
    window, control = open_window(rota.folder)
    sign_in(qtbot, window, username)
    assert control.signed_in is not None
    window.show_area("rota")
    assert window.rota_page is not None
    return window, control, window.rota_page


def choose_view(qtbot: QtBot, page: RotaPage, label: str) -> None:
    """Click the view's tab, as a person would."""
    tabs = page.tabs
    index = next(n for n in range(tabs.count()) if tabs.tabText(n).replace("&", "") == label)
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(index).center())
    assert page.stack.currentIndex() == index


def week_of(qtbot: QtBot, page: RotaPage, day: date) -> None:
    """From today's week, click Next or Previous until the week holding `day` shows, and then
    the page of days holding it (a narrow window shows Mon–Thu and Fri–Sun in turn)."""
    choose_view(qtbot, page, "Week")
    qtbot.mouseClick(page.go_today, Qt.MouseButton.LeftButton)
    while page.week.week.monday != monday_of(day):
        later = page.week.week.monday < monday_of(day)
        qtbot.mouseClick(page.next if later else page.previous, Qt.MouseButton.LeftButton)
    while not page.week.first_day_shown() <= day <= page.week.last_day_shown():
        later = page.week.first_day_shown() < day
        qtbot.mouseClick(page.next if later else page.previous, Qt.MouseButton.LeftButton)
    assert page.week.week.monday == monday_of(day)


def week_cell(page: RotaPage, shift_id: uuid.UUID, day: date) -> QModelIndex:
    model = page.week.week
    column = (day - model.monday).days
    for row in range(model.rowCount()):
        index = model.index(row, column)
        shift = model.shift(index)
        if shift is not None and shift.id == shift_id:
            return index
    raise AssertionError(f"shift not in the week on {day}")


def open_in_week(
    qtbot: QtBot, page: RotaPage, shift_id: uuid.UUID, day: date, double: bool = False
) -> None:
    """Click the shift's card in the week view and press Enter (or double-click it: a real
    double-click is a press and release, then the double-click)."""
    week_of(qtbot, page, day)
    view = page.week
    rect = view.visualRect(week_cell(page, shift_id, day))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.keyClick(view, Qt.Key.Key_Return)


def places(control: StoreControl, shift_id: uuid.UUID) -> dict[uuid.UUID, AssignmentStatus]:
    """What the database holds for a shift: each volunteer's place."""
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        rows = s.execute(
            select(Assignment.volunteer_id, Assignment.status).where(
                Assignment.shift_id == shift_id
            )
        )
        return {r.volunteer_id: r.status for r in rows}


# The views -------------------------------------------------------------------------------------
def test_month_navigation_previous_next_and_today(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "coordinator")
    choose_view(qtbot, page, "Month")
    this_month = clock.today().replace(day=1)
    assert page.period.text() == month_title(this_month)
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    following = (this_month + timedelta(days=32)).replace(day=1)
    assert page.period.text() == month_title(following)
    assert page.month.month.first == following
    for _ in range(2):
        qtbot.mouseClick(page.previous, Qt.MouseButton.LeftButton)
    assert page.month.month.first == (this_month - timedelta(days=1)).replace(day=1)
    qtbot.mouseClick(page.go_today, Qt.MouseButton.LeftButton)
    assert page.month.month.first == this_month
    # Next week's Tuesday shift is in the grid (six weeks always reach a week ahead).
    tuesday = rota.monday + timedelta(days=1)
    page.month.select_day(tuesday)
    assert [s.id for s in page.month.month.shifts_on(tuesday)] == [rota.amaras]
    text = page.month.month.data(page.month.currentIndex())
    assert "1 shift" in text
    # The grid has no room for names: the day's tooltip reads them.
    tip = page.month.month.data(page.month.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert "10:00 1:1 drop-in – filled: Amara (Peer supporter)" in tip


def test_a_click_on_a_line_of_the_month_opens_that_shift(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    choose_view(qtbot, page, "Month")
    view: MonthView = page.month
    wednesday = rota.monday + timedelta(days=2)
    index = view.month.index_of(wednesday)
    rect = view.visualRect(index)
    line = view.cells.line_height(view.viewOptions())
    first_line = rect.top() + line + 4 + line // 2
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 30, first_line)
    )
    dialog = control.rota_desk.dialog
    assert dialog is not None and dialog.detail.id == rota.group


def test_a_shift_across_midnight_shows_on_both_days(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "coordinator")
    thursday, friday = rota.monday + timedelta(days=3), rota.monday + timedelta(days=4)
    week_of(qtbot, page, thursday)
    assert page.period.text() == week_title(rota.monday)
    on_thursday = page.week.week.shift(week_cell(page, rota.late, thursday))
    on_friday = page.week.week.shift(week_cell(page, rota.late, friday))
    assert on_thursday is on_friday is not None
    described = page.week.week.data(week_cell(page, rota.late, friday))
    assert "22:00–Fri 02:00" in described


def test_filters_by_venue_activity_and_volunteer(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "coordinator")
    week_of(qtbot, page, rota.monday)

    def shown() -> set[uuid.UUID]:
        model = page.week.week
        found = set()
        for row in range(model.rowCount()):
            for column in range(7):
                shift: CalendarShift | None = model.shift(model.index(row, column))
                if shift is not None:
                    found.add(shift.id)
        return found

    everything = {rota.amaras, rota.group, rota.late, rota.open_shift}
    assert shown() == everything
    page.venue.setCurrentIndex(page.venue.findText("Riverside Community Centre"))
    assert shown() == everything - {rota.late}
    page.activity.setCurrentIndex(page.activity.findText("Wellbeing group"))
    assert shown() == {rota.group}
    page.venue.setCurrentIndex(0)
    page.activity.setCurrentIndex(0)
    page.volunteer.setCurrentIndex(page.volunteer.findText("Amara E."))
    assert shown() == {rota.amaras}
    # The same filter applies to the list.
    choose_view(qtbot, page, "List")
    model = page.shift_list.model
    assert model is not None and model.rowCount() == 1
    assert "Amara (Peer supporter)" in model.data(model.index(0, 7))
    assert page.shift_list.count.text() == "1 upcoming shift"


def test_the_list_shows_who_is_on_each_shift_and_its_staffing(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "coordinator")
    choose_view(qtbot, page, "List")
    model = page.shift_list.model
    assert model is not None
    rows = {model.data(model.index(r, 2)): r for r in range(model.rowCount())}
    group = rows["Wellbeing group"]
    assert model.data(model.index(group, 5)) == "Unfilled"
    assert model.data(model.index(group, 7)) == "Nobody yet"
    assert page.shift_list.count.text() == "4 upcoming shifts"
    qtbot.mouseClick(page.shift_list.option, Qt.MouseButton.LeftButton)  # Show past shifts
    assert page.shift_list.count.text() == "5 shifts"


def test_a_volunteer_has_my_shifts_and_no_coordinator_tools(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "amara")
    assert page.new_shift.isHidden() and page.new_pattern.isHidden()
    assert page.tabs.isTabVisible(3)
    choose_view(qtbot, page, "My shifts")
    coming = page.mine.shifts.topLevelItem(0)
    assert coming is not None and coming.childCount() == 1
    assert coming.child(0).text(2) == "1:1 drop-in"
    assert coming.child(0).text(4) == "Confirmed"
    # Their own shift is marked in the week too.
    tuesday = rota.monday + timedelta(days=1)
    week_of(qtbot, page, tuesday)
    own = page.week.week.shift(week_cell(page, rota.amaras, tuesday))
    assert own is not None and own.mine is AssignmentStatus.CONFIRMED
    assert "You are on this shift" in page.week.week.data(week_cell(page, rota.amaras, tuesday))


def test_a_trustee_sees_staffing_but_no_names(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    _window, _control, page = open_rota(qtbot, open_window, rota, "trust")
    assert page.volunteer.isHidden() and not page.tabs.isTabVisible(3)
    tuesday = rota.monday + timedelta(days=1)
    week_of(qtbot, page, tuesday)
    text = page.week.week.data(week_cell(page, rota.amaras, tuesday))
    assert "Filled: 1 of 1–2" in text
    assert "Amara" not in text


def test_a_volunteer_never_sees_contact_details(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    window, control, page = open_rota(qtbot, open_window, rota, "bea")
    open_in_week(qtbot, page, rota.amaras, rota.monday + timedelta(days=1))
    dialog = control.rota_desk.dialog
    assert dialog.people.columnCount() == 3  # no Phone column
    shown = [dialog.people.topLevelItem(0).text(n) for n in range(3)]
    assert shown == ["Amara", "Peer supporter", "Confirmed"]
    texts = [w.text() for w in dialog.findChildren(type(dialog.summary))]
    assert all(PHONE not in t for t in texts)
    dialog.reject()
    window.close()
    window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    open_in_week(qtbot, page, rota.amaras, rota.monday + timedelta(days=1), double=True)
    dialog = control.rota_desk.dialog
    assert dialog.people.topLevelItem(0).text(3) == PHONE


def test_locking_forgets_the_rota(qtbot: QtBot, open_window: OpenWindow, rota: Rota) -> None:
    window, _control, page = open_rota(qtbot, open_window, rota, "coordinator")
    week_of(qtbot, page, rota.monday)
    assert page.week.week.rowCount() > 0
    window.lock_action.trigger()
    assert page.week.week.rowCount() == 0 and page.month.month.rowCount() == 0
    assert page.volunteer.count() == 0


def test_new_shift_appears_after_it_is_added(
    qtbot: QtBot, open_window: OpenWindow, rota: Rota
) -> None:
    """Adding a one-off through its form: the database has it and the week shows it."""
    _window, control, page = open_rota(qtbot, open_window, rota, "coordinator")
    saturday = rota.monday + timedelta(days=5)
    week_of(qtbot, page, saturday)
    qtbot.mouseClick(page.new_shift, Qt.MouseButton.LeftButton)
    form = control.rota_desk.dialog
    fields = form.fields
    fields.activity.setCurrentIndex(fields.activity.findText("Wellbeing group"))
    fields.day.setText(f"{saturday:%d/%m/%Y}")
    fields.start.setText("11:00")
    fields.end.setText("25:00")
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert "'25:00' is not a time" in form.problem.text()
    assert form.isVisible() and fields.start.text() == "11:00"  # nothing typed is lost
    fields.end.setText("13:30")
    qtbot.mouseClick(form.go, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    added = [s for s in page.week.week.shifts_on(saturday) if s.activity == "Wellbeing group"]
    assert [(s.starts.time(), s.ends.time()) for s in added] == [(time(11), time(13, 30))]
    assert control.signed_in is not None
    assert clock.now() < added[0].starts
