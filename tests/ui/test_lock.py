"""Lock / switch user, and locking by itself when nobody has touched the laptop: the next person
signs in on the same folder lock, and nothing of the last person's data stays in the window."""

import pytest
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from peerdesk.db.lock import read_holder
from peerdesk.db.paths import DataFolder
from peerdesk.db.store import Store
from peerdesk.models import AuditEvent
from peerdesk.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow, sign_in


def _models_with_rows(window: MainWindow) -> list[QAbstractItemModel]:
    """Every item model in the work area (the sign-in screen lists usernames by design)."""
    models = window.splitter.findChildren(QAbstractItemModel)
    views = [window.sidebar, *(p.table for p in window.lists.values())]
    if window.audit_page is not None:
        views += [window.audit_page.table, window.audit_page.who, window.audit_page.action]
    models += [v.model() for v in views if v.model() is not None]
    return [m for m in models if m.rowCount() > 0]


def _texts(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel))


def test_switch_user_keeps_the_folder_and_signs_in_the_next_person(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "vic")
    holder = read_holder(org_folder.lock_file)
    window.lock_action.trigger()
    assert window.screens.currentWidget() is window.sign_in_page
    assert control.signed_in is None
    qtbot.waitUntil(lambda: control.kept_lock is not None)
    assert read_holder(org_folder.lock_file) == holder  # never let go in between
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    assert control.signed_in.actor.username == "coordinator"
    assert control.kept_lock is None
    assert read_holder(org_folder.lock_file) == holder
    assert "audit" in window.area_keys()


def test_idle_laptop_locks_and_forgets_everything(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    # Long enough for the audit trail check after signing in to finish before the lock.
    window, control = open_window(org_folder, idle_ms=1_000)
    sign_in(qtbot, window, "coordinator")
    window.show_area("volunteers")
    page = window.lists["volunteers"]
    page.filter.setText("Someone")
    assert "Riverside Peer Support" in _texts(window)
    assert window.audit_page is not None
    qtbot.waitUntil(lambda: window.audit_page.model.rowCount() > 0)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.audit_page.chain.text() != "")  # type: ignore[union-attr]
    assert _models_with_rows(window)
    qtbot.waitUntil(lambda: control.signed_in is None, timeout=5_000)
    assert window.screens.currentWidget() is window.sign_in_page
    assert _models_with_rows(window) == []
    shown = _texts(window)
    for secret in ("Riverside Peer Support", "Test Coordinator", "events", "Signed in as"):
        assert secret not in shown
    assert all(n.text() == "–" for n in window.today.numbers.values())
    assert page.filter.text() == "" and window.audit_page.chain.text() == ""
    assert window.windowTitle() == "peerdesk"
    assert window.sidebar.count() == 0 and window.go_menu.isEmpty()
    qtbot.waitUntil(lambda: control.kept_lock is not None)


def test_typing_keeps_the_screen_unlocked(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder, idle_ms=400)
    page = window.lists["rota"]  # built first: building it takes a while on a busy machine
    sign_in(qtbot, window, "vic")
    window.show_area("rota")
    for _ in range(6):
        qtbot.wait(120)
        qtbot.keyClick(page.filter, "a")
    assert control.signed_in is not None


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_a_window_that_lost_the_folder_to_a_take_over_stops_and_says_so(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "vic")
    store = control.store
    assert store is not None
    other = Store.open(store.vault, take_over=True)  # another copy takes the folder over
    try:
        with other.read() as s:
            events = s.scalar(select(func.count()).select_from(AuditEvent))
        qtbot.waitUntil(lambda: control.signed_in is None, timeout=10_000)
        assert window.screens.currentWidget() is window.sign_in_page
        message = window.sign_in_page.message.text()  # type: ignore[union-attr]
        assert "took over this data folder" in message and "stopped writing" in message
        assert read_holder(org_folder.lock_file) is not None  # the new holder's lock stays
        with other.read() as s:  # not even a sign-out was written by the window that lost
            assert s.scalar(select(func.count()).select_from(AuditEvent)) == events
    finally:
        other.close(backup=False)
