"""Backing up and restoring through the services: who may, and restoring when the data file is
gone or damaged (when nobody's role can be read)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.db.store import Store
from peerdesk.db.vault import Vault
from peerdesk.models import AuditEvent, Organisation, UserRole
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn, sign_in, sign_out
from peerdesk.services.backups import back_up, restore_backup
from peerdesk.services.permissions import PermissionDenied
from tests.conftest import TEST_SECRET, TEST_USER

# About the file (backups and restore of the file through the services): skipped on PostgreSQL.
pytestmark = pytest.mark.file_only


@pytest.fixture
def saved(coordinator: SignedIn) -> tuple[SignedIn, Path]:
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Organisation(name="Group", volunteers_may_use_pin=True))
    accounts.add_user(
        coordinator.store, coordinator.actor, "sam", "Sam", UserRole.VOLUNTEER, "482913"
    )
    return coordinator, back_up(coordinator)


def test_a_volunteer_cannot_restore_over_healthy_data(saved: tuple[SignedIn, Path]) -> None:
    person, backup = saved
    folder = person.store.folder
    sign_out(person)
    with pytest.raises(PermissionDenied):
        restore_backup(folder, "sam", "482913", backup)


def test_anyone_with_an_account_can_restore_when_the_data_file_is_gone(
    saved: tuple[SignedIn, Path],
) -> None:
    person, backup = saved
    folder = person.store.folder
    sign_out(person)
    folder.db_file.unlink()
    assert restore_backup(folder, "sam", "482913", backup) is None
    again = sign_in(folder, TEST_USER, TEST_SECRET)
    with again.store.read() as s:
        assert s.scalar(select(Organisation.name)) == "Group"
        assert "restore" in s.scalars(select(AuditEvent.action)).all()
    sign_out(again)


def test_restore_after_the_data_file_was_damaged(saved: tuple[SignedIn, Path]) -> None:
    person, backup = saved
    folder = person.store.folder
    sign_out(person)
    folder.db_file.write_text("garbage")
    vault = Vault.unlock(folder, TEST_USER, TEST_SECRET)[0]
    with pytest.raises(Exception, match="could not be opened"):
        Store.open(vault)
    restore_backup(folder, TEST_USER, TEST_SECRET, backup)
    sign_out(sign_in(folder, TEST_USER, TEST_SECRET))
