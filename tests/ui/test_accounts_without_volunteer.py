"""Accounts for people who are not volunteers, in the window: a coordinator gives a trustee a
sign-in from Accounts (no volunteer record), and later links an account to a volunteer record;
checked in the database and the keys file. The service's refusals are checked directly."""

import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from peerdesk.db.keyslots import KeyFile
from peerdesk.db.paths import DataFolder
from peerdesk.db.vault import Vault
from peerdesk.errors import ValidationError
from peerdesk.models import User, UserRole
from peerdesk.services.account_people import give_account, link_to_volunteer
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from peerdesk.ui.account_people import LinkDialog, NewAccountDialog
from peerdesk.ui.accounts_page import AccountsDialog
from peerdesk.ui.sign_in_giving import FirstSecretDialog
from peerdesk.ui.store_control import StoreControl
from tests.ui.conftest import SignInAs, open_group

BOSS = Actor(None, "setup", "Setup", UserRole.COORDINATOR)


@pytest.fixture
def amara(org_folder: DataFolder) -> uuid.UUID:
    """A volunteer with no sign-in yet."""
    store = open_group(org_folder)
    try:
        with store.session() as s:
            return create_volunteer(s, BOSS, VolunteerInput("Amara", "Amara", "Okafor")).id
    finally:
        store.close(backup=False)


def account(control: StoreControl, username: str) -> User:
    assert control.signed_in is not None
    with control.signed_in.store.read() as s:
        found = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(found)
        return found


def choose_row(dialog: AccountsDialog, username: str) -> None:
    item = dialog.table.findItems(username, Qt.MatchFlag.MatchExactly, 0)[0]
    dialog.table.setCurrentItem(item)


@pytest.mark.file_only  # reads the keys file or the folder's lock
def test_a_trustee_gets_a_sign_in_and_is_linked_to_a_record_later(
    signed_in_as: SignInAs, amara: uuid.UUID, org_folder: DataFolder, qtbot: QtBot
) -> None:
    window, control = signed_in_as("coordinator")
    window.accounts_action.trigger()
    dialog = control.accounts_desk.dialog
    assert dialog is not None and dialog.isVisible()

    qtbot.keyClick(dialog.give_button, Qt.Key.Key_Space)
    form = dialog.dialog
    assert isinstance(form, NewAccountDialog)
    offered = [form.role.itemData(n) for n in range(form.role.count())]
    assert UserRole.VOLUNTEER not in offered and UserRole.TRUSTEE in offered
    qtbot.keyClicks(form.name, "Amara Okafor")
    assert form.username.text() == "amara"  # suggested from the name
    form.role.setCurrentIndex(form.role.findData(UserRole.TRUSTEE))
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(dialog.dialog, FirstSecretDialog), timeout=10_000)
    shown = dialog.dialog
    assert isinstance(shown, FirstSecretDialog)
    made = account(control, "amara")
    assert (made.role, made.volunteer_id, made.must_change_secret, made.display_name) == (
        UserRole.TRUSTEE,
        None,
        True,
        "Amara Okafor",
    )
    assert "amara" in KeyFile.load(org_folder.keys_file).slots
    Vault.unlock(org_folder, "amara", shown.secret.text())  # the first password opens it
    shown.accept()

    # Amara starts volunteering: her record is linked to the account she already has.
    choose_row(dialog, "amara")
    assert dialog.link_button.isEnabled()
    qtbot.keyClick(dialog.link_button, Qt.Key.Key_Space)
    link = dialog.dialog
    assert isinstance(link, LinkDialog)
    assert link.person.currentData() == amara and "Amara Okafor" in link.person.currentText()
    qtbot.keyClick(link.person, Qt.Key.Key_Return)
    assert account(control, "amara").volunteer_id == amara
    assert "amara is Amara's sign-in now" in dialog.note.text()
    assert not dialog.link_button.isEnabled()  # an account is one person's


def test_the_rules_for_accounts_without_a_record(org_folder: DataFolder, amara: uuid.UUID) -> None:
    store = open_group(org_folder)
    try:
        with pytest.raises(ValidationError, match="needs a volunteer record"):
            give_account(store, BOSS, "Jo Bloggs", "jo", UserRole.VOLUNTEER)
        volunteer = Actor(None, "sam", "Sam", UserRole.VOLUNTEER)
        with pytest.raises(PermissionDenied):
            give_account(store, volunteer, "Jo Bloggs", "jo", UserRole.TRUSTEE)
        give_account(store, BOSS, "Jo Bloggs", "jo", UserRole.SUPERVISOR)
        give_account(store, BOSS, "Kim Lee", "kim", UserRole.TRUSTEE)
        link_to_volunteer(store, BOSS, "jo", amara)
        with pytest.raises(ValidationError, match="already signs in as 'jo'"):
            link_to_volunteer(store, BOSS, "kim", amara)  # Amara is Jo's already
        with pytest.raises(ValidationError, match="already belongs to a volunteer record"):
            link_to_volunteer(store, BOSS, "jo", amara)
        with store.read() as s:
            assert s.scalar(select(User.volunteer_id).where(User.username == "kim")) is None
    finally:
        store.close(backup=False)
