"""Settings: changing your own password or PIN; backups and restore for coordinators."""

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.ui.account_dialogs import ChangeSecretDialog
from peerdesk.ui.store_control import SECRET_CHANGED
from tests.conftest import TEST_SECRET
from tests.ui.conftest import Answers, OpenWindow, SignInAs, sign_in

NEW = "a brand new passphrase"


def _change_dialog(window: object, control: object) -> ChangeSecretDialog:
    dialog = control.secret_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, ChangeSecretDialog) and dialog.isVisible()
    return dialog


def test_change_own_password_then_sign_in_with_it(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "sam")
    window.show_area("settings")
    assert window.settings_page is not None
    qtbot.mouseClick(window.settings_page.change_secret, Qt.MouseButton.LeftButton)
    dialog = _change_dialog(window, control)
    qtbot.keyClicks(dialog.current, "not my password")
    qtbot.keyClicks(dialog.secret, NEW)
    qtbot.keyClicks(dialog.again, NEW)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "not right" in dialog.problem.text() and dialog.secret.text() == NEW
    dialog.current.setText(TEST_SECRET)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: SECRET_CHANGED in answers.shown, timeout=10_000)
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: control.kept_lock is not None)
    sign_in(qtbot, window, "sam", TEST_SECRET)
    assert control.signed_in is None
    sign_in(qtbot, window, "sam", NEW)
    assert control.signed_in is not None and control.signed_in.actor.username == "sam"


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_back_up_now_writes_a_backup(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    window, _ = signed_in_as("coordinator")
    before = set(org_folder.backup_dir.glob("peerdesk-*-manual.sqlite3"))
    assert window.settings_page is not None
    qtbot.mouseClick(window.settings_page.back_up, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("backed up" in m for m in answers.shown), timeout=10_000)
    assert len(set(org_folder.backup_dir.glob("peerdesk-*-manual.sqlite3")) - before) == 1
    assert "none yet" not in window.last_backup.text()


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_restore_returns_to_sign_in_with_the_backup_in_place(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    assert control.store is not None
    backup = control.store.backup()
    with control.store.session(control.signed_in.actor) as s:  # type: ignore[union-attr]
        from peerdesk.models import Organisation
        from peerdesk.services.organisation import current_organisation

        s.query(Organisation).update({"name": "Renamed after the backup"})
        assert current_organisation(s) is not None
    control.backups.restore_backup(backup)
    page = window.sign_in_page
    assert page is not None
    qtbot.waitUntil(lambda: "backup was restored" in page.message.text(), timeout=10_000)
    assert page.username.currentText() == "coordinator"
    sign_in(qtbot, window, "coordinator")
    assert "Riverside Peer Support" in window.windowTitle()


def test_everyone_can_change_their_password_but_only_coordinators_back_up(
    signed_in_as: SignInAs,
) -> None:
    window, _ = signed_in_as("tess")
    assert window.change_secret_action.isEnabled()
    assert not window.backup_action.isEnabled()
