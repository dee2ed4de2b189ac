"""Giving people sign-ins and looking after accounts, through the services: coordinators only,
first passwords that must be replaced, free usernames, the last coordinator and oneself, and
finding a volunteer by name or short reference."""

import uuid

import pytest
from sqlalchemy import select

from peerdesk.db.keyslots import KeyFile
from peerdesk.errors import ValidationError
from peerdesk.models import AuditEvent, Organisation, User, UserRole
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn, actor_for, change_own_secret, sign_in, sign_out
from peerdesk.services.permissions import Actor, PermissionDenied
from peerdesk.services.secrets_policy import check_new_secret
from peerdesk.services.volunteers import VolunteerInput, create_volunteer
from peerdesk.services.volunteers.lookup import find_volunteer, short_reference
from tests.conftest import TEST_USER


@pytest.fixture
def group(coordinator: SignedIn) -> SignedIn:
    with coordinator.store.session() as s:
        s.add(Organisation(name="Group", volunteers_may_use_pin=True))
    return coordinator


def add_volunteer(group: SignedIn, preferred: str, first: str, last: str) -> uuid.UUID:
    with group.store.session(group.actor) as s:
        return create_volunteer(s, group.actor, VolunteerInput(preferred, first, last)).id


def actor_of(group: SignedIn, username: str) -> Actor:
    with group.store.read() as s:
        return actor_for(s.scalars(select(User).where(User.username == username)).one())


@pytest.mark.file_only
def test_a_sign_in_from_a_record_must_be_replaced_at_first_sign_in(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    given = accounts.give_sign_in(group.store, group.actor, amara, "amara", UserRole.VOLUNTEER)
    check_new_secret(given.secret, "amara", UserRole.VOLUNTEER, pins_allowed=False)
    folder = group.store.folder
    assert "amara" in KeyFile.load(folder.keys_file).slots
    with group.store.read() as s:
        user = s.scalars(select(User).where(User.username == "amara")).one()
        assert (user.volunteer_id, user.must_change_secret) == (amara, True)
        assert user.display_name == "Amara Okafor"
    sign_out(group)
    person = sign_in(folder, "amara", given.secret)
    assert person.must_change_secret and person.actor.volunteer_id == amara
    with pytest.raises(ValidationError, match="different from the one you use now"):
        change_own_secret(person, given.secret, given.secret)
    change_own_secret(person, given.secret, "amara's own long passphrase")
    sign_out(person)
    again = sign_in(folder, "amara", "amara's own long passphrase")
    assert not again.must_change_secret
    sign_out(again)


def test_a_pin_only_where_the_group_allows_and_only_for_volunteers(group: SignedIn) -> None:
    bea = add_volunteer(group, "Bea", "Beatrice", "Lund")
    with pytest.raises(ValidationError, match="Only volunteers may use a PIN"):
        accounts.give_sign_in(group.store, group.actor, bea, "bea", UserRole.SUPERVISOR, pin=True)
    given = accounts.give_sign_in(group.store, group.actor, bea, "bea", UserRole.VOLUNTEER, True)
    assert given.is_pin and given.secret.isdigit()
    with pytest.raises(ValidationError, match="already signs in as 'bea'"):
        accounts.give_sign_in(group.store, group.actor, bea, "bea2", UserRole.VOLUNTEER)


def test_only_coordinators_give_sign_ins_and_manage_accounts(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    accounts.give_sign_in(group.store, group.actor, amara, "amara", UserRole.SUPERVISOR)
    sam = actor_of(group, "amara")
    bea = add_volunteer(group, "Bea", "Beatrice", "Lund")
    for call in (
        lambda: accounts.give_sign_in(group.store, sam, bea, "bea", UserRole.VOLUNTEER),
        lambda: accounts.suggest_username(group.store, sam, "Bea"),
        lambda: accounts.reset_to_first_secret(group.store, sam, TEST_USER),
        lambda: accounts.change_role(group.store, sam, TEST_USER, UserRole.TRUSTEE),
    ):
        with pytest.raises(PermissionDenied, match="cannot manage accounts"):
            call()


def test_suggested_usernames_are_free_lower_case_and_plain(group: SignedIn) -> None:
    store, actor = group.store, group.actor
    assert accounts.suggest_username(store, actor, "Zoë Ní Bhriain") == "zoe"
    accounts.add_user(store, actor, "zoe", "Zoë", UserRole.TRUSTEE, "a long passphrase")
    assert accounts.suggest_username(store, actor, "Zoë Ní Bhriain") == "zoe.nibhriain"
    accounts.add_user(store, actor, "zoe.nibhriain", "Z", UserRole.TRUSTEE, "a long passphrase")
    accounts.remove(store, actor, "zoe")  # a closed account keeps its name
    assert accounts.suggest_username(store, actor, "Zoë Ní Bhriain") == "zoe2"
    assert accounts.suggest_username(store, actor, "Coordinator") == "coordinator2"


@pytest.mark.file_only
def test_a_new_first_password_unlocks_and_must_be_replaced(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    accounts.give_sign_in(group.store, group.actor, amara, "amara", UserRole.VOLUNTEER)
    made = accounts.reset_to_first_secret(group.store, group.actor, "amara")
    row = next(r for r in accounts.list_users(group.store, group.actor) if r.username == "amara")
    assert row.must_change_secret and not row.locked_out
    assert row.volunteer_reference == short_reference(amara)
    with group.store.read() as s:
        logged = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert logged[-1] == "password_reset"
    folder = group.store.folder
    sign_out(group)
    person = sign_in(folder, "amara", made.secret)
    assert person.must_change_secret
    sign_out(person)


def test_the_last_coordinator_and_oneself(group: SignedIn) -> None:
    store, me = group.store, group.actor
    with pytest.raises(ValidationError, match="last coordinator"):
        accounts.change_role(store, me, TEST_USER, UserRole.VOLUNTEER)
    accounts.add_user(store, me, "ffion", "Ffion", UserRole.COORDINATOR, "another passphrase")
    with pytest.raises(ValidationError, match="your own account"):
        accounts.change_role(store, me, TEST_USER, UserRole.VOLUNTEER)
    with pytest.raises(ValidationError, match="your own account"):
        accounts.remove(store, me, TEST_USER)
    ffion = actor_of(group, "ffion")
    accounts.change_role(store, ffion, TEST_USER, UserRole.SUPERVISOR)
    with pytest.raises(ValidationError, match="last coordinator"):
        accounts.remove(store, me, "ffion")  # whoever asks


def test_a_pin_user_given_another_role_gets_a_first_password(group: SignedIn) -> None:
    bea = add_volunteer(group, "Bea", "Beatrice", "Lund")
    accounts.give_sign_in(group.store, group.actor, bea, "bea", UserRole.VOLUNTEER, pin=True)
    made = accounts.change_role(group.store, group.actor, "bea", UserRole.SUPERVISOR)
    assert made is not None and not made.is_pin and not made.secret.isdigit()
    row = next(r for r in accounts.list_users(group.store, group.actor) if r.username == "bea")
    assert row.role is UserRole.SUPERVISOR and not row.uses_pin and row.must_change_secret


def test_closing_an_account_frees_the_record_for_a_new_sign_in(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    accounts.give_sign_in(group.store, group.actor, amara, "amara", UserRole.VOLUNTEER)
    accounts.remove(group.store, group.actor, "amara")
    given = accounts.give_sign_in(group.store, group.actor, amara, "amara.o", UserRole.VOLUNTEER)
    assert given.username == "amara.o"


def test_a_volunteer_is_found_by_name_or_reference(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    sam_one = add_volunteer(group, "Sam", "Samuel", "Reid")
    sam_two = add_volunteer(group, "Sam", "Samira", "Khan")
    with group.store.read() as s:
        for typed in ("amara", "  AMARA  okafor ", short_reference(amara), str(amara)):
            assert find_volunteer(s, group.actor, typed).id == amara
        assert find_volunteer(s, group.actor, "samira khan").id == sam_two
        assert find_volunteer(s, group.actor, "Sam Reid").id == sam_one
        with pytest.raises(ValidationError) as ambiguous:
            find_volunteer(s, group.actor, "sam")
        with pytest.raises(ValidationError, match="no volunteer called 'Nobody'"):
            find_volunteer(s, group.actor, "Nobody")
    said = str(ambiguous.value)
    assert "could be 2 people" in said
    assert short_reference(sam_one) in said and short_reference(sam_two) in said


def test_a_volunteer_finds_only_their_own_record(group: SignedIn) -> None:
    amara = add_volunteer(group, "Amara", "Amara", "Okafor")
    bea = add_volunteer(group, "Bea", "Beatrice", "Lund")
    accounts.give_sign_in(group.store, group.actor, amara, "amara", UserRole.VOLUNTEER)
    them = actor_of(group, "amara")
    with group.store.read() as s:
        assert find_volunteer(s, them, "Amara").id == amara
        with pytest.raises(ValidationError, match="no volunteer called"):
            find_volunteer(s, them, short_reference(bea))
