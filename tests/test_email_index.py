"""Emails are sealed (docs/keys.md), so SQL cannot compare them; an import still finds the
volunteer a row is about by the keyed blind index of their email (`db/blind_index.py`)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk import clock
from peerdesk.db.blind_index import email_index
from peerdesk.db.keyring import email_index_key
from peerdesk.db.sealing import is_sealed, is_wrapped
from peerdesk.models import Course, UserRole, Volunteer
from peerdesk.services import accounts
from peerdesk.services.auth import SignedIn
from peerdesk.services.importing import ImportRefused, import_training, import_volunteers
from peerdesk.services.volunteers.records import VolunteerInput, create_volunteer

EMAIL = "Amara.Okafor@Example.org"


@pytest.fixture
def group(coordinator: SignedIn) -> SignedIn:
    with coordinator.store.session(coordinator.actor) as s:
        s.add(Course(name="First aid", validity_months=36))
        create_volunteer(s, coordinator.actor, VolunteerInput("Amara", "Amara", "Okafor",
                         email=EMAIL), clock.today())  # fmt: skip
    return coordinator


def write_csv(tmp_path: Path, text: str, name: str = "v.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(group: SignedIn) -> tuple[str | None, str | None]:
    with group.store.read() as s:
        row = s.execute(select(Volunteer.email, Volunteer.email_index)).one()
    return row.email, row.email_index


def test_the_email_is_sealed_and_indexed_under_the_group_key(group: SignedIn) -> None:
    email, index = stored(group)
    assert is_sealed(email) and "okafor" not in (email or "").casefold()
    # Sealed by a coordinator: wrapped for the group key, so a list page opens it quickly.
    assert email is not None and is_wrapped(email)
    with group.store.read() as s:
        key = email_index_key(s)
    assert key is not None and index == email_index(key, "  amara.okafor@EXAMPLE.ORG ")
    assert index != email_index(b"\0" * 32, EMAIL)  # keyed: not a plain hash of the address


def test_an_import_finds_an_existing_email_in_any_case(group: SignedIn, tmp_path: Path) -> None:
    again = write_csv(
        tmp_path, "First name,Last name,Email\r\nAmy,Okafor,AMARA.okafor@example.ORG\r\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_volunteers(group, again)
    assert "a volunteer with this email is already in peerdesk" in str(refused.value.problems[0])
    training = write_csv(
        tmp_path, "Email,Course,Date\r\namara.okafor@example.org,First aid,01/02/2024\r\n", "t.csv"
    )
    assert import_training(group, training).added == 1


def test_imported_emails_are_indexed_for_the_next_import(group: SignedIn, tmp_path: Path) -> None:
    first = write_csv(tmp_path, "First name,Last name,Email\r\nBea,Jones,bea@example.org\r\n")
    assert import_volunteers(group, first).added == 1
    with pytest.raises(ImportRefused):
        import_volunteers(group, first)


def test_a_new_group_key_gives_new_indexes_and_matching_carries_on(
    group: SignedIn, tmp_path: Path
) -> None:
    """Removing a coordinator replaces the group key: her old key derives no current index."""
    accounts.add_user(group.store, group.actor, "cora", "Cora", UserRole.COORDINATOR,
                      "a long passphrase")  # fmt: skip
    before = stored(group)[1]
    accounts.remove(group.store, group.actor, "cora")
    after = stored(group)[1]
    assert before and after and before != after
    again = write_csv(
        tmp_path, "First name,Last name,Email\r\nAmy,Okafor,amara.okafor@example.org\r\n"
    )
    with pytest.raises(ImportRefused):
        import_volunteers(group, again)
