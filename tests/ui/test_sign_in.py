"""The sign-in screen: signing in, a wrong password, another copy holding the data, and the
recovery key."""

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.services import auth, setup
from peerdesk.ui.account_dialogs import RecoverDialog
from peerdesk.ui.sign_in_flow import TAKE_OVER
from tests.conftest import TEST_SECRET
from tests.ui.conftest import Answers, OpenWindow, sign_in


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_names_come_from_the_keys_file(open_window: OpenWindow, org_folder: DataFolder) -> None:
    window, _ = open_window(org_folder)
    page = window.sign_in_page
    assert page is not None and window.screens.currentWidget() is page
    names = [page.username.itemText(n) for n in range(page.username.count())]
    assert names == ["coordinator", "sam", "tess", "vic"]
    assert page.username.currentText() == ""  # the screen does not say who was here last


def test_sign_in_opens_the_window_for_that_person(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is not None
    assert control.signed_in.actor.username == "coordinator"
    assert window.screens.currentWidget() is window.splitter
    assert "Test Coordinator (coordinator)" in window.signed_in_as.text()
    assert "Riverside Peer Support" in window.windowTitle()
    assert window.sign_in_page is not None and window.sign_in_page.secret.text() == ""


def test_wrong_password_says_so_and_keeps_the_name(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "sam", "not the password at all")
    page = window.sign_in_page
    assert page is not None
    assert "That password or PIN is not right" in page.message.text()
    assert page.message.isVisible()
    assert page.username.currentText() == "sam"
    assert page.secret.text() == ""
    assert control.signed_in is None
    assert not org_folder.lock_file.exists()  # nothing is open
    assert window.screens.currentWidget() is page


def test_the_sign_in_button_works_too(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(org_folder)
    page = window.sign_in_page
    assert page is not None
    page.username.setEditText("tess")
    page.secret.setText(TEST_SECRET)
    qtbot.mouseClick(page.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.signed_in is not None, timeout=10_000)


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_lock_held_elsewhere_can_be_taken_over(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    org_folder.lock_file.write_text(
        '{"user": "someone", "host": "another-laptop", "pid": 1, "since": "2026-01-01T10:00"}'
    )
    answers.choice = TAKE_OVER
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "coordinator")
    qtbot.waitUntil(lambda: control.signed_in is not None, timeout=10_000)
    assert any("in use by someone on another-laptop" in m for m in answers.shown)


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_lock_held_elsewhere_left_alone_says_so(
    open_window: OpenWindow, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    org_folder.lock_file.write_text(
        '{"user": "someone", "host": "another-laptop", "pid": 1, "since": "2026-01-01T10:00"}'
    )
    answers.choice = None
    window, control = open_window(org_folder)
    sign_in(qtbot, window, "coordinator")
    assert control.signed_in is None
    assert window.sign_in_page is not None
    assert "in use by someone" in window.sign_in_page.message.text()


def test_forgotten_password_with_the_recovery_key(
    open_window: OpenWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    made = setup.start_organisation(folder, "Hope Group", "ffion", "Ffion", "first long password")
    auth.sign_out(made.signed_in)
    window, control = open_window(folder)
    page = window.sign_in_page
    assert page is not None
    qtbot.mouseClick(page.forgotten, Qt.MouseButton.LeftButton)
    dialog = control.flow.dialog
    assert isinstance(dialog, RecoverDialog)
    assert dialog.username.text() == "ffion"  # the only account
    qtbot.keyClicks(dialog.recovery_key, "not-the-key")
    qtbot.keyClicks(dialog.secret, "a new long password")
    qtbot.keyClicks(dialog.again, "a new long password")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "recovery key does not match" in dialog.problem.text()
    assert dialog.secret.text() == "a new long password"  # nothing typed is lost
    dialog.recovery_key.setText(made.recovery_key)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.signed_in is not None, timeout=10_000)
    window.close()
    again = auth.sign_in(folder, "ffion", "a new long password")
    assert again.actor.display_name == "Ffion"
    auth.sign_out(again)
