"""Venues and activities, driven through the real window and checked in the database: a new
group with none is told to add an activity first, adds one and a venue and makes a shift with
them; a refused save keeps what was typed; renaming, retiring and bringing back; the rota's
filter boxes and forms follow at once; only coordinators are offered any of it."""

from datetime import time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.paths import DataFolder
from peerdesk.models import Activity, ActivityKind, Shift, Venue
from peerdesk.services.rota import ShiftInput, change_activity, create_shift, set_venue_active
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.rota.places_dialog import ActivityForm, PlaceList, PlacesDialog, VenueForm
from peerdesk.ui.rota.rota_page import RotaPage
from peerdesk.ui.rota.shift_dialog import ShiftDialog
from peerdesk.ui.rota.shift_forms import NewPatternDialog, NewShiftDialog
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import SignInAs, sign_in

K = ActivityKind


def open_rota(window: MainWindow) -> RotaPage:
    window.show_area("rota")
    assert window.rota_page is not None
    return window.rota_page


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()} is not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def places_dialog(qtbot: QtBot, control: StoreControl, page: RotaPage) -> PlacesDialog:
    click(qtbot, page.places)
    dialog = control.rota_desk.dialog
    assert isinstance(dialog, PlacesDialog) and dialog.isVisible()
    return dialog


def texts(view: PlaceList) -> list[list[str]]:
    rows = []
    for n in range(view.view.topLevelItemCount()):
        item = view.view.topLevelItem(n)
        assert item is not None
        rows.append([item.text(c) for c in range(3)])
    return rows


def choose_row(view: PlaceList, name: str) -> None:
    for n in range(view.view.topLevelItemCount()):
        item = view.view.topLevelItem(n)
        if item is not None and item.text(0) == name:
            view.view.setCurrentItem(item)
            return
    raise AssertionError(f"{name} is not in the list")


def box_texts(box: object) -> list[str]:
    return [box.itemText(n) for n in range(box.count())]  # type: ignore[attr-defined]


def activities(control: StoreControl) -> list[tuple[str, K, bool]]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        rows = s.execute(select(Activity.name, Activity.kind, Activity.active))
        return sorted((r.name, r.kind, r.active) for r in rows)


def venues(control: StoreControl) -> list[tuple[str, str | None, bool]]:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        rows = s.execute(select(Venue.name, Venue.address, Venue.active))
        return sorted((r.name, r.address, r.active) for r in rows)


def add_activity(
    qtbot: QtBot, dialog: PlacesDialog, name: str, kind: str = "Group"
) -> ActivityForm:
    click(qtbot, dialog.activities.add)
    form = dialog.form
    assert isinstance(form, ActivityForm) and form.isVisible()
    form.name.clear()
    qtbot.keyClicks(form.name, name)
    form.kind.setCurrentIndex(form.kind.findText(kind))
    click(qtbot, form.go)
    return form


def test_a_new_group_is_told_to_add_an_activity_then_makes_its_first_shift(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    page = open_rota(window)
    assert activities(control) == [] and venues(control) == []
    # "New shift…" with no activity: said plainly, no save offered, and the way there.
    click(qtbot, page.new_shift)
    form = control.rota_desk.dialog
    assert isinstance(form, NewShiftDialog) and form.isVisible()
    assert "There is no activity to choose yet" in form.problem.text()
    assert not form.go.isEnabled()
    click(qtbot, form.to_places)
    qtbot.waitUntil(lambda: not form.isVisible())
    dialog = control.rota_desk.dialog
    assert isinstance(dialog, PlacesDialog) and dialog.isVisible()

    added = add_activity(qtbot, dialog, "  Tuesday   drop-in ", "1:1")
    assert not added.isVisible()
    assert activities(control) == [("Tuesday drop-in", K.ONE_TO_ONE, True)]
    assert texts(dialog.activities) == [["Tuesday drop-in", "1:1", "In use"]]
    assert "“Tuesday drop-in” can now be chosen" in dialog.outcome.text()
    # The rota's filter box offers it at once, without signing in again.
    assert box_texts(page.activity) == ["All activities", "Tuesday drop-in"]

    click(qtbot, dialog.venues.add)
    venue_form = dialog.form
    assert isinstance(venue_form, VenueForm)
    qtbot.keyClicks(venue_form.name, "The Hub")
    venue_form.address.setPlainText("1 High Street\nRiverside RV1 2AB")
    click(qtbot, venue_form.go)
    assert venues(control) == [("The Hub", "1 High Street\nRiverside RV1 2AB", True)]
    assert texts(dialog.venues) == [["The Hub", "1 High Street, Riverside RV1 2AB", "In use"]]
    assert box_texts(page.venue) == ["All venues", "The Hub"]
    dialog.reject()

    # Now the shift can be made, with what was just added.
    click(qtbot, page.new_shift)
    form = control.rota_desk.dialog
    assert isinstance(form, NewShiftDialog)
    assert form.problem.isHidden() and form.go.isEnabled()
    fields = form.fields
    fields.activity.setCurrentIndex(fields.activity.findText("Tuesday drop-in"))
    fields.venue.setCurrentIndex(fields.venue.findText("The Hub"))
    qtbot.keyClicks(fields.start, "10:00")
    qtbot.keyClicks(fields.end, "12:00")
    click(qtbot, form.go)
    qtbot.waitUntil(lambda: not form.isVisible())
    with control.signed_in.store.read() as s:  # type: ignore[union-attr]
        shift = s.scalars(select(Shift)).one()
        assert s.get(Activity, shift.activity_id).name == "Tuesday drop-in"  # type: ignore[union-attr]
        assert s.get(Venue, shift.venue_id).name == "The Hub"  # type: ignore[union-attr, arg-type]
    # Whoever opens the shift sees where to go.
    opened = ShiftDialog(control.signed_in, shift.id, window)  # type: ignore[arg-type]
    assert "The Hub (1 High Street, Riverside RV1 2AB)" in opened.summary.text()
    opened.deleteLater()


def test_the_pattern_form_also_says_to_add_an_activity_first(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    page = open_rota(window)
    click(qtbot, page.new_pattern)
    form = control.rota_desk.dialog
    assert isinstance(form, NewPatternDialog)
    assert "There is no activity to choose yet" in form.problem.text()
    qtbot.keyClicks(form.title, "Tuesday drop-in")
    qtbot.keyClick(form.title, Qt.Key.Key_Return)  # Enter saves nothing either
    assert not form.go.isEnabled() and form.isVisible()


def test_a_refused_save_keeps_what_was_typed_and_says_why(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = places_dialog(qtbot, control, open_rota(window))
    add_activity(qtbot, dialog, "Walk and talk", "Walk and talk")
    form = add_activity(qtbot, dialog, "  WALK AND TALK", "Group")
    assert form.isVisible()
    assert form.problem.text() == (
        "There is already an activity called “Walk and talk”; choose another name."
    )
    assert form.name.text() == "  WALK AND TALK" and form.kind.currentText() == "Group"
    assert activities(control) == [("Walk and talk", K.WALK_AND_TALK, True)]
    # Fixed and saved from the same form.
    form.name.setText("Walk and talk (Saturdays)")
    click(qtbot, form.go)
    assert not form.isVisible()
    assert activities(control) == [
        ("Walk and talk", K.WALK_AND_TALK, True),
        ("Walk and talk (Saturdays)", K.GROUP, True),
    ]
    empty = add_activity(qtbot, dialog, "   ")
    assert empty.problem.text() == "Type a name for the activity."
    click(qtbot, dialog.venues.add)
    venue_form = dialog.form
    assert isinstance(venue_form, VenueForm)
    qtbot.keyClicks(venue_form.name, "v" * 201)
    venue_form.address.setPlainText("Somewhere")
    click(qtbot, venue_form.go)
    assert "keep it to 200 or fewer" in venue_form.problem.text()
    assert venue_form.name.text() == "v" * 201
    assert venue_form.address.toPlainText() == "Somewhere"
    assert venues(control) == []


def test_renaming_retiring_and_bringing_back(qtbot: QtBot, signed_in_as: SignInAs) -> None:
    window, control = signed_in_as("coordinator")
    page = open_rota(window)
    dialog = places_dialog(qtbot, control, page)
    add_activity(qtbot, dialog, "Drop-in", "1:1")
    add_activity(qtbot, dialog, "Art group", "Group")
    choose_row(dialog.activities, "Drop-in")
    click(qtbot, dialog.activities.change)
    form = dialog.form
    assert isinstance(form, ActivityForm) and form.name.text() == "Drop-in"
    assert form.kind.currentText() == "1:1"
    form.name.setText("Drop-in café")
    form.kind.setCurrentIndex(form.kind.findText("Phone or online"))
    click(qtbot, form.go)
    assert activities(control) == [
        ("Art group", K.GROUP, True),
        ("Drop-in café", K.PHONE_ONLINE, True),
    ]
    page.activity.setCurrentIndex(page.activity.findText("Drop-in café"))
    # Retire it: the list says so, the button offers to bring it back, and nothing is deleted.
    assert dialog.activities.toggle.text() == "Retire"
    click(qtbot, dialog.activities.toggle)
    assert activities(control) == [
        ("Art group", K.GROUP, True),
        ("Drop-in café", K.PHONE_ONLINE, False),
    ]
    assert texts(dialog.activities)[-1] == ["Drop-in café", "Phone or online", "Retired"]
    assert dialog.activities.toggle.text() == "Bring back"
    assert "is retired" in dialog.outcome.text()
    # The filter keeps it (past shifts) and what was chosen; a new shift no longer offers it.
    assert page.activity.currentText() == "Drop-in café (retired)"
    shift_form = NewShiftDialog(control.signed_in, page.day, window)  # type: ignore[arg-type]
    assert box_texts(shift_form.fields.activity) == ["Choose…", "Art group"]
    shift_form.deleteLater()
    click(qtbot, dialog.activities.toggle)
    assert ("Drop-in café", K.PHONE_ONLINE, True) in activities(control)
    assert dialog.activities.toggle.text() == "Retire"
    assert page.activity.currentText() == "Drop-in café"


def test_a_venue_changed_by_someone_else_meanwhile_is_said_plainly(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = places_dialog(qtbot, control, open_rota(window))
    click(qtbot, dialog.venues.add)
    form = dialog.form
    assert isinstance(form, VenueForm)
    qtbot.keyClicks(form.name, "The Hub")
    click(qtbot, form.go)
    choose_row(dialog.venues, "The Hub")
    # Another coordinator retires it while this list still shows it in use.
    assert control.signed_in is not None
    hub = dialog.venues.chosen()
    assert hub is not None
    actor = control.signed_in.actor
    with control.signed_in.store.session(actor) as s:
        set_venue_active(s, actor, hub, False)
    click(qtbot, dialog.venues.toggle)  # "Retire", as the stale list says
    assert dialog.problem.text() == "“The Hub” is already retired."
    assert venues(control) == [("The Hub", None, False)]
    assert texts(dialog.venues) == [["The Hub", "", "Retired"]]  # read again
    assert dialog.venues.toggle.text() == "Bring back"


@pytest.mark.parametrize("username", ["sam", "vic", "tess"])
def test_only_coordinators_are_offered_venues_and_activities(
    qtbot: QtBot, open_window: object, org_folder: DataFolder, username: str
) -> None:
    window, _control = open_window(org_folder)  # type: ignore[operator]
    sign_in(qtbot, window, username)
    page = open_rota(window)
    assert page.places.isHidden()
    assert page.new_shift.isHidden()


def test_retiring_says_what_still_uses_it(qtbot: QtBot, signed_in_as: SignInAs) -> None:
    window, control = signed_in_as("coordinator")
    page = open_rota(window)
    dialog = places_dialog(qtbot, control, page)
    add_activity(qtbot, dialog, "Drop-in", "1:1")
    assert control.signed_in is not None
    actor = control.signed_in.actor
    (drop_in,) = dialog._activity_rows
    with control.signed_in.store.session(actor) as s:
        for days in (1, 8):
            day = clock.today() + timedelta(days=days)
            create_shift(s, actor, ShiftInput(drop_in, day, time(10), 120))
    choose_row(dialog.activities, "Drop-in")
    click(qtbot, dialog.activities.toggle)
    assert dialog.outcome.text() == (
        "“Drop-in” is retired: new shifts and patterns no longer offer it. "
        "It is still on 2 shifts to come, which stay as they are."
    )
    # Brought back: nothing more to say.
    click(qtbot, dialog.activities.toggle)
    assert dialog.outcome.text() == "“Drop-in” is back: new shifts and patterns can use it again."


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = places_dialog(qtbot, control, open_rota(window))
    add_activity(qtbot, dialog, "Drop-in", "1:1")
    choose_row(dialog.activities, "Drop-in")
    click(qtbot, dialog.activities.change)
    form = dialog.form
    assert isinstance(form, ActivityForm)
    assert control.signed_in is not None
    actor = control.signed_in.actor
    (drop_in,) = dialog._activity_rows
    with control.signed_in.store.session(actor) as s:  # another coordinator, meanwhile
        change_activity(s, actor, drop_in, "Drop-in café", K.ONE_TO_ONE)
    form.name.setText("Drop-in (Tuesdays)")
    click(qtbot, form.go)
    assert form.isVisible() and form.name.text() == "Drop-in (Tuesdays)"
    assert "Someone else changed “Drop-in” after you opened it" in form.problem.text()
    assert activities(control) == [("Drop-in café", K.ONE_TO_ONE, True)]
    assert texts(dialog.activities) == [["Drop-in café", "1:1", "In use"]]  # theirs, shown


def test_an_activity_names_the_funder_or_project_it_is_for(
    qtbot: QtBot, signed_in_as: SignInAs
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = places_dialog(qtbot, control, open_rota(window))
    click(qtbot, dialog.activities.add)
    form = dialog.form
    assert isinstance(form, ActivityForm)
    qtbot.keyClicks(form.name, "Walk and talk")
    qtbot.keyClicks(form.funded_by, "  Lottery   Awards for All ")
    click(qtbot, form.go)
    choose_row(dialog.activities, "Walk and talk")
    click(qtbot, dialog.activities.change)
    form = dialog.form
    assert isinstance(form, ActivityForm)
    assert form.funded_by.text() == "Lottery Awards for All"
    form.funded_by.clear()  # no longer split out in the board report
    click(qtbot, form.go)
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        assert s.scalars(select(Activity.funded_by)).all() == [None]
