"""Availability through the real window: a volunteer keeps their own usual times and dates away
from "My shifts", a coordinator keeps someone's from their record, and a refused save changes
nothing and keeps every row as typed. Checked in the database."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from shiboken6 import isValid
from sqlalchemy import select

from peerdesk import clock
from peerdesk.dates import show_date
from peerdesk.db.paths import DataFolder
from peerdesk.models import Absence, UserRole, UsualAvailability
from peerdesk.services.auth import SignedIn
from peerdesk.services.rota import (
    Reason,
    UsualSlot,
    check_eligibility,
    create_shift,
    set_usual_availability,
)
from peerdesk.services.setup import ensure_account
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.rota.availability_dialog import AvailabilityDialog, AwayRow, UsualRow
from peerdesk.ui.store_control import StoreControl
from tests.conftest import TEST_SECRET
from tests.rota_world import make_world, one_off
from tests.ui.conftest import OpenWindow, sign_in

SOON = clock.today() + timedelta(days=20)


@dataclass(frozen=True)
class Group:
    folder: DataFolder
    amara: uuid.UUID
    bea: uuid.UUID
    bea_away: uuid.UUID  # Bea's recorded time away, from SOON for a week
    shift: uuid.UUID  # a shift on SOON, 10:00 to 12:00


@pytest.fixture
def group(coordinator: SignedIn) -> Group:
    store = coordinator.store
    world = make_world(store)
    ensure_account(store, "amara", "Amara", UserRole.VOLUNTEER, TEST_SECRET)
    with store.session(coordinator.actor) as s:
        away = Absence(
            volunteer_id=world.bea, starts_on=SOON, ends_on=SOON + timedelta(days=6), reason="Trip"
        )
        s.add(away)
        s.flush()
        away_id = away.id
        shift = create_shift(s, coordinator.actor, one_off(world, SOON, time(10))).id
    store.close(backup=False)
    return Group(store.folder, world.amara, world.bea, away_id, shift)


def signed(qtbot: QtBot, open_window: OpenWindow, group: Group, username: str) -> StoreControl:
    window, control = open_window(group.folder)
    sign_in(qtbot, window, username)
    assert control.signed_in is not None
    return control


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def button(dialog: AvailabilityDialog, text: str) -> QPushButton:
    found = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == text]
    assert len(found) == 1, text
    return found[0]


def add_usual(qtbot: QtBot, dialog: AvailabilityDialog, day: int, starts: str, ends: str) -> None:
    click(qtbot, button(dialog, "Add a usual time"))
    row: UsualRow = dialog.usual_rows[-1]
    row.day.setCurrentIndex(day)
    qtbot.keyClicks(row.starts, starts)
    qtbot.keyClicks(row.ends, ends)


def add_away(
    qtbot: QtBot, dialog: AvailabilityDialog, first: date, last: date | None, reason: str = ""
) -> AwayRow:
    click(qtbot, button(dialog, "Add time away"))
    row: AwayRow = dialog.away_rows[-1]
    qtbot.keyClicks(row.starts_on, show_date(first))
    if last is not None:
        qtbot.keyClicks(row.ends_on, show_date(last))
    qtbot.keyClicks(row.reason, reason)
    return row


def usual_of(control: StoreControl, who: uuid.UUID) -> list[tuple[int, time, time]]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        rows = s.scalars(
            select(UsualAvailability)
            .where(UsualAvailability.volunteer_id == who)
            .order_by(UsualAvailability.weekday)
        )
        return [(u.weekday, u.starts_at, u.ends_at) for u in rows]


def away_of(control: StoreControl, who: uuid.UUID) -> list[tuple[date, date, str | None]]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        rows = s.scalars(
            select(Absence).where(Absence.volunteer_id == who).order_by(Absence.starts_on)
        )
        return [(a.starts_on, a.ends_on, a.reason) for a in rows]


def my_availability(qtbot: QtBot, control: StoreControl) -> AvailabilityDialog:
    window = control.window
    assert isinstance(window, MainWindow)
    window.show_area("rota")
    page = window.rota_page
    assert page is not None
    page.show_view("mine")
    click(qtbot, page.mine.availability_button)
    dialog = control.rota_desk.dialog
    assert isinstance(dialog, AvailabilityDialog) and dialog.isVisible()
    return dialog


def test_a_volunteer_sets_their_usual_times_and_a_date_away(
    qtbot: QtBot, open_window: OpenWindow, group: Group
) -> None:
    control = signed(qtbot, open_window, group, "amara")
    dialog = my_availability(qtbot, control)
    assert dialog.windowTitle() == "Your availability"
    assert dialog.no_usual.isVisible() and dialog.no_away.isVisible()
    assert not dialog.usual_heads.isVisible()  # no column names over nothing
    add_usual(qtbot, dialog, 1, "9.30", "13")  # Tuesday
    add_usual(qtbot, dialog, 3, "18:00", "21:00")  # Thursday
    assert dialog.usual_heads.isVisible() and not dialog.no_usual.isVisible()
    add_usual(qtbot, dialog, 5, "10", "12")  # Saturday, then thought better of
    # Tab goes down the rows as shown, a new row and all, then to the button under them.
    chain = [w for row in dialog.usual_rows for w in row.focus_order()] + [dialog.add_usual]
    assert [w.nextInFocusChain() for w in chain[:-1]] == chain[1:]
    click(qtbot, button(dialog.usual_rows[-1], "Remove"))
    add_away(qtbot, dialog, SOON, None, "Dentist")  # "to" left empty: one day
    click(qtbot, dialog.go)
    assert not dialog.isVisible(), dialog.problem.text()
    assert usual_of(control, group.amara) == [(1, time(9, 30), time(13)), (3, time(18), time(21))]
    assert away_of(control, group.amara) == [(SOON, SOON, "Dentist")]
    window = control.window
    assert isinstance(window, MainWindow)
    assert window.statusBar().currentMessage() == "Availability saved."
    signed_in = control.signed_in
    assert signed_in is not None
    with signed_in.store.read() as s:  # the rota's checks go by it at once
        concerns = check_eligibility(s, signed_in.actor, group.shift, group.amara).concerns
    assert [c.reason for c in concerns] == [Reason.AWAY]
    # Opened again, it shows what was saved; saving unchanged writes nothing new.
    again = my_availability(qtbot, control)
    assert [row.slot() for row in again.usual_rows] == [
        UsualSlot(1, time(9, 30), time(13)),
        UsualSlot(3, time(18), time(21)),
    ]
    assert [row.reason.text() for row in again.away_rows] == ["Dentist"]
    click(qtbot, again.go)
    assert not again.isVisible()
    assert away_of(control, group.amara) == [(SOON, SOON, "Dentist")]


def test_a_coordinator_keeps_someones_availability_from_their_record(
    qtbot: QtBot, open_window: OpenWindow, group: Group
) -> None:
    control = signed(qtbot, open_window, group, "coordinator")
    window = control.window
    assert isinstance(window, MainWindow)
    window.show_area("volunteers")
    control.volunteer_desk.open_record(group.bea)
    editor = control.volunteer_desk.editor
    assert editor is not None
    click(qtbot, editor.availability_button)
    dialog = editor.action_dialog
    assert isinstance(dialog, AvailabilityDialog)
    assert "Bea" in dialog.windowTitle()
    [trip] = dialog.away_rows
    assert trip.reason.text() == "Trip"
    # The trip moves a day later (a change is a removal and a new record, in one save).
    trip.starts_on.setText(show_date(SOON + timedelta(days=1)))
    add_usual(qtbot, dialog, 0, "10:00", "16:00")
    later = SOON + timedelta(days=30)
    add_away(qtbot, dialog, later, later + timedelta(days=2))
    click(qtbot, dialog.go)
    assert not dialog.isVisible(), dialog.problem.text()
    assert usual_of(control, group.bea) == [(0, time(10), time(16))]
    assert away_of(control, group.bea) == [
        (SOON + timedelta(days=1), SOON + timedelta(days=6), "Trip"),
        (later, later + timedelta(days=2), None),
    ]
    assert editor.note.text() == "Availability saved."
    # Removing a row removes that time away.
    click(qtbot, editor.availability_button)
    dialog = editor.action_dialog
    assert isinstance(dialog, AvailabilityDialog)
    click(qtbot, button(dialog.away_rows[0], "Remove"))
    click(qtbot, dialog.go)
    assert away_of(control, group.bea) == [(later, later + timedelta(days=2), None)]


def all_past(qtbot: QtBot, dialog: AvailabilityDialog) -> None:
    add_away(qtbot, dialog, clock.today() - timedelta(days=60), clock.today() - timedelta(days=50))


def two_overlapping(qtbot: QtBot, dialog: AvailabilityDialog) -> None:
    add_away(qtbot, dialog, SOON + timedelta(days=40), SOON + timedelta(days=45))
    add_away(qtbot, dialog, SOON + timedelta(days=44), SOON + timedelta(days=50))


Fill = Callable[[QtBot, AvailabilityDialog], object]


@pytest.mark.parametrize(
    ("fill", "sentence"),
    [
        (lambda q, d: add_away(q, d, SOON, SOON - timedelta(days=2)), "ends before it starts"),
        (all_past, "all in the past"),
        (lambda q, d: add_away(q, d, SOON + timedelta(days=3), SOON + timedelta(days=9)),
         "overlaps"),
        (two_overlapping, "overlaps"),
        (lambda q, d: add_usual(q, d, 2, "14:00", "11:00"), "ends before it starts"),
        (lambda q, d: add_usual(q, d, 2, "half two", "16:00"), "not a time"),
    ],
)  # fmt: skip
def test_a_refused_save_changes_nothing_and_keeps_what_was_typed(
    qtbot: QtBot, open_window: OpenWindow, group: Group, fill: Fill, sentence: str
) -> None:
    control = signed(qtbot, open_window, group, "coordinator")
    window = control.window
    assert isinstance(window, MainWindow)
    window.show_area("volunteers")
    control.volunteer_desk.open_record(group.bea)
    editor = control.volunteer_desk.editor
    assert editor is not None
    click(qtbot, editor.availability_button)
    dialog = editor.action_dialog
    assert isinstance(dialog, AvailabilityDialog)
    add_usual(qtbot, dialog, 4, "09:00", "12:00")  # good on its own: must not be half-saved
    fill(qtbot, dialog)
    typed = [(r.starts_on.text(), r.ends_on.text(), r.reason.text()) for r in dialog.away_rows]
    times = [(r.day.currentIndex(), r.starts.text(), r.ends.text()) for r in dialog.usual_rows]
    click(qtbot, dialog.go)
    assert dialog.isVisible()
    assert sentence in dialog.problem.text() and dialog.problem.isVisible()
    assert dialog.go.isEnabled()
    assert [(r.starts_on.text(), r.ends_on.text(), r.reason.text()) for r in dialog.away_rows] == (
        typed
    )
    assert [(r.day.currentIndex(), r.starts.text(), r.ends.text()) for r in dialog.usual_rows] == (
        times
    )
    assert usual_of(control, group.bea) == []
    assert away_of(control, group.bea) == [(SOON, SOON + timedelta(days=6), "Trip")]


def test_locking_the_screen_closes_the_dialog_and_saves_nothing(
    qtbot: QtBot, open_window: OpenWindow, group: Group
) -> None:
    control = signed(qtbot, open_window, group, "amara")
    dialog = my_availability(qtbot, control)
    add_usual(qtbot, dialog, 2, "10:00", "12:00")
    window = control.window
    assert isinstance(window, MainWindow)
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: control.kept_lock is not None)
    qtbot.waitUntil(lambda: not isValid(dialog))  # gone, with what was typed in it
    sign_in(qtbot, window, "coordinator")
    assert usual_of(control, group.amara) == []


def test_usual_times_changed_meanwhile_are_not_overwritten(
    qtbot: QtBot, open_window: OpenWindow, group: Group
) -> None:
    control = signed(qtbot, open_window, group, "amara")
    dialog = my_availability(qtbot, control)
    signed_in = control.signed_in
    assert signed_in is not None
    with signed_in.store.session(signed_in.actor) as s:  # as if on another tab of the record
        theirs = [UsualSlot(0, time(10), time(12))]
        set_usual_availability(s, signed_in.actor, group.amara, theirs)
    add_usual(qtbot, dialog, 2, "14:00", "17:00")
    click(qtbot, dialog.go)
    assert "Someone else changed these usual times" in dialog.problem.text()
    assert [row.starts.text() for row in dialog.usual_rows] == ["14:00"]
    assert usual_of(control, group.amara) == [(0, time(10), time(12))]
    # Usual times left as they were, time away still saves, and theirs stay.
    click(qtbot, button(dialog.usual_rows[0], "Remove"))
    add_away(qtbot, dialog, SOON, None)
    click(qtbot, dialog.go)
    assert not dialog.isVisible(), dialog.problem.text()
    assert usual_of(control, group.amara) == [(0, time(10), time(12))]
    assert away_of(control, group.amara) == [(SOON, SOON, None)]
