"""Sign-ins and accounts in the window, driven through real widgets and checked in the database
and the keys file: a coordinator gives a volunteer a sign-in from their record, the volunteer
signs in with it and must choose their own; new first passwords, unlocking and closing accounts
from Accounts."""

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db import keyslots
from peerdesk.db.keyslots import KeyFile, WrongSecretError
from peerdesk.db.paths import DataFolder
from peerdesk.db.vault import Vault
from peerdesk.models import User, UserRole
from peerdesk.services.permissions import Actor
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from peerdesk.services.volunteers.lookup import short_reference
from peerdesk.ui.account_dialogs import ChooseOwnSecretDialog
from peerdesk.ui.accounts_page import AccountsDialog
from peerdesk.ui.main_window import MainWindow
from peerdesk.ui.sign_in_giving import FirstSecretDialog, GiveSignInDialog
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import Answers, SignInAs, open_group, sign_in


@pytest.fixture
def amara(org_folder: DataFolder) -> uuid.UUID:
    """A volunteer with no sign-in yet."""
    store = open_group(org_folder)
    try:
        with store.session() as s:
            boss = Actor(None, "setup", "Setup", UserRole.COORDINATOR)
            return create_volunteer(s, boss, VolunteerInput("Amara", "Amara", "Okafor")).id
    finally:
        store.close(backup=False)


def user(control: StoreControl, username: str) -> User:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        found = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(found)
        return found


def give_sign_in(qtbot: QtBot, control: StoreControl, who: uuid.UUID) -> tuple[str, str]:
    """Open the record, press Give a sign-in, accept the suggestion: (username, first password)."""
    desk = control.volunteer_desk
    desk.open_record(who)
    editor = desk.editor
    assert editor is not None
    assert editor.reference.text() == short_reference(who)
    assert editor.sign_in_line.text() == "none yet"
    qtbot.mouseClick(editor.give_sign_in_button, Qt.MouseButton.LeftButton)
    dialog = desk.giver.dialog
    assert isinstance(dialog, GiveSignInDialog)
    assert dialog.username.text() == "amara"  # from the preferred name, free, lower case
    assert dialog.chosen_role() is UserRole.VOLUNTEER
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(desk.giver.dialog, FirstSecretDialog), timeout=10_000)
    shown = desk.giver.dialog
    assert isinstance(shown, FirstSecretDialog)
    username, secret = shown.username.text(), shown.secret.text()
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    assert "Copied" in shown.note.text()
    qtbot.mouseClick(shown.done_button, Qt.MouseButton.LeftButton)
    assert "signs in as amara (volunteer)" in editor.sign_in_line.text()
    assert not editor.give_sign_in_button.isVisible()
    editor.reject()
    return username, secret


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_a_volunteer_given_a_sign_in_chooses_their_own_password(
    signed_in_as: SignInAs, amara: uuid.UUID, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    username, secret = give_sign_in(qtbot, control, amara)
    made = user(control, "amara")
    assert (made.volunteer_id, made.must_change_secret, made.role) == (
        amara,
        True,
        UserRole.VOLUNTEER,
    )
    assert "amara" in KeyFile.load(org_folder.keys_file).slots
    control.lock_screen()
    qtbot.waitUntil(lambda: not control.tasks.busy, timeout=10_000)
    sign_in(qtbot, window, username, secret)
    qtbot.waitUntil(lambda: isinstance(control.flow.dialog, ChooseOwnSecretDialog), timeout=10_000)
    assert control.signed_in is None  # nothing opens before they choose their own
    choose = control.flow.dialog
    assert isinstance(choose, ChooseOwnSecretDialog)
    qtbot.keyClicks(choose.secret, secret)
    qtbot.keyClicks(choose.again, secret)
    qtbot.keyClick(choose.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: choose.problem.isVisible(), timeout=10_000)
    assert "different from the one you use now" in choose.problem.text()
    for field in (choose.secret, choose.again):
        field.clear()
        qtbot.keyClicks(field, "amara's very own words")
    qtbot.keyClick(choose.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: control.signed_in is not None, timeout=10_000)
    assert control.signed_in is not None and control.signed_in.actor.volunteer_id == amara
    assert user(control, "amara").must_change_secret is False
    assert window.screens.currentWidget() is window.splitter


def test_leaving_the_choice_signs_out_again(
    signed_in_as: SignInAs, amara: uuid.UUID, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    username, secret = give_sign_in(qtbot, control, amara)
    control.lock_screen()
    qtbot.waitUntil(lambda: not control.tasks.busy, timeout=10_000)
    sign_in(qtbot, window, username, secret)
    qtbot.waitUntil(lambda: isinstance(control.flow.dialog, ChooseOwnSecretDialog), timeout=10_000)
    assert control.flow.dialog is not None
    control.flow.dialog.reject()
    qtbot.waitUntil(lambda: not control.tasks.busy, timeout=10_000)
    assert control.signed_in is None and control.flow.choosing is None
    page = window.sign_in_page
    assert page is not None and "choose your own password" in page.message.text()
    sign_in(qtbot, window, username, secret)  # the first password still works, once more
    qtbot.waitUntil(lambda: control.flow.choosing is not None, timeout=10_000)


def open_accounts(control: StoreControl, window: MainWindow) -> AccountsDialog:
    assert window.accounts_action.isVisible()
    window.accounts_action.trigger()
    dialog = control.accounts_desk.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose_row(dialog: AccountsDialog, username: str) -> None:
    item = dialog.table.findItems(username, Qt.MatchFlag.MatchExactly, 0)[0]
    dialog.table.setCurrentItem(item)


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_accounts_new_first_password_unlock_and_close(
    signed_in_as: SignInAs, org_folder: DataFolder, qtbot: QtBot, answers: Answers
) -> None:
    for _ in range(keyslots.FREE_ATTEMPTS):  # Vic forgets their password
        with pytest.raises(WrongSecretError):
            Vault.unlock(org_folder, "vic", "not vic's password")
    window, control = signed_in_as("coordinator")
    dialog = open_accounts(control, window)
    names = [dialog.table.topLevelItem(n).text(0) for n in range(dialog.table.topLevelItemCount())]  # type: ignore[union-attr]
    assert names == ["coordinator", "sam", "tess", "vic"]
    choose_row(dialog, "vic")
    assert dialog.table.currentItem().text(4) == "locked out"  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert "vic can sign in again" in dialog.note.text()
    assert not Vault(org_folder, KeyFile.load(org_folder.keys_file), b"", b"").is_locked_out("vic")

    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(dialog.dialog, FirstSecretDialog), timeout=10_000)
    shown = dialog.dialog
    assert isinstance(shown, FirstSecretDialog) and shown.username.text() == "vic"
    assert user(control, "vic").must_change_secret
    Vault.unlock(org_folder, "vic", shown.secret.text())  # the new one opens Vic's keyslot
    shown.accept()

    choose_row(dialog, "sam")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert any("Close sam's account?" in m for m in answers.shown)
    assert user(control, "sam").active is False
    assert "sam" not in KeyFile.load(org_folder.keys_file).slots
    assert dialog.table.currentItem().text(4) == "closed"  # type: ignore[union-attr]
    assert not dialog.close_button.isEnabled()


def test_the_service_refuses_closing_yourself_and_says_why(
    signed_in_as: SignInAs, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    dialog = open_accounts(control, window)
    choose_row(dialog, "coordinator")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.isVisible() and "last coordinator" in dialog.problem.text()
    assert user(control, "coordinator").active
    choose_row(dialog, "tess")
    qtbot.mouseClick(dialog.role_button, Qt.MouseButton.LeftButton)
    role = dialog.dialog
    assert role is not None and isinstance(role, QDialog)
    role.role.setCurrentIndex(role.role.findData(UserRole.COORDINATOR))  # type: ignore[attr-defined]
    qtbot.mouseClick(role.go, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert user(control, "tess").role is UserRole.COORDINATOR
    assert "tess is now a coordinator" in dialog.note.text()
    choose_row(dialog, "coordinator")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert "your own account" in dialog.problem.text()


def test_accounts_are_for_coordinators_only(signed_in_as: SignInAs) -> None:
    window, _control = signed_in_as("sam")
    assert not window.accounts_action.isVisible()
    assert window.settings_page is not None and window.settings_page.accounts.isHidden()


def test_choosing_a_pin_says_what_it_risks(qtbot: QtBot) -> None:
    dialog = GiveSignInDialog("Amara", "amara", True, None)
    qtbot.addWidget(dialog)
    assert dialog.chosen_role() is UserRole.VOLUNTEER
    assert not dialog.form.isRowVisible(dialog.pin_risk)  # a password: nothing to warn about
    dialog.kind.setCurrentIndex(1)
    assert dialog.form.isRowVisible(dialog.pin_risk)
    assert "every 6-digit PIN" in dialog.pin_risk.text()
    dialog.role.setCurrentIndex(dialog.role.findData(UserRole.SUPERVISOR.value))
    assert not dialog.form.isRowVisible(dialog.kind)
    assert not dialog.form.isRowVisible(dialog.pin_risk)  # only volunteers may use a PIN
