"""A new coordinator's first steps by keyboard alone (keys only, no mouse events): sign in, add
an activity and a venue, add a role, checking the database after each step. Every control is
reached with Tab (or its Alt-letter), and fails the test if Tab cannot reach it or it lies
outside its window. Run at 1366×768 here and at 200 % by test_any_screen's second run."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db.paths import DataFolder
from peerdesk.models import Activity, Role, Venue
from peerdesk.ui.main_window import MainWindow
from tests.conftest import TEST_SECRET
from tests.ui.conftest import OpenWindow
from tests.ui.keyboard_checks import cut_off
from tests.ui.test_any_screen import WINDOW

MOST_TABS = 60  # more presses than any window has controls: beyond it, Tab cannot get there


def focused() -> QWidget | None:
    """Where a key goes: the focused control, or the active window when none has the focus
    (as after signing in), which is where Qt sends a key then too."""
    return QApplication.focusWidget() or QApplication.activeWindow()


def tab_to(qtbot: QtBot, target: QWidget) -> None:
    """Press Tab until `target` has the focus; fails if it never does or it is cut off."""
    for _ in range(MOST_TABS):
        if target.hasFocus():
            break
        here = focused()
        assert here is not None, "nothing has the keyboard focus"
        qtbot.keyClick(here, Qt.Key.Key_Tab)
    assert target.hasFocus(), f"Tab never reaches {target.accessibleName() or target}"
    assert not cut_off(target.window()), cut_off(target.window())


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    here = focused()
    assert here is not None, "nothing has the keyboard focus"
    qtbot.keyClick(here, key, modifier)


def type_in(qtbot: QtBot, text: str) -> None:
    here = focused()
    assert here is not None, "nothing has the keyboard focus"
    qtbot.keyClicks(here, text)


def new_dialog(qtbot: QtBot, kind: type[QDialog]) -> QDialog:
    """The dialog of `kind` that has just opened, once it has the keyboard."""
    found: list[QDialog] = []

    def opened() -> bool:
        here = focused()
        window = here.window() if here is not None else None
        if isinstance(window, kind) and window.isVisible():
            found.append(window)
            return True
        return False

    qtbot.waitUntil(opened, timeout=5_000)
    dialog = found[-1]
    assert not cut_off(dialog), cut_off(dialog)
    return dialog


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """A window system gives the keyboard back to the window under a dialog that closes;
    the headless test platform does not, so the test does."""
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and focused() is not None, timeout=5_000)


def sign_in_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    page = window.sign_in_page
    assert page is not None
    qtbot.waitUntil(lambda: page.username.hasFocus() or page.secret.hasFocus(), timeout=5_000)
    if page.username.hasFocus():
        type_in(qtbot, "coordinator")
        press(qtbot, Qt.Key.Key_Tab)
    assert page.secret.hasFocus()
    type_in(qtbot, TEST_SECRET)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.splitter, timeout=10_000)


def go_to(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """Ctrl+1, Ctrl+2 … : the Go menu's shortcut for the area."""
    number = window.area_keys().index(key) + 1
    press(qtbot, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages[key]


def test_a_new_coordinator_sets_up_by_keyboard(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    window.resize(WINDOW)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    sign_in_by_keyboard(qtbot, window)
    signed = control.signed_in
    assert signed is not None
    window.activateWindow()  # a progress box while signing in may have held the activation
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    assert not cut_off(window), cut_off(window)

    # An activity and a venue: Rota, then "Venues and activities…" (Alt+V).
    from peerdesk.ui.rota.places_dialog import ActivityForm, PlacesDialog, VenueForm

    go_to(qtbot, window, "rota")
    press(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    places = new_dialog(qtbot, PlacesDialog)
    assert isinstance(places, PlacesDialog)
    tab_to(qtbot, places.activities.add)
    press(qtbot, Qt.Key.Key_Space)
    form = new_dialog(qtbot, ActivityForm)
    type_in(qtbot, "Tuesday drop-in")  # the form opens on its name
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5_000)
    with signed.store.read() as s:
        assert s.scalars(select(Activity.name)).all() == ["Tuesday drop-in"]
    back_to(qtbot, places)
    tab_to(qtbot, places.venues.add)
    press(qtbot, Qt.Key.Key_Space)
    form = new_dialog(qtbot, VenueForm)
    type_in(qtbot, "Riverside Library")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5_000)
    with signed.store.read() as s:
        assert s.scalars(select(Venue.name)).all() == ["Riverside Library"]
    back_to(qtbot, places)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not places.isVisible(), timeout=5_000)

    # A role: Training, its Courses tab (Alt+O), then "Roles…" (Alt+R) and "Add role…" (Alt+A).
    from peerdesk.ui.roles_dialog import RoleForm, RolesDialog

    back_to(qtbot, window)
    go_to(qtbot, window, "training")
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    roles = new_dialog(qtbot, RolesDialog)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    form = new_dialog(qtbot, RoleForm)
    type_in(qtbot, "Peer supporter")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5_000)
    with signed.store.read() as s:
        assert "Peer supporter" in s.scalars(select(Role.name)).all()
    back_to(qtbot, roles)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not roles.isVisible(), timeout=5_000)
