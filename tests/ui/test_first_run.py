"""First run: a new organisation and its coordinator, the recovery key shown once, the demo,
and data from before encryption."""

import re

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from peerdesk.db.paths import DataFolder
from peerdesk.db.schema import has_sqlite_header
from peerdesk.models import UserRole
from peerdesk.services import auth
from peerdesk.services.organisation import current_organisation
from peerdesk.services.signing_key import public_key
from peerdesk.ui.account_dialogs import NOT_THE_SAME, EncryptDialog
from peerdesk.ui.recovery_key_dialog import RecoveryKeyDialog
from peerdesk.ui.sign_in_flow import NOT_SET_UP
from peerdesk.ui.store_control import StoreControl
from peerdesk.ui.welcome import WelcomeDialog
from tests.test_encryption import plaintext_peerdesk
from tests.ui.conftest import Answers, OpenWindow

pytestmark = pytest.mark.file_only  # about making a group's data folder on this laptop

PASSWORD = "kettle on the hob"


def _welcome(control: StoreControl) -> WelcomeDialog:
    dialog = control.flow.dialog
    assert isinstance(dialog, WelcomeDialog) and dialog.isVisible()
    return dialog


def _fill(qtbot: QtBot, dialog: WelcomeDialog, again: str = PASSWORD) -> None:
    qtbot.mouseClick(dialog.new, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name, "Riverside Peer Support")
    qtbot.keyClicks(dialog.account.display_name, "Ffion Jones")
    qtbot.keyClicks(dialog.account.username, "ffion")
    qtbot.keyClicks(dialog.account.secret, PASSWORD)
    qtbot.keyClicks(dialog.account.again, again)


def _recovery_dialog(window: object, qtbot: QtBot) -> RecoveryKeyDialog:
    found: list[RecoveryKeyDialog] = []

    def shown() -> bool:
        found[:] = [d for d in window.findChildren(RecoveryKeyDialog) if d.isVisible()]  # type: ignore[attr-defined]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10_000)
    return found[0]


def test_new_organisation_and_coordinator(
    open_window: OpenWindow, empty_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(empty_folder)
    control.flow.clipboard_ms = 200
    dialog = _welcome(control)
    _fill(qtbot, dialog)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    key_dialog = _recovery_dialog(window, qtbot)
    assert control.signed_in is not None and control.signed_in.actor.username == "ffion"
    assert window.area_keys()[-2:] == ["audit", "settings"]
    key = key_dialog.key_label.text()
    assert "only way back into your data" in " ".join(
        label.text() for label in key_dialog.findChildren(type(key_dialog.key_label))
    )
    # The printed sheet and Settings carry the fingerprint of the key reports are signed with.
    assert window.settings_page is not None
    fingerprint = window.settings_page.report_key.text()
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", fingerprint)
    assert f"organisation key {fingerprint}" in key_dialog.sheet().toPlainText()
    qtbot.mouseClick(key_dialog.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == key
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3_000)
    key_dialog.kept.setChecked(True)
    qtbot.mouseClick(key_dialog.done_button, Qt.MouseButton.LeftButton)
    window.close()
    signed = auth.sign_in(empty_folder, "ffion", PASSWORD)
    with signed.store.read() as s:
        org = current_organisation(s)
    assert org is not None and org.name == "Riverside Peer Support"
    assert signed.actor.display_name == "Ffion Jones"
    assert signed.actor.role is UserRole.COORDINATOR
    assert public_key(signed.store).shown == fingerprint  # made at setup, not replaced since
    auth.sign_out(signed)
    again, control2 = open_window(empty_folder)
    assert control2.flow.dialog is None  # the sign-in screen, and the key is not shown again
    assert not again.findChildren(RecoveryKeyDialog)


def test_the_key_stays_until_the_person_ticks_that_it_is_kept(qtbot: QtBot) -> None:
    dialog = RecoveryKeyDialog("ABCD-EFGH", "Hope Group")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert not dialog.done_button.isEnabled()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
        qtbot.keyClick(dialog, key)
        assert dialog.isVisible(), f"{key} closed the dialog before the tick"
    assert "will not show the key again" in dialog.note.text()
    dialog.close()
    assert dialog.isVisible()
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Return)  # no button closes by default
    assert dialog.isVisible()
    qtbot.keyClick(dialog.kept, Qt.Key.Key_Space)
    assert dialog.kept.isChecked() and dialog.done_button.isEnabled()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_a_long_note_after_print_cuts_nothing_off(qtbot: QtBot) -> None:
    dialog = RecoveryKeyDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789", "Hope Group")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    saved = "/home/someone/Documents/a-long-folder-name/peerdesk-recovery-key.pdf"
    dialog._say(f"Saved to {saved}. Print it, then delete the file: it unlocks your data.")
    for size in (dialog.size(), dialog.minimumSize(), QSize(1366, 768)):
        dialog.resize(size)
        QApplication.processEvents()
        for label in dialog.findChildren(QLabel):
            if label.wordWrap() and label.text():
                needed = label.heightForWidth(label.width())
                assert label.height() >= needed, (size, label.text()[:40])
    explanation = next(lb for lb in dialog.findChildren(QLabel) if "recovery key" in lb.text())
    assert "peerdesk will not show it again" in explanation.text()
    assert dialog.height() <= 768 and dialog.width() <= 1366


def test_the_clipboard_is_left_alone_if_something_else_was_copied(qtbot: QtBot) -> None:
    dialog = RecoveryKeyDialog("ABCD-EFGH", "Hope Group", clear_after_ms=100)
    qtbot.addWidget(dialog)
    dialog.copy_key()
    QGuiApplication.clipboard().setText("a shopping list")
    qtbot.wait(250)
    assert QGuiApplication.clipboard().text() == "a shopping list"


def test_problems_are_shown_in_the_dialog_and_nothing_typed_is_lost(
    open_window: OpenWindow, empty_folder: DataFolder, qtbot: QtBot
) -> None:
    _window, control = open_window(empty_folder)
    dialog = _welcome(control)
    _fill(qtbot, dialog, again="kettle on the hub")
    qtbot.keyClick(dialog.account.again, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problem.text() == NOT_THE_SAME
    assert dialog.name.text() == "Riverside Peer Support"
    assert dialog.account.secret.text() == PASSWORD
    dialog.account.again.setText(PASSWORD)
    dialog.account.username.setText("Ffion Jones!")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert "A username is 2 to 32" in dialog.problem.text()
    dialog.account.username.setText("ffion")
    dialog.account.secret.setText("short")
    dialog.account.again.setText("short")
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert "at least 10 characters" in dialog.problem.text()
    assert control.signed_in is None and not empty_folder.keys_file.exists()


def test_cancelling_the_welcome_leaves_a_way_back(
    open_window: OpenWindow, empty_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = open_window(empty_folder)
    _welcome(control).reject()
    page = window.sign_in_page
    assert page is not None and page.message.text() == NOT_SET_UP
    assert page.set_up.isVisible()
    qtbot.mouseClick(page.set_up, Qt.MouseButton.LeftButton)
    assert _welcome(control).isVisible()


def test_data_from_before_encryption_gets_a_coordinator_and_is_encrypted(
    open_window: OpenWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    plaintext_peerdesk(folder)
    window, control = open_window(folder)
    dialog = control.flow.dialog
    assert isinstance(dialog, EncryptDialog) and dialog.isVisible()
    dialog.account.display_name.setText("Ffion")
    dialog.account.username.setText("ffion")
    dialog.account.secret.setText(PASSWORD)
    dialog.account.again.setText(PASSWORD)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    _recovery_dialog(window, qtbot).accept()
    assert control.signed_in is not None
    assert "Old Group" in window.windowTitle()
    assert not has_sqlite_header(folder.db_file)


def test_explore_the_demo_signs_in_and_says_how_to_see_other_roles(
    open_window: OpenWindow, empty_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    window, control = open_window(empty_folder)
    dialog = _welcome(control)
    qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.signed_in is not None, timeout=30_000)
    assert control.signed_in is not None and control.signed_in.actor.username == "coordinator"
    qtbot.waitUntil(lambda: any("peerdesk-demo" in text for text in answers.shown), timeout=5_000)
    assert not window.findChildren(RecoveryKeyDialog)
    with control.signed_in.store.read() as s:
        org = current_organisation(s)
    assert org is not None and "(demo)" in org.name
