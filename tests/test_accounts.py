"""Accounts and signing in, through the services: password rules, lockout and unlock, the last
coordinator, closing accounts, two people changing passwords, recovery."""

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db import keyslots
from peerdesk.db.keyslots import TooManyAttemptsError, WrongSecretError
from peerdesk.db.vault import Vault
from peerdesk.errors import ValidationError
from peerdesk.models import AuditEvent, Organisation, User, UserRole
from peerdesk.services import accounts
from peerdesk.services.auth import (
    SignedIn,
    actor_for,
    change_own_secret,
    recover,
    sign_in,
    sign_out,
)
from peerdesk.services.permissions import PermissionDenied
from peerdesk.services.secrets_policy import check_new_secret
from tests.conftest import TEST_SECRET, TEST_USER


@pytest.fixture
def group(coordinator: SignedIn) -> SignedIn:
    with coordinator.store.session() as s:
        s.add(Organisation(name="Group", volunteers_may_use_pin=True))
    return coordinator


def actions(person: SignedIn) -> list[str]:
    with person.store.read() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


@pytest.mark.parametrize(
    ("secret", "role", "message"),
    [
        ("short", UserRole.COORDINATOR, "at least 10"),
        ("coordinator", UserRole.COORDINATOR, "not your username"),
        ("482913", UserRole.COORDINATOR, "Only volunteers"),
        ("48291", UserRole.VOLUNTEER, "at least 6 digits"),
        ("123456", UserRole.VOLUNTEER, "too easy"),
        ("999999", UserRole.VOLUNTEER, "too easy"),
    ],
)
def test_weak_secrets_are_refused_with_a_reason(secret: str, role: UserRole, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_new_secret(secret, "coordinator", role, pins_allowed=True)


def test_volunteers_may_use_a_pin_only_when_the_organisation_allows() -> None:
    check_new_secret("482913", "sam", UserRole.VOLUNTEER, pins_allowed=True)
    with pytest.raises(ValidationError, match="Only volunteers"):
        check_new_secret("482913", "sam", UserRole.VOLUNTEER, pins_allowed=False)


@pytest.mark.file_only
def test_add_user_then_sign_in_as_them(group: SignedIn) -> None:
    accounts.add_user(group.store, group.actor, "Sam", "Sam", UserRole.VOLUNTEER, "482913")
    folder = group.store.folder
    sign_out(group)
    person = sign_in(folder, "sam", "482913")
    assert person.actor.role is UserRole.VOLUNTEER and person.actor.username == "sam"
    assert actions(person)[-1] == "sign_in"
    sign_out(person)


@pytest.mark.file_only
def test_wrong_password_then_right_one_is_audited(group: SignedIn) -> None:
    folder = group.store.folder
    sign_out(group)
    for _ in range(2):
        with pytest.raises(WrongSecretError, match="not right"):
            sign_in(folder, TEST_USER, "wrong password!")
    assert not folder.lock_file.exists()  # nothing was opened
    person = sign_in(folder, TEST_USER, TEST_SECRET)
    assert actions(person)[-2:] == ["sign_in_failed", "sign_in"]
    sign_out(person)


def test_lockout_and_a_coordinator_unlocks(
    group: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.add_user(group.store, group.actor, "sam", "Sam", UserRole.VOLUNTEER, "482913")
    folder = group.store.folder
    for _ in range(keyslots.FREE_ATTEMPTS):
        with pytest.raises(WrongSecretError):
            Vault.unlock(folder, "sam", "000001")
    with pytest.raises(TooManyAttemptsError, match="ask a coordinator"):
        Vault.unlock(folder, "sam", "482913")
    row = next(r for r in accounts.list_users(group.store, group.actor) if r.username == "sam")
    assert row.locked_out
    accounts.unlock(group.store, group.actor, "sam")
    assert Vault.unlock(folder, "sam", "482913")[1].failed_before == 0


def test_the_delay_has_an_end(group: SignedIn) -> None:
    folder = group.store.folder
    kf = keyslots.KeyFile.load(folder.keys_file)
    now = clock.now()
    for _ in range(keyslots.FREE_ATTEMPTS):
        with pytest.raises(WrongSecretError):
            kf.unwrap(TEST_USER, "nope nope nope", now)
    later = now + keyslots.FIRST_DELAY + timedelta(seconds=1)
    assert kf.unwrap(TEST_USER, TEST_SECRET, later).failed_before == keyslots.FREE_ATTEMPTS


def test_the_last_coordinator_cannot_be_removed(group: SignedIn) -> None:
    with pytest.raises(ValidationError, match="last coordinator"):
        accounts.remove(group.store, group.actor, TEST_USER)
    accounts.add_user(
        group.store, group.actor, "ffion", "Ffion", UserRole.COORDINATOR, "another long passphrase"
    )
    with pytest.raises(ValidationError, match="your own account"):
        accounts.remove(group.store, group.actor, TEST_USER)
    with group.store.read() as s:
        ffion = actor_for(s.scalars(select(User).where(User.username == "ffion")).one())
    accounts.remove(group.store, ffion, TEST_USER)
    assert not group.store.vault.has_user(TEST_USER)


def test_a_removed_account_cannot_sign_in_and_its_history_stays(group: SignedIn) -> None:
    accounts.add_user(group.store, group.actor, "sam", "Sam", UserRole.VOLUNTEER, "482913")
    accounts.remove(group.store, group.actor, "sam")
    with group.store.read() as s:
        assert s.scalar(select(User.active).where(User.username == "sam")) is False
    folder = group.store.folder
    sign_out(group)
    with pytest.raises(keyslots.NoSuchSlotError):
        sign_in(folder, "sam", "482913")


def test_only_coordinators_manage_accounts(group: SignedIn) -> None:
    accounts.add_user(group.store, group.actor, "sam", "Sam", UserRole.VOLUNTEER, "482913")
    with group.store.read() as s:
        sam = s.scalars(select(User).where(User.username == "sam")).one()
    for call in (
        lambda: accounts.list_users(group.store, actor_for(sam)),
        lambda: accounts.add_user(
            group.store, actor_for(sam), "x1", "X", UserRole.TRUSTEE, "a long passphrase"
        ),
        lambda: accounts.reset_secret(group.store, actor_for(sam), TEST_USER, "a long one!!"),
        lambda: accounts.remove(group.store, actor_for(sam), TEST_USER),
    ):
        with pytest.raises(PermissionDenied, match="cannot manage accounts"):
            call()


def test_duplicate_and_malformed_usernames(group: SignedIn) -> None:
    with pytest.raises(ValidationError, match="already an account"):
        accounts.add_user(
            group.store, group.actor, TEST_USER, "Again", UserRole.TRUSTEE, "a long passphrase"
        )
    with pytest.raises(ValidationError, match="lower-case"):
        accounts.add_user(
            group.store, group.actor, "Sam Smith!", "Sam", UserRole.TRUSTEE, "a long passphrase"
        )


@pytest.mark.file_only
def test_change_own_password(group: SignedIn) -> None:
    with pytest.raises(WrongSecretError):
        change_own_secret(group, "not my password", "a new long passphrase")
    change_own_secret(group, TEST_SECRET, "a new long passphrase")
    folder = group.store.folder
    sign_out(group)
    with pytest.raises(WrongSecretError):
        sign_in(folder, TEST_USER, TEST_SECRET)
    sign_out(sign_in(folder, TEST_USER, "a new long passphrase"))


def test_two_people_changing_passwords_at_once_both_keep_theirs(group: SignedIn) -> None:
    accounts.add_user(group.store, group.actor, "sam", "Sam", UserRole.VOLUNTEER, "482913")
    folder = group.store.folder
    # Two copies of the keys file in memory, as two windows or commands would hold them.
    first, _ = Vault.unlock(folder, TEST_USER, TEST_SECRET)
    second, _ = Vault.unlock(folder, "sam", "482913")
    first.set_secret(TEST_USER, "coordinator's new passphrase")
    second.set_secret("sam", "739154")
    assert Vault.unlock(folder, TEST_USER, "coordinator's new passphrase")
    assert Vault.unlock(folder, "sam", "739154")


@pytest.mark.file_only
def test_recovery_sets_a_coordinator_password(group: SignedIn) -> None:
    folder = group.store.folder
    sign_out(group)
    recovery = "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-34567-89ABC-DEFGH"
    vault = Vault.unlock(folder, TEST_USER, TEST_SECRET)[0]
    vault.set_secret(keyslots.RECOVERY_SLOT, recovery)
    with pytest.raises(WrongSecretError, match="recovery key does not match"):
        recover(folder, "WRONG-" + recovery[6:], TEST_USER, "a fresh passphrase")
    with pytest.raises(ValidationError, match="no coordinator called"):
        recover(folder, recovery, "nobody", "a fresh passphrase")
    person = recover(folder, recovery.lower().replace("-", " "), TEST_USER, "a fresh passphrase")
    assert actions(person)[-1] == "recovered"
    sign_out(person)
    sign_out(sign_in(folder, TEST_USER, "a fresh passphrase"))


def test_parallel_wrong_guesses_are_all_counted(group: SignedIn) -> None:
    folder = group.store.folder
    errors: list[Exception] = []

    def guess() -> None:
        try:
            Vault.unlock(folder, TEST_USER, "a wrong guess!!")
        except (WrongSecretError, TooManyAttemptsError) as err:
            errors.append(err)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 8
    slot = keyslots.KeyFile.load(folder.keys_file).slots[TEST_USER]
    assert slot.failures >= keyslots.FREE_ATTEMPTS and slot.locked_until is not None


def test_a_sign_in_never_writes_back_a_stale_keys_file(group: SignedIn) -> None:
    """A slow sign-in that started before a coordinator added an account keeps that account."""
    folder = group.store.folder
    original_open = keyslots.KeyFile.open_slot_keys

    def slow_open(self: keyslots.KeyFile, name: str, secret: str) -> tuple[bytes, bytes | None]:
        if name == TEST_USER:
            accounts.add_user(
                group.store, group.actor, "late", "Late", UserRole.TRUSTEE, "a long passphrase"
            )
        return original_open(self, name, secret)

    keyslots.KeyFile.open_slot_keys = slow_open  # type: ignore[method-assign]
    try:
        Vault.unlock(folder, TEST_USER, TEST_SECRET)
    finally:
        keyslots.KeyFile.open_slot_keys = original_open  # type: ignore[method-assign]
    assert "late" in keyslots.KeyFile.load(folder.keys_file).slots


def test_an_anonymised_leavers_account_is_closed_renamed_and_its_keyslot_removed(
    group: SignedIn,
) -> None:
    from peerdesk.models import Volunteer, VolunteerStatus
    from peerdesk.services.volunteers import anonymise_leavers
    from tests.tools.dump import dump

    with group.store.session(group.actor) as s:
        gone = Volunteer(
            preferred_name="Quentin",
            status=VolunteerStatus.LEFT,
            started_on=datetime(2010, 1, 1).date(),
            left_on=datetime(2012, 1, 1).date(),
        )
        s.add(gone)
    accounts.add_user(
        group.store,
        group.actor,
        "quentin.q",
        "Quentin Quill",
        UserRole.VOLUNTEER,
        "a long passphrase",
        volunteer_id=gone.id,
    )
    with group.store.session(group.actor) as s:
        assert anonymise_leavers(s, group.actor, datetime(2026, 11, 26).date()) == 1
    assert accounts.remove_closed_slots(group.store, group.actor) == ["quentin.q"]
    assert "quentin.q" not in keyslots.KeyFile.load(group.store.folder.keys_file).slots
    text = "\n".join(dump(group.store.path, group.store.vault.key))
    assert "quentin.q" not in text and "Quentin" not in text
